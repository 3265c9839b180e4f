import { describe, expect, it } from 'vitest';
import { caseworkPages, caseworkRowsPerPage, noteCharacters, type PackCase, type PackNote } from './pack-casework';

const indicator = { code: 'VA-SHMI', name: 'Hospital mortality ratio' };
const organisation = { code: 'RZA', name: 'Ashmere Hospitals' };
const openCase = (id: number, extra: Partial<PackCase> = {}): PackCase => ({
  id,
  indicator,
  organisation,
  period: '2025/26 Q2',
  stage: { id: 'response_due', label: 'Response due', final: false },
  dueOn: '2027-01-14',
  overdue: false,
  owner: 'Ann Lead',
  closedAt: null,
  ...extra,
});
const note = (text: string, extra: Partial<PackNote> = {}): PackNote => ({ indicator, organisation, period: '2025/26 Q2', text, author: 'Ann Lead', writtenAt: '2026-12-03T10:00:00Z', chart: 'spc', ...extra });

describe('pack pages of cases, notes and commentary', () => {
  it('adds no page when there is nothing to show', () => {
    expect(caseworkPages(undefined, '2025/26 Q2')).toEqual([]);
    expect(caseworkPages({ cases: [], notes: [] }, '2025/26 Q2')).toEqual([]);
  });

  it('lists each case with its stage, due date (overdue marked) and owner, counting the open and the overdue', () => {
    const [page] = caseworkPages({ cases: [openCase(1, { overdue: true, dueOn: '2026-01-05' }), openCase(2, { stage: { id: 'closed', label: 'Closed', final: true }, dueOn: null, closedAt: '2026-12-01T09:00:00Z' })], notes: [] }, '2025/26 Q2');
    expect(page).toMatchObject({ kind: 'summary', title: 'Outlier cases', header: ['Indicator', 'Provider', 'Period', 'Stage', 'Due', 'Owner'] });
    if (page.kind !== 'summary') throw new Error('a summary page');
    expect(page.note.startsWith('1 open case on the pack\'s indicators, 1 overdue')).toBe(true);
    expect(page.rows).toEqual([
      ['Hospital mortality ratio', 'Ashmere Hospitals', '2025/26 Q2', 'Response due', '5 Jan 2026 (overdue)', 'Ann Lead'],
      ['Hospital mortality ratio', 'Ashmere Hospitals', '2025/26 Q2', 'Closed', 'closed 1 Dec 2026', 'Ann Lead'],
    ]);
  });

  it('continues over pages, and shortens a long note with an ellipsis to the stated length', () => {
    const notes = Array.from({ length: caseworkRowsPerPage + 1 }, (_, index) => note(`Note ${index}`));
    notes[0] = note('x'.repeat(noteCharacters + 50), { organisation: null, chart: 'commentary' });
    const pages = caseworkPages({ cases: [], notes }, '2025/26 Q2');
    expect(pages.map((page) => page.title)).toEqual(['Notes and commentary', 'Notes and commentary (continued)']);
    if (pages[0].kind !== 'summary' || pages[1].kind !== 'summary') throw new Error('summary pages');
    expect(pages[0].rows).toHaveLength(caseworkRowsPerPage);
    expect(pages[1].rows).toHaveLength(1);
    const [first] = pages[0].rows;
    expect(first[1]).toHaveLength(noteCharacters);
    expect(first[1].endsWith('…')).toBe(true);
    expect(first.slice(2)).toEqual(['2025/26 Q2', '3 Dec 2026', 'Ann Lead', 'network commentary']);
    expect(pages[0].rows[1][5]).toBe('Ashmere Hospitals, SPC chart');
  });
});
