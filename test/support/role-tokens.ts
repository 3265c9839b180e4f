import { createApiToken } from '../../api/auth/tokens.queries';
import { schema, type Database } from '../../db';

export type Role = 'viewer' | 'analyst' | 'admin';

/** A user of each role (subject `<role>@example.nhs.uk`) with a read token, for requests made as that role. */
export async function roleTokens(db: Database): Promise<Record<Role, string>> {
  const roles: Role[] = ['viewer', 'analyst', 'admin'];
  const people = await db
    .insert(schema.users)
    .values(roles.map((role) => ({ subject: `${role}@example.nhs.uk`, role })))
    .returning();
  const tokens = {} as Record<Role, string>;
  for (const person of people) tokens[person.role as Role] = (await createApiToken(db, { userId: person.id, scopes: ['read'], days: 1 })).token;
  return tokens;
}

/** Request headers for a bearer token, or none for the anonymous local caller. */
export const bearer = (token: string | undefined): Record<string, string> => (token === undefined ? {} : { authorization: `Bearer ${token}` });
