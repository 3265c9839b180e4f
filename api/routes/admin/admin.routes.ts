import type { Context } from 'hono';
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { requireRole } from '../../auth/authenticate';
import type { AppEnv } from '../../context';
import { ApiError } from '../../errors';
import { formRefusalsTo, isFormPost } from '../../forms';
import { validate } from '../../validation';
import { changeUser, listNetworks, listUsers, setNetworkRestricted } from './admin.queries';
import { networkChange, networkForm, networkParam, userChange, userForm, userId } from './admin.schemas';

const tags = ['Admin'];

/** The dashboard page a form goes back to, marking the row it changed (`#user-5`, `#network-X`). */
const usersPage = (c: Context<AppEnv>) => `/admin/users?user=${encodeURIComponent(c.req.param('id') ?? '')}`;
const networksPage = (c: Context<AppEnv>) => `/admin/networks?network=${encodeURIComponent(c.req.param('code') ?? '')}`;

async function userAnswer(c: Context<AppEnv>, id: number, change: Parameters<typeof changeUser>[3]) {
  const { db } = c.var.deps;
  const { changed } = await changeUser(db, c.get('identity'), id, change);
  const [user] = await listUsers(db, id);
  if (!user) throw new ApiError(404, 'not_found', `No user with id ${id}`, 'id');
  return { user, changed };
}

async function networkAnswer(c: Context<AppEnv>, code: string, restricted: boolean) {
  const { db } = c.var.deps;
  const { changed } = await setNetworkRestricted(db, c.get('identity'), code, restricted);
  const network = (await listNetworks(db)).find((row) => row.code === code)!;
  return { network, changed };
}

/**
 * Administration for admins only: users' roles and the restricted networks granted them, and which networks
 * are restricted. Each change is one transaction with its audit row; a change that changes nothing writes
 * none. A role or grant takes effect at the user's next request, because sessions and tokens read both live.
 * Scripts PATCH with JSON; the dashboard's plain forms POST and are sent back to their page (303).
 */
export const adminRoutes = new Hono<AppEnv>()
  .get(
    '/users',
    describeRoute({ tags, summary: 'Users (admins only): role, networks granted, created, last sign-in, live sessions and tokens' }),
    requireRole('admin'),
    async (c) => c.json({ users: await listUsers(c.var.deps.db) }),
  )
  .patch(
    '/users/:id',
    describeRoute({ tags, summary: 'Change a user’s role and/or the whole set of networks granted them (admins only); the last admin cannot be demoted' }),
    requireRole('admin'),
    validate('param', userId),
    validate('json', userChange),
    async (c) => c.json(await userAnswer(c, c.req.valid('param').id, c.req.valid('json'))),
  )
  .post(
    '/users/:id',
    describeRoute({ tags, summary: 'Change a user from the dashboard’s form (role and a checkbox per network granted), answered with a redirect to its page' }),
    formRefusalsTo(usersPage),
    requireRole('admin'),
    validate('param', userId),
    validate('form', userForm),
    async (c) => {
      const answer = await userAnswer(c, c.req.valid('param').id, c.req.valid('form'));
      return isFormPost(c) ? c.redirect(`${usersPage(c)}&saved=${answer.changed ? 'changed' : 'unchanged'}`, 303) : c.json(answer);
    },
  )
  .get('/networks', describeRoute({ tags, summary: 'Every network with its restriction and the users granted it (admins only)' }), requireRole('admin'), async (c) =>
    c.json({ networks: await listNetworks(c.var.deps.db) }),
  )
  .patch(
    '/networks/:code',
    describeRoute({ tags, summary: 'Restrict a network to its members, or lift the restriction (admins only)' }),
    requireRole('admin'),
    validate('param', networkParam),
    validate('json', networkChange),
    async (c) => c.json(await networkAnswer(c, c.req.valid('param').code, c.req.valid('json').restricted)),
  )
  .post(
    '/networks/:code',
    describeRoute({ tags, summary: 'Restrict a network or lift its restriction from the dashboard’s form, answered with a redirect to its page' }),
    formRefusalsTo(networksPage),
    requireRole('admin'),
    validate('param', networkParam),
    validate('form', networkForm),
    async (c) => {
      const answer = await networkAnswer(c, c.req.valid('param').code, c.req.valid('form').restricted);
      return isFormPost(c) ? c.redirect(`${networksPage(c)}&saved=${answer.changed ? 'changed' : 'unchanged'}`, 303) : c.json(answer);
    },
  );
