import { EtlCommandError, LoadRejectedError } from './problems';

/**
 * Caps on what one input file may make the loader do, so a small file declaring millions of rows or a
 * huge field is refused before it costs memory or minutes. Read from the environment on each file opened.
 */
export interface InputLimits {
  /** Data rows in a file (VARIATION_ATLAS_MAX_ROWS). */
  maxRows: number;
  /** Bytes a file may expand to once decompressed or decoded (VARIATION_ATLAS_MAX_DECOMPRESSED_BYTES). */
  maxDecompressedBytes: number;
  /** Characters in one CSV row, its fields together (VARIATION_ATLAS_MAX_ROW_CHARACTERS). */
  maxRowCharacters: number;
}

// Twice the soak's 1,000,000-row load; 512 MiB is over ten times that load's CSV (33 MB).
const defaults = { maxRows: 2_000_000, maxDecompressedBytes: 512 * 1024 * 1024, maxRowCharacters: 1024 * 1024 };

export const limitVariables: Record<keyof InputLimits, string> = {
  maxRows: 'VARIATION_ATLAS_MAX_ROWS',
  maxDecompressedBytes: 'VARIATION_ATLAS_MAX_DECOMPRESSED_BYTES',
  maxRowCharacters: 'VARIATION_ATLAS_MAX_ROW_CHARACTERS',
};

export function inputLimits(env: NodeJS.ProcessEnv = process.env): InputLimits {
  const read = (key: keyof InputLimits) => {
    const text = env[limitVariables[key]]?.trim();
    if (!text) return defaults[key];
    if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
      throw new EtlCommandError(`${limitVariables[key]} must be a whole number above zero, got "${text}"`);
    }
    return Number(text);
  };
  return { maxRows: read('maxRows'), maxDecompressedBytes: read('maxDecompressedBytes'), maxRowCharacters: read('maxRowCharacters') };
}

const count = (n: number) => n.toLocaleString('en-GB');

/** "the cap is 2,000,000 rows (VARIATION_ATLAS_MAX_ROWS)": how each refusal names its cap and how to raise it. */
export function capText(key: keyof InputLimits, limits: InputLimits): string {
  const unit = { maxRows: 'rows', maxDecompressedBytes: 'bytes', maxRowCharacters: 'characters' }[key];
  return `the cap is ${count(limits[key])} ${unit} (${limitVariables[key]})`;
}

/** A whole-file refusal because the file declares or holds more than a cap allows. */
export function overCap(file: string, key: keyof InputLimits, limits: InputLimits, what: string, row = 0, column?: string): LoadRejectedError {
  return new LoadRejectedError(file, [{ file, row, column, reason: `${what}; ${capText(key, limits)}` }]);
}

export { count as formatCount };
