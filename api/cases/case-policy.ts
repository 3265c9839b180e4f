import { addCalendarDays, addWorkingDays } from './working-days';

/** How long a stage may take: so many working days (weekends and bank holidays excluded) or calendar days. */
export interface StageDeadline {
  days: number;
  unit: 'working' | 'calendar';
}

export interface CaseStage {
  id: string;
  label: string;
  /** What is done in this stage and by whom, in the policy's words. */
  action: string;
  /** From entering the stage; null for a final stage. */
  deadline: StageDeadline | null;
  /** The stages a case may move to from this one; none for a final stage. */
  next: readonly string[];
  final?: boolean;
}

/** The outlier-management process a network runs its cases through: its stages in order, the first being where a case opens. */
export interface CasePolicy {
  name: string;
  /** Where the stages and timetable come from. */
  reference: string;
  stages: readonly CaseStage[];
  /** One-off bank holidays proclaimed for a single year (a state funeral), as ISO dates. */
  extraHolidays: readonly string[];
}

/**
 * The default: HQIP's staged management of an alarm-level outlier in a national clinical audit ("Detection and
 * management of outliers for National Clinical Audits", HQIP 2017, revised as the NCAPOP outlier guidance of
 * January 2024): the data and analysis are checked for a case to answer, the provider's lead clinician is told and
 * asked for data errors or an explanation, the provider responds in writing, and the response is reviewed, closing
 * the case or escalating it (to the provider's chief executive and on to the regulator). The day counts are those of
 * the guidance's timetable; an installation with its own policy replaces them in the configuration.
 */
export const hqipOutlierPolicy: CasePolicy = {
  name: 'HQIP outlier management',
  reference: 'HQIP, Detection and management of outliers for National Clinical Audits (2017; NCAPOP outlier guidance, 2024)',
  extraHolidays: [],
  stages: [
    {
      id: 'data_check',
      label: 'Data check',
      action: 'The network checks the data and the analysis for a case to answer.',
      deadline: { days: 10, unit: 'working' },
      next: ['provider_notified', 'closed'],
    },
    {
      id: 'provider_notified',
      label: 'Provider notified',
      action: "The provider's lead clinician is told of the outlier and asked to identify data errors or an explanation.",
      deadline: { days: 5, unit: 'working' },
      next: ['response_due', 'closed'],
    },
    {
      id: 'response_due',
      label: 'Response due',
      action: 'The provider sends its written response, which the network then reviews.',
      deadline: { days: 25, unit: 'working' },
      next: ['closed', 'escalated'],
    },
    { id: 'closed', label: 'Closed', action: 'No case to answer, or the response explains the finding.', deadline: null, next: [], final: true },
    {
      id: 'escalated',
      label: 'Escalated',
      action: "No adequate response: escalated to the provider's chief executive and, for an alarm, the regulator.",
      deadline: null,
      next: [],
      final: true,
    },
  ],
};

export class CasePolicyError extends Error {
  override name = 'CasePolicyError';
}

/** Checks that a policy can be worked: unique ids, transitions to stages that exist, a final stage reachable, deadlines whole and positive. */
export function validatePolicy(policy: CasePolicy): CasePolicy {
  const ids = new Set(policy.stages.map((stage) => stage.id));
  if (policy.stages.length === 0) throw new CasePolicyError('a case policy needs at least one stage');
  if (ids.size !== policy.stages.length) throw new CasePolicyError('stage ids must be unique');
  for (const stage of policy.stages) {
    for (const next of stage.next) if (!ids.has(next)) throw new CasePolicyError(`stage ${stage.id} moves to unknown stage ${next}`);
    if (stage.final && stage.next.length > 0) throw new CasePolicyError(`final stage ${stage.id} cannot move on`);
    if (!stage.final && stage.next.length === 0) throw new CasePolicyError(`stage ${stage.id} is neither final nor moves on`);
    if (stage.deadline && (!Number.isInteger(stage.deadline.days) || stage.deadline.days < 1)) throw new CasePolicyError(`stage ${stage.id}: deadline days must be a whole number of at least 1`);
    if (stage.final && stage.deadline) throw new CasePolicyError(`final stage ${stage.id} has no deadline`);
  }
  if (policy.stages[0].final) throw new CasePolicyError('a case cannot open in a final stage');
  return policy;
}

export function stageOf(policy: CasePolicy, id: string): CaseStage | undefined {
  return policy.stages.find((stage) => stage.id === id);
}

/** When a stage entered on `entered` (an ISO date) is due, or null for a stage without a deadline. */
export function stageDueOn(policy: CasePolicy, stage: CaseStage, entered: string): string | null {
  if (!stage.deadline) return null;
  return stage.deadline.unit === 'working' ? addWorkingDays(entered, stage.deadline.days, new Set(policy.extraHolidays)) : addCalendarDays(entered, stage.deadline.days);
}

/** Whether a case in `from` may move to `to` under the policy. */
export function mayMove(policy: CasePolicy, from: string, to: string): boolean {
  return stageOf(policy, from)?.next.includes(to) ?? false;
}

/** A case is overdue from the day after its stage was due, while it is open. */
export const isOverdue = (dueOn: string | null, today: string) => dueOn !== null && dueOn < today;
