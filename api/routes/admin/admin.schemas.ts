import { z } from 'zod';
import { roles } from '../../auth/identity';
import { code } from '../parameters';

// A network's code as every route checks one: text PostgreSQL cannot hold (a NUL) never reaches a query.
const networkCode = code;
/** Codes as a set: repeats collapse, so a form that sends one twice grants it once. */
const networkSet = z.array(networkCode).max(1000).transform((codes) => [...new Set(codes)].sort());

export const userId = z.object({ id: z.coerce.number().int().min(1).max(2 ** 31 - 1) });
export const networkParam = z.object({ code: networkCode });

/** A script's change to a user: the role, the whole set of networks granted, or both; what is left out stays. */
export const userChange = z
  .object({ role: z.enum(roles).optional(), networks: networkSet.optional() })
  .refine((change) => change.role !== undefined || change.networks !== undefined, { message: 'give a role, networks or both', path: ['role'] });

/**
 * The dashboard's form for a user: a role select and a checkbox per network. A form sends one value as a
 * string, several as a list and none at all when no box is ticked, so an absent list is the empty set.
 */
export const userForm = z.object({
  role: z.enum(roles),
  networks: z
    .union([networkCode, z.array(networkCode)])
    .optional()
    .transform((value) => (value === undefined ? [] : [...new Set(Array.isArray(value) ? value : [value])].sort())),
});

export const networkChange = z.object({ restricted: z.boolean() });

/** A form's restrict or lift button sends its value as text. */
export const networkForm = z.object({ restricted: z.enum(['true', 'false']).transform((value) => value === 'true') });
