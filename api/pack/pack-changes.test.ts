import { describe, expect, it } from 'vitest';
import { changePages, type PackChanges } from './pack-changes';

const change = (code: string, withheld = false) => ({
  indicator: { code: 'VA-X', name: 'Readmissions' },
  period: '2025/26 Q1',
  organisation: { code, name: `Trust ${code}` },
  change: 'entered',
  before: { band: 'within', judgement: 'as-expected' },
  after: { band: 'above-99.8', judgement: 'worse' },
  withheld,
});

describe('changePages', () => {
  it('leads with the latest load: one row per change, before and after in words, chance beside it', () => {
    const changes: PackChanges = { event: { kind: 'load', batchId: 7, occurredAt: '2026-01-05T10:00:00Z', measures: [{ judged: 40 }, { judged: 60 }], changes: [change('RZA')] } };
    const [page] = changePages(changes);
    expect(page).toMatchObject({ kind: 'summary', title: 'What changed since the last load', rows: [['Trust RZA', 'Readmissions', '2025/26 Q1', 'now outside the limits', 'within 95 %', 'above 99.8 %, worse']] });
    expect(page.kind === 'summary' && page.note).toBe(
      "Load 7, 5 January 2026: 1 verdict change among the network's members, judged in the funnel of all providers with each indicator's own convention. Chance alone puts about 0.2 of the 100 results judged beyond 99.8 %.",
    );
  });
  it('says a rollback is a correction, shows a withheld change without verdicts, and continues past 8 rows', () => {
    const changes: PackChanges = { event: { kind: 'rollback', batchId: 7, occurredAt: '2026-01-05T10:00:00Z', measures: [{ judged: 10 }], changes: [change('RZA', true), ...Array.from({ length: 8 }, (_, i) => change(`R${i}`))] } };
    const pages = changePages(changes);
    expect(pages.map((page) => page.title)).toEqual(['What changed since the last load', 'What changed since the last load (continued)']);
    expect(pages[0].kind === 'summary' && pages[0].rows[0]).toEqual(['Trust RZA', 'Readmissions', '2025/26 Q1', 'withheld', '–', '–']);
    expect(pages[0].kind === 'summary' && pages[0].note).toMatch(/^Load 7 was rolled back on 5 January 2026 \(a correction\)/);
  });
  it("adds no page before any load, nor when the latest load changed no member's verdict", () => {
    expect(changePages({ event: null })).toEqual([]);
    expect(changePages({ event: { kind: 'load', batchId: 1, occurredAt: '2026-01-05T10:00:00Z', measures: [{ judged: 10 }], changes: [] } })).toEqual([]);
    expect(changePages(undefined)).toEqual([]);
  });
});
