import { Hono, type MiddlewareHandler } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { recordAudit } from '../../auth/audit.queries';
import { requireRole, signedInIdentity } from '../../auth/authenticate';
import { actorOf } from '../../auth/identity';
import type { AppEnv } from '../../context';
import { ApiError } from '../../errors';
import { formRefusalsTo, isFormPost } from '../../forms';
import { answerWrite, formAsJson, formReturnTo } from '../../forms-json';
import { attributeCatalogue, createPeerSet, deletePeerSet, findPeerSet, listPeerSets, nearestPeers } from '../../queries/peers.queries';
import { validate } from '../../validation';
import { code } from '../parameters';
import { nearestQuery } from './peers.schemas';

const setId = z.object({ id: z.coerce.number().int().min(1).max(2 ** 31 - 1) });

const nearestDefinition = z.object({
  of: code,
  k: z.number().int().min(1).max(50).default(10),
  attributes: z.array(z.string().regex(/^[a-z][a-z0-9_]{0,62}$/)).min(1).max(20).optional(),
  weights: z.array(z.number().min(0).max(1000)).min(1).max(20).optional(),
  within: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/).optional(),
});

const peerSetRequest = z
  .object({
    name: z.string().trim().min(1).max(100),
    description: z.string().trim().max(500).optional(),
    members: z.array(code).min(1).max(500).optional().describe('The organisations of a hand-picked set'),
    nearest: nearestDefinition.optional().describe('Save the nearest neighbours of an organisation as they are now (members: those peers)'),
  })
  .refine((request) => (request.members === undefined) !== (request.nearest === undefined), { message: 'give either members or nearest, not both', path: ['members'] })
  .refine((request) => request.members === undefined || new Set(request.members).size === request.members.length, { message: 'must not name an organisation twice', path: ['members'] });

const asList = (value: unknown) => (value === undefined ? undefined : Array.isArray(value) ? value : [value]);

/**
 * The Peers page's plain forms, read by formAsJson as flat fields, in the shape of the JSON request: `members`
 * once or repeated; or `nearestOf`, `k`, each chosen `attribute` with its `weight-NAME`, and `within`, as `nearest`.
 * A script's JSON body never has these flat fields and passes unchanged.
 */
const peerSetForm: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (isFormPost(c)) {
    const fields = (await c.req.json()) as Record<string, unknown>;
    const attributes = asList(fields.attribute) as string[] | undefined;
    const body = {
      name: fields.name,
      description: fields.description,
      members: asList(fields.members),
      nearest:
        fields.nearestOf === undefined
          ? undefined
          : { of: fields.nearestOf, k: Number(fields.k ?? 10), attributes, weights: attributes?.map((name) => Number(fields[`weight-${name}`] ?? 1)), within: fields.within },
    };
    const headers = new Headers(c.req.raw.headers);
    headers.delete('content-length');
    c.req.raw = new Request(c.req.raw.url, { method: 'POST', headers, body: JSON.stringify(body) });
    c.req.bodyCache = {};
  }
  await next();
};

const peersPage = (c: Parameters<typeof formReturnTo>[0]) => formReturnTo(c, '/peers');

/**
 * GET /api/peers/attributes, /api/peers/nearest and the saved peer sets: what organisations can be compared
 * by, the nearest neighbours of one with the working shown, and sets an analyst keeps (created and deleted by
 * analysts, each audited); a set is a benchmark (`benchmark=peers&peers=ID`) on /api/funnel and /api/opportunity.
 */
export const peerRoutes = new Hono<AppEnv>()
  .get('/attributes', describeRoute({ tags: ['Peers'], summary: 'The organisation attributes loaded: name, type, organisations, categories' }), async (c) => {
    return c.json({ attributes: await attributeCatalogue(c.var.deps.db) });
  })
  .get(
    '/nearest',
    describeRoute({
      tags: ['Peers'],
      summary: 'The k organisations most like one: z-scored attributes, weighted Euclidean distance, each peer’s distance and the share each attribute gives',
    }),
    validate('query', z.object({ of: code, ...nearestQuery })),
    async (c) => {
      const query = c.req.valid('query');
      return c.json(await nearestPeers(c.var.deps.db, query));
    },
  )
  .get('/sets', describeRoute({ tags: ['Peers'], summary: 'Saved peer sets with their member counts' }), async (c) => {
    return c.json({ sets: await listPeerSets(c.var.deps.db) });
  })
  .get('/sets/:id', describeRoute({ tags: ['Peers'], summary: 'One saved peer set with its members and how it was found' }), validate('param', setId), async (c) => {
    return c.json(await findPeerSet(c.var.deps.db, c.req.valid('param').id));
  })
  .post(
    '/sets',
    describeRoute({ tags: ['Peers'], summary: 'Save a peer set: hand-picked members, or the nearest neighbours of an organisation (analysts; audited)' }),
    formRefusalsTo(peersPage),
    requireRole('analyst'),
    formAsJson,
    peerSetForm,
    validate('json', peerSetRequest),
    async (c) => {
      const { db } = c.var.deps;
      const identity = signedInIdentity(c);
      const request = c.req.valid('json');
      let members = request.members;
      let definition: Record<string, unknown> | null = null;
      if (request.nearest) {
        const found = await nearestPeers(db, request.nearest);
        members = found.peers.map((peer) => peer.code);
        definition = { method: 'nearest-neighbours', of: found.of.code, k: found.k, attributes: found.attributes.map((a) => ({ name: a.name, weight: a.weight })), within: found.within };
      }
      if (!members || members.length === 0) throw new ApiError(422, 'peers_not_available', 'the peer set would have no members', 'members');
      const created = await createPeerSet(db, { name: request.name, description: request.description, members, definition, createdBy: actorOf(identity).actor });
      await recordAudit(db, identity, { action: 'peer_set_created', details: { peerSetId: created.id, name: created.name, members, definition } });
      // A browser's form goes on to the set it saved.
      if (isFormPost(c)) return c.redirect(`/peers?set=${created.id}&saved=created`, 303);
      return c.json(await findPeerSet(db, created.id), 201);
    },
  )
  .delete(
    '/sets/:id',
    describeRoute({ tags: ['Peers'], summary: 'Delete a saved peer set (analysts; audited)' }),
    requireRole('analyst'),
    validate('param', setId),
    async (c) => {
      const { db } = c.var.deps;
      const identity = signedInIdentity(c);
      const deleted = await deletePeerSet(db, c.req.valid('param').id);
      await recordAudit(db, identity, { action: 'peer_set_deleted', details: { peerSetId: deleted.id, name: deleted.name } });
      return c.json({ id: deleted.id, deleted: true });
    },
  )
  .post(
    '/sets/:id/delete',
    describeRoute({ tags: ['Peers'], summary: 'Delete a saved peer set from a plain form (the dashboard without script; analysts; audited): back to the Peers page' }),
    formRefusalsTo(peersPage),
    requireRole('analyst'),
    validate('param', setId),
    formAsJson,
    async (c) => {
      const { db } = c.var.deps;
      const identity = signedInIdentity(c);
      const deleted = await deletePeerSet(db, c.req.valid('param').id);
      await recordAudit(db, identity, { action: 'peer_set_deleted', details: { peerSetId: deleted.id, name: deleted.name } });
      return answerWrite(c, { id: deleted.id, deleted: true }, 200, { fallback: '/peers' });
    },
  );
