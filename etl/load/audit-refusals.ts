import { schema, type DatabaseHandle } from '../../db';
import { EtlCommandError, LoadRejectedError } from '../problems';

/**
 * Runs a load or a rollback and, when it is refused, records the attempt as a failure after its transaction
 * has rolled back (a success is recorded inside the transaction by the load or rollback itself), then
 * rethrows. So the audit trail shows who tried what, not only what happened.
 */
export async function auditRefusals<T>(handle: DatabaseHandle, action: 'load' | 'rollback', actor: string, details: Record<string, unknown>, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof LoadRejectedError) {
      await recordRefusal(handle, action, actor, { ...details, problems: error.problemCount, reason: error.problems[0]?.reason ?? 'refused' });
    } else if (error instanceof EtlCommandError) {
      await recordRefusal(handle, action, actor, { ...details, reason: error.message });
    }
    throw error;
  }
}

async function recordRefusal(handle: DatabaseHandle, action: string, actor: string, details: Record<string, unknown>) {
  await handle.db.insert(schema.auditEvents).values({ actor, action, details, outcome: 'failure' });
}
