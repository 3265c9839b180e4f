import { parseArgs } from 'node:util';
import { packRouteQuery } from '../routes/packs/packs.schemas';
import type { PackRouteOptions } from './pack-content';
import type { PackFormat } from './pack-files';

export const packUsage = `Usage: npm run pack -- --network CODE [--period LABEL] [options]

  --network CODE            the network whose providers the pack is about (required)
  --period LABEL            the period, e.g. "2025/26 Q2" (default: the latest of the pack's indicators)
  --indicators A,B          indicator codes, in order (default: every indicator the network's providers report)
  --format pptx|pdf|both    what to write (default: pptx)
  --out DIR                 the folder to write into (default: the current folder)
  --convention NAME         spiegelhalter, cqc or shmi (default: each indicator's own)
  --adjustment NAME         none, multiplicative or additive (default: the convention's)
  --suppression N           withhold counts below N (default and floor 5; below the floor only for
                            analysts and admins, with --suppression-reason, audited)
  --suppression-reason TEXT why the threshold is below the floor (recorded in the audit trail)
  --recent N                periods over which an outlier's persistence is counted (default 4)

The database is PGlite in .data/pglite, or PostgreSQL when DATABASE_URL is set. A restricted network's
pack needs its member's or an admin's API token in VARIATION_ATLAS_TOKEN (an environment variable, so the
token stays out of the shell history); without one the pack sees the public networks only.`;

/** A bad command line, with what to do about it. */
export class PackArgumentError extends Error {
  override name = 'PackArgumentError';
}

export interface PackCommand {
  options: PackRouteOptions;
  formats: PackFormat[];
  out: string;
}

const stringOption = { type: 'string' } as const;
const formatChoices: Record<string, PackFormat[]> = { pptx: ['pptx'], pdf: ['pdf'], both: ['pptx', 'pdf'] };

/**
 * The pack command's arguments, checked by the same zod schema as `GET /api/packs`, so the command and the
 * endpoint accept the same values; a problem names its option. 'help' when help was asked for.
 */
export function parsePackArguments(args: readonly string[]): PackCommand | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        network: stringOption,
        period: stringOption,
        indicators: stringOption,
        format: stringOption,
        out: stringOption,
        convention: stringOption,
        adjustment: stringOption,
        suppression: stringOption,
        'suppression-reason': stringOption,
        recent: stringOption,
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new PackArgumentError(`${error instanceof Error ? error.message : String(error)}\n\n${packUsage}`);
  }
  const { out = '.', format = 'pptx', help, 'suppression-reason': suppressionReason, ...options } = values;
  const query = { ...options, suppressionReason };
  if (help) return 'help';
  const formats = Object.hasOwn(formatChoices, format) ? formatChoices[format] : undefined;
  if (!formats) throw new PackArgumentError(`--format: must be pptx, pdf or both, not "${format}"`);
  const parsed = packRouteQuery.omit({ format: true }).safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const option = String(issue.path[0]);
    throw new PackArgumentError(query[option as keyof typeof query] === undefined ? `--${option} is required\n\n${packUsage}` : `--${option}: ${issue.message}`);
  }
  return { options: parsed.data, formats, out };
}
