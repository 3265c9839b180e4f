import { describe, expect, it } from 'vitest';
import { CasePolicyError, hqipOutlierPolicy, isOverdue, mayMove, stageDueOn, stageOf, validatePolicy, type CasePolicy } from './case-policy';

describe('case policy', () => {
  it('the HQIP default is a workable policy: data check, provider notified, response due, then closed or escalated', () => {
    expect(validatePolicy(hqipOutlierPolicy).stages.map((stage) => stage.id)).toEqual(['data_check', 'provider_notified', 'response_due', 'closed', 'escalated']);
    expect(mayMove(hqipOutlierPolicy, 'data_check', 'provider_notified')).toBe(true);
    expect(mayMove(hqipOutlierPolicy, 'response_due', 'escalated')).toBe(true);
    expect(mayMove(hqipOutlierPolicy, 'data_check', 'escalated')).toBe(false);
    expect(mayMove(hqipOutlierPolicy, 'closed', 'data_check')).toBe(false);
    expect(mayMove(hqipOutlierPolicy, 'no_such_stage', 'closed')).toBe(false);
  });

  it('dates a stage in working days past weekends and bank holidays, or in calendar days', () => {
    // Entered on Tuesday 22 December 2026: 10 working days skip two weekends, Christmas (Friday 25) and the substitute Boxing Day (Monday 28) and New Year's Day.
    expect(stageDueOn(hqipOutlierPolicy, stageOf(hqipOutlierPolicy, 'data_check')!, '2026-12-22')).toBe('2027-01-08');
    const calendar: CasePolicy = { ...hqipOutlierPolicy, stages: hqipOutlierPolicy.stages.map((stage) => (stage.deadline ? { ...stage, deadline: { days: 14, unit: 'calendar' as const } } : stage)) };
    expect(stageDueOn(calendar, stageOf(calendar, 'data_check')!, '2026-12-22')).toBe('2027-01-05');
    expect(stageDueOn(hqipOutlierPolicy, stageOf(hqipOutlierPolicy, 'closed')!, '2026-12-22')).toBeNull();
  });

  it('is overdue only after the day it was due', () => {
    expect(isOverdue('2026-12-07', '2026-12-07')).toBe(false);
    expect(isOverdue('2026-12-07', '2026-12-08')).toBe(true);
    expect(isOverdue(null, '2030-01-01')).toBe(false);
  });

  it('refuses a policy that cannot be worked', () => {
    const broken = (stages: CasePolicy['stages']) => () => validatePolicy({ ...hqipOutlierPolicy, stages });
    expect(broken([{ id: 'a', label: 'A', action: '', deadline: null, next: ['b'] }])).toThrow(CasePolicyError);
    expect(broken([{ id: 'a', label: 'A', action: '', deadline: { days: 0, unit: 'working' }, next: ['z'] }, { id: 'z', label: 'Z', action: '', deadline: null, next: [], final: true }])).toThrow(/whole number/);
    expect(broken([{ id: 'z', label: 'Z', action: '', deadline: null, next: [], final: true }])).toThrow(/final stage/);
  });
});
