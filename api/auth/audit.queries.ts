import { schema, type Database } from '../../db';
import { actorOf, type Identity } from './identity';

/** Records what an identity did; the actor is kept as text so the record outlives the user. */
export async function recordAudit(
  db: Database,
  identity: Identity,
  event: { action: string; details?: Record<string, unknown>; outcome?: 'success' | 'failure' },
): Promise<void> {
  await db.insert(schema.auditEvents).values({ ...actorOf(identity), action: event.action, details: event.details ?? {}, outcome: event.outcome ?? 'success' });
}
