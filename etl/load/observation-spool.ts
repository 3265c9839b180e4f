import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ValidObservation } from '../validate/observation-row';

const chunkCharacters = 1 << 16;

/**
 * The rows the loader's first pass found valid, written as COPY lines to a temporary file, so the second pass
 * streams them into COPY instead of reading, parsing and validating the source again. Ids the first pass cannot
 * know are tokens, replaced chunk by chunk: the batch (`B`), and organisations and periods the load itself
 * creates (`o<n>`, `p<n>`, n their order in the spool).
 */
export class ObservationSpool {
  private readonly folder = mkdtempSync(join(tmpdir(), 'variation-atlas-spool-'));
  private readonly path = join(this.folder, 'observations.csv');
  private readonly out = createWriteStream(this.path);
  private chunk = '';
  /** Each organisation code and period label the spool names, with the id it wrote or its token's number. */
  readonly organisations = new Map<string, { id: number } | { token: number }>();
  readonly periods = new Map<string, { id: number } | { token: number }>();
  private tokens = 0;

  constructor(
    private readonly organisationIds: ReadonlyMap<string, number>,
    private readonly periodIds: ReadonlyMap<string, number>,
  ) {}

  /** Adds one row; resolves once the file has room for more (undefined when it has now). */
  add(observation: ValidObservation): Promise<void> | undefined {
    const { figures } = observation;
    const organisation = this.reference(this.organisations, this.organisationIds, observation.organisationCode, 'o');
    const period = this.reference(this.periods, this.periodIds, observation.periodLabel, 'p');
    const number = (value: number | null) => (value === null ? '' : String(value));
    this.chunk += `${observation.indicatorId},${organisation},${period},${number(figures.numerator)},${number(figures.denominator)},${number(figures.observed)},${number(figures.expected)},${number(figures.value)},${number(figures.valueLower)},${number(figures.valueUpper)},B\n`;
    if (this.chunk.length < chunkCharacters) return undefined;
    const room = this.out.write(this.chunk);
    this.chunk = '';
    return room ? undefined : once(this.out, 'drain').then(() => undefined);
  }

  private reference(seen: Map<string, { id: number } | { token: number }>, ids: ReadonlyMap<string, number>, key: string, prefix: string): string {
    let entry = seen.get(key);
    if (!entry) {
      const id = ids.get(key);
      entry = id === undefined ? { token: this.tokens++ } : { id };
      seen.set(key, entry);
    }
    return 'id' in entry ? String(entry.id) : `${prefix}${entry.token}`;
  }

  /** Writes what is left; call once every row is added. */
  async finish(): Promise<void> {
    this.out.end(this.chunk);
    this.chunk = '';
    await once(this.out, 'finish');
  }

  /** The COPY lines, tokens replaced by the ids the load's transaction gave them, in chunks of whole lines. */
  async *lines(batchId: number, organisationIds: ReadonlyMap<string, number>, periodIds: ReadonlyMap<string, number>): AsyncIterable<string> {
    const tokenIds = new Map<string, number>();
    const resolve = (entries: Map<string, { id: number } | { token: number }>, ids: ReadonlyMap<string, number>, prefix: string) => {
      for (const [key, entry] of entries) {
        if (!('token' in entry)) continue;
        const id = ids.get(key);
        if (id === undefined) throw new Error(`no id for ${key}`);
        tokenIds.set(`${prefix}${entry.token}`, id);
      }
    };
    resolve(this.organisations, organisationIds, 'o');
    resolve(this.periods, periodIds, 'p');
    const batch = `,${batchId}\n`;
    let carried = '';
    for await (const piece of createReadStream(this.path, { encoding: 'utf8', highWaterMark: chunkCharacters })) {
      const text = carried + (piece as string);
      const end = text.lastIndexOf('\n') + 1;
      carried = text.slice(end);
      if (end === 0) continue;
      let lines = text.slice(0, end).replaceAll(',B\n', batch);
      if (tokenIds.size > 0) lines = lines.replace(/,([op]\d+)(?=,)/g, (_, token: string) => `,${tokenIds.get(token)}`);
      yield lines;
    }
    if (carried) throw new Error('the spool ends without a line end');
  }

  remove(): void {
    rmSync(this.folder, { recursive: true, force: true });
  }
}
