import { asc, eq, inArray, sql } from 'drizzle-orm';
import { queryRows, schema, type Database } from '../../db';
import { ApiError } from '../errors';
import { nearestNeighbours } from '../stats/peers';
import { findOrganisation } from './catalogue.queries';

const { organisations, peerSets, peerSetMembers } = schema;

type CurrentAttribute = {
  code: string;
  name: string;
  kind: string;
  attribute: string;
  type: 'numeric' | 'categorical';
  numeric_value: number | null;
  category: string | null;
};

/** Every organisation's current attributes: each one's value from the latest batch still loaded that gave it. */
async function currentAttributes(db: Database): Promise<CurrentAttribute[]> {
  const rows = await queryRows<CurrentAttribute>(
    db,
    sql`select distinct on (a.organisation_id, a.attribute) o.code, o.name, o.kind::text as kind, a.attribute, a.kind::text as type, a.numeric_value, a.category
        from organisation_attributes a
        join load_batches b on b.id = a.load_batch_id and b.status = 'loaded'
        join organisations o on o.id = a.organisation_id
        order by a.organisation_id, a.attribute, a.load_batch_id desc`,
  );
  return rows.map((row) => ({ ...row, numeric_value: row.numeric_value === null ? null : Number(row.numeric_value) }));
}

/** The attributes loaded: name, type, how many organisations have one, and a categorical one's categories. */
export async function attributeCatalogue(db: Database) {
  const byName = new Map<string, { name: string; type: 'numeric' | 'categorical'; organisations: number; categories: Set<string> }>();
  for (const row of await currentAttributes(db)) {
    const entry = byName.get(row.attribute) ?? { name: row.attribute, type: row.type, organisations: 0, categories: new Set<string>() };
    entry.organisations++;
    if (row.category !== null) entry.categories.add(row.category);
    byName.set(row.attribute, entry);
  }
  return [...byName.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((entry) => ({ name: entry.name, type: entry.type, organisations: entry.organisations, ...(entry.type === 'categorical' && { categories: [...entry.categories].sort() }) }));
}

export interface NearestRequest {
  of: string;
  k: number;
  attributes?: string[];
  weights?: number[];
  /** A categorical attribute whose category the peers must share with `of` (e.g. trust_type). */
  within?: string;
}

/**
 * The k organisations most like `of` (nearestNeighbours: z-scored attributes, weighted Euclidean distance),
 * among those of its own kind (trusts with trusts) with every chosen attribute, and the explanation: the
 * attributes with their mean, sd and weight, `of`'s values, and each peer's values, distance and the share
 * of it each attribute gives. Without `attributes`, every numeric attribute `of` has; without weights, 1 each.
 */
export async function nearestPeers(db: Database, request: NearestRequest) {
  const target = await findOrganisation(db, request.of);
  const all = await currentAttributes(db);
  const own = all.filter((row) => row.code === target.code);
  const attributes = request.attributes ?? own.filter((row) => row.type === 'numeric').map((row) => row.attribute).sort();
  const types = new Map(all.map((row) => [row.attribute, row.type]));
  for (const name of [...attributes, ...(request.within ? [request.within] : [])]) {
    if (!types.has(name)) throw new ApiError(404, 'not_found', `No organisation has the attribute "${name}"`, name === request.within ? 'within' : 'attributes');
  }
  const categorical = attributes.find((name) => types.get(name) !== 'numeric');
  if (categorical) throw new ApiError(400, 'invalid_parameter', `attributes: ${categorical} is categorical; distances need numeric attributes (use within=${categorical} to keep to one category)`, 'attributes');
  if (request.within && types.get(request.within) !== 'categorical') throw new ApiError(400, 'invalid_parameter', `within: ${request.within} is numeric; within names a categorical attribute`, 'within');
  if (attributes.length === 0) throw new ApiError(422, 'peers_not_available', `${target.code} has no numeric attributes to find its peers by`, 'of');
  const weights = request.weights ?? attributes.map(() => 1);
  if (weights.length !== attributes.length) throw new ApiError(400, 'invalid_parameter', `weights: give one weight per attribute (${attributes.length}), in their order`, 'weights');
  const missing = attributes.filter((name) => !own.some((row) => row.attribute === name));
  if (missing.length > 0) throw new ApiError(422, 'peers_not_available', `${target.code} has no value of ${missing.join(', ')}`, 'attributes');
  const category = request.within ? own.find((row) => row.attribute === request.within)?.category : undefined;
  if (request.within && category === undefined) throw new ApiError(422, 'peers_not_available', `${target.code} has no ${request.within}`, 'within');

  const organisationsByCode = new Map<string, { name: string; values: Map<string, number>; category: string | null }>();
  for (const row of all) {
    if (row.kind !== target.kind) continue;
    const entry = organisationsByCode.get(row.code) ?? { name: row.name, values: new Map(), category: null };
    if (row.numeric_value !== null) entry.values.set(row.attribute, row.numeric_value);
    if (row.attribute === request.within) entry.category = row.category;
    organisationsByCode.set(row.code, entry);
  }
  const candidates = [...organisationsByCode]
    .filter(([, entry]) => !request.within || entry.category === category)
    .map(([code, entry]) => ({ id: code, values: attributes.map((name) => entry.values.get(name) ?? null) }));
  if (candidates.length < 2) throw new ApiError(422, 'peers_not_available', `no other ${target.kind.replace('_', ' ')} has ${attributes.join(', ')}${request.within ? ` within ${request.within} ${category}` : ''}`, 'of');
  const found = nearestNeighbours(candidates, target.code, weights, request.k);
  const valuesOf = (code: string) => Object.fromEntries(attributes.map((name) => [name, organisationsByCode.get(code)!.values.get(name)!]));
  return {
    of: { code: target.code, name: target.name, values: valuesOf(target.code) },
    method: 'nearest-neighbours' as const,
    k: request.k,
    within: request.within ? { attribute: request.within, category } : null,
    attributes: attributes.map((name, a) => ({ name, weight: weights[a], share: found.attributes[a].share, mean: found.attributes[a].mean, sd: found.attributes[a].sd })),
    candidates: candidates.length - found.incomplete.length,
    incomplete: found.incomplete.length,
    peers: found.neighbours.map((neighbour, rank) => ({
      rank: rank + 1,
      code: neighbour.id,
      name: organisationsByCode.get(neighbour.id)!.name,
      distance: neighbour.distance,
      values: valuesOf(neighbour.id),
      contributions: Object.fromEntries(attributes.map((name, a) => [name, neighbour.contributions[a]])),
    })),
  };
}

export type NearestPeers = Awaited<ReturnType<typeof nearestPeers>>;

/** Saved peer sets by name, with their member counts. */
export async function listPeerSets(db: Database) {
  const sets = await db.select().from(peerSets).orderBy(asc(peerSets.name));
  const members = await db.select({ peerSetId: peerSetMembers.peerSetId, code: organisations.code }).from(peerSetMembers).innerJoin(organisations, eq(organisations.id, peerSetMembers.organisationId));
  return sets.map((set) => ({ ...set, members: members.filter((member) => member.peerSetId === set.id).length }));
}

/** One saved peer set with its members by name; 404 when there is none with the id. */
export async function findPeerSet(db: Database, id: number, parameter = 'id') {
  const [set] = await db.select().from(peerSets).where(eq(peerSets.id, id));
  if (!set) throw new ApiError(404, 'not_found', `No peer set with id ${id}`, parameter);
  const members = await db
    .select({ code: organisations.code, name: organisations.name })
    .from(peerSetMembers)
    .innerJoin(organisations, eq(organisations.id, peerSetMembers.organisationId))
    .where(eq(peerSetMembers.peerSetId, id))
    .orderBy(asc(organisations.code));
  return { ...set, members };
}

/** Saves a peer set of the organisations named; an unknown code or a name already used is a 4xx naming it. */
export async function createPeerSet(db: Database, set: { name: string; description?: string; members: string[]; definition: Record<string, unknown> | null; createdBy: string }) {
  const found = await db.select({ id: organisations.id, code: organisations.code }).from(organisations).where(inArray(organisations.code, set.members));
  const unknown = set.members.filter((code) => !found.some((row) => row.code === code));
  if (unknown.length > 0) throw new ApiError(404, 'not_found', `No organisation with code ${unknown.map((code) => `"${code}"`).join(', ')}`, 'members');
  const [clash] = await db.select({ id: peerSets.id }).from(peerSets).where(eq(peerSets.name, set.name));
  if (clash) throw new ApiError(409, 'conflict', `A peer set is already called "${set.name}" (id ${clash.id})`, 'name');
  return db.transaction(async (tx) => {
    const [created] = await tx.insert(peerSets).values({ name: set.name, description: set.description ?? null, definition: set.definition, createdBy: set.createdBy }).returning();
    await tx.insert(peerSetMembers).values(found.map((row) => ({ peerSetId: created.id, organisationId: row.id })));
    return created;
  });
}

export async function deletePeerSet(db: Database, id: number) {
  const [deleted] = await db.delete(peerSets).where(eq(peerSets.id, id)).returning({ id: peerSets.id, name: peerSets.name });
  if (!deleted) throw new ApiError(404, 'not_found', `No peer set with id ${id}`, 'id');
  return deleted;
}

/** A peer group as a benchmark names: a saved set (`peers`) or the nearest neighbours of one organisation (`peersOf`). */
export interface PeerGroupRequest {
  peers?: number;
  peersOf?: string;
  k: number;
  attributes?: string[];
  weights?: number[];
  within?: string;
}

export interface PeerGroup {
  /** The peers' codes; the organisation they are peers of is not among them. */
  codes: Set<string>;
  /** The organisation whose peers they are (`peersOf`), judged against them. */
  of: string | null;
  description: { kind: 'set'; id: number; name: string; members: number } | { kind: 'nearest-neighbours'; explanation: NearestPeers };
}

export async function resolvePeerGroup(db: Database, request: PeerGroupRequest): Promise<PeerGroup> {
  if (request.peers !== undefined) {
    const set = await findPeerSet(db, request.peers, 'peers');
    return { codes: new Set(set.members.map((member) => member.code)), of: null, description: { kind: 'set', id: set.id, name: set.name, members: set.members.length } };
  }
  const explanation = await nearestPeers(db, { of: request.peersOf!, k: request.k, attributes: request.attributes, weights: request.weights, within: request.within });
  return { codes: new Set(explanation.peers.map((peer) => peer.code)), of: explanation.of.code, description: { kind: 'nearest-neighbours', explanation } };
}
