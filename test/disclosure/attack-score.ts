import type { AttackResult } from './adversary';
import { cellKey } from './equation-book';
import { RowSpace, scoreCell, type CellTruth, type Recovery } from './linear-attack';

export interface ChannelScore {
  channel: string;
  equations: number;
  exact: number;
  withinThreshold: number;
  rate: number;
}

export interface AttackScore {
  cells: number;
  requests: number;
  equations: number;
  inconsistent: number;
  channels: ChannelScore[];
  /** All channels together, the strongest attacker. */
  combined: ChannelScore;
  belowFloorAsked: number;
  belowFloorHonoured: number;
}

const strength: Recovery[] = ['exact', 'within-threshold', 'rate', 'none'];

const countsOf = (recoveries: Recovery[]) => ({
  exact: recoveries.filter((one) => one === 'exact').length,
  withinThreshold: recoveries.filter((one) => one === 'within-threshold').length,
  rate: recoveries.filter((one) => one === 'rate').length,
});

/**
 * Scores an attack against the truth read from the database: each channel's equations solved on their own,
 * and all of them together; chart and slide text read for a suppressed cell's value at its printed precision,
 * or its count beside its denominator.
 */
export function scoreAttack(result: AttackResult, truth: ReadonlyMap<string, CellTruth>, threshold: number, multipliers: ReadonlyMap<string, number>): AttackScore {
  const { book } = result;
  const cells = [...book.cells.values()].filter((cell) => truth.has(cell.key));
  const priors = new Map(cells.filter((cell) => !cell.proportion).map((cell) => [cell.count, [1, threshold - 1] as const]));
  const solve = (equations: typeof book.equations) => {
    const space = new RowSpace(book.scales);
    for (const equation of equations) space.add(equation);
    return { recoveries: cells.map((cell) => scoreCell(space, cell, truth.get(cell.key)!, threshold, priors)), inconsistent: space.inconsistent };
  };
  const channels: ChannelScore[] = [...new Set(book.equations.map((equation) => equation.channel))].sort().map((channel) => {
    const equations = book.equations.filter((equation) => equation.channel === channel);
    return { channel, equations: equations.length, ...countsOf(solve(equations).recoveries) };
  });
  const all = solve(book.equations);
  const best = [...all.recoveries];
  for (const channel of [...new Set(result.mentions.map((mention) => mention.channel))].sort()) {
    const recoveries = cells.map((cell) => textRecovery(result, channel, cell.key, truth.get(cell.key)!, multipliers));
    channels.push({ channel, equations: 0, ...countsOf(recoveries) });
    recoveries.forEach((recovery, i) => {
      if (strength.indexOf(recovery) < strength.indexOf(best[i])) best[i] = recovery;
    });
  }
  const combined = { channel: 'all channels', equations: book.equations.length, ...countsOf(best) };
  return {
    cells: cells.length,
    requests: result.requests,
    equations: book.equations.length,
    inconsistent: all.inconsistent,
    channels,
    combined,
    belowFloorAsked: result.belowFloor.asked,
    belowFloorHonoured: Object.values(result.belowFloor.honoured).reduce((sum, count) => sum + count, 0),
  };
}

/** A cell's figures in chart or slide text beside its organisation: its value as printed, or count and denominator. */
function textRecovery(result: AttackResult, channel: string, key: string, truth: CellTruth, multipliers: ReadonlyMap<string, number>): Recovery {
  const [indicator, organisation, period] = key.split('|');
  const value = (truth.count / truth.denominator) * multipliers.get(indicator)!;
  let found: Recovery = 'none';
  for (const mention of result.mentions) {
    if (mention.channel !== channel || mention.organisation !== organisation || mention.period !== period || !mention.indicators.includes(indicator)) continue;
    const tokens = mention.text.match(/\d[\d,]*(\.\d+)?/g) ?? [];
    const numbers = tokens.map((token) => token.replace(/,/g, ''));
    if (numbers.includes(String(truth.count)) && numbers.includes(String(truth.denominator))) return 'exact';
    if (numbers.some((number) => number.includes('.') && number === value.toFixed(number.split('.')[1].length))) found = 'rate';
  }
  return found;
}

/** The printed block: cells attacked, requests and equations, and recoveries per channel. */
export function formatScore(title: string, score: AttackScore): string {
  const line = (one: ChannelScore) =>
    `  ${one.channel.padEnd(26)} ${String(one.equations).padStart(6)} equations   exact ${String(one.exact).padStart(4)}   within threshold ${String(one.withinThreshold).padStart(4)}   rate only ${String(one.rate).padStart(4)}`;
  return [
    `${title}: ${score.cells} suppressed cells attacked with ${score.requests} requests and ${score.equations} equations (${score.inconsistent} dropped as contradicting others)`,
    ...score.channels.map(line),
    line(score.combined),
    `  below-floor suppression (0–4) honoured for anonymous or viewer callers: ${score.belowFloorHonoured} of ${score.belowFloorAsked} requests`,
  ].join('\n');
}

export { cellKey };
