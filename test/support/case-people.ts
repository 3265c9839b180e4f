import { createApiToken } from '../../api/auth/tokens.queries';
import { schema, type Database } from '../../db';

export type CasePerson = 'viewer' | 'analyst' | 'admin' | 'outsider';

/**
 * A viewer, an analyst, an admin and an analyst outside any restricted network, each with a read-and-write token
 * (a viewer's write is refused by role, not by scope), for the case and note routes.
 */
export async function casePeople(db: Database): Promise<Record<CasePerson, { id: number; token: string }>> {
  const people = await db
    .insert(schema.users)
    .values([
      { subject: 'viewer@example.nhs.uk', displayName: 'Vera Viewer', role: 'viewer' as const },
      { subject: 'lead@example.nhs.uk', displayName: 'Ann Lead', role: 'analyst' as const },
      { subject: 'admin@example.nhs.uk', displayName: 'Ada Admin', role: 'admin' as const },
      { subject: 'outsider@example.nhs.uk', displayName: 'Oz Outsider', role: 'analyst' as const },
    ])
    .returning({ id: schema.users.id, subject: schema.users.subject });
  const keys: CasePerson[] = ['viewer', 'analyst', 'admin', 'outsider'];
  const result = {} as Record<CasePerson, { id: number; token: string }>;
  for (const [index, key] of keys.entries()) result[key] = { id: people[index].id, token: (await createApiToken(db, { userId: people[index].id, scopes: ['read', 'write'], days: 1 })).token };
  return result;
}

/** A request as a person (or anonymously), with a JSON body when one is given. */
export function asPerson(app: { request: (path: string, init?: RequestInit) => Response | Promise<Response> }, token: string | undefined) {
  return (path: string, init: { method?: string; json?: unknown } = {}) =>
    app.request(path, {
      method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
      headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(init.json === undefined ? {} : { 'content-type': 'application/json' }) },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
}
