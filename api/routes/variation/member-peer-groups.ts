import { inArray } from 'drizzle-orm';
import { schema, type Database } from '../../../db';
import { peerGroupWords } from '../../analysis/finding-sentence';
import { minimumPeers } from '../../analysis/peer-benchmark';
import { ApiError } from '../../errors';
import { findPeerSet, resolvePeerGroup } from '../../queries/peers.queries';

/** How the finder chooses each member's peers: one saved set for all, or each member's own nearest neighbours. */
export type MemberPeersRequest = { peers: number } | { nearest: { k: number; attributes?: string[]; weights?: number[]; within?: string } };

/** A member's peer group (never the member itself) and its words, or why the member has none (no attributes to find peers by). */
export type MemberPeerGroup = { codes: ReadonlySet<string>; words: string } | { reason: string };

/**
 * Each member's peer group, resolved once per member however many indicators it is judged on. A saved set of
 * fewer than `minimumPeers`, or fewer nearest neighbours asked for, can never be a benchmark: a 422 naming
 * `peers`. A member whose own attributes cannot place it (none loaded, or not the ones asked for) is not judged,
 * with the reason; a parameter no organisation can answer (an unknown or categorical attribute) is the request's fault.
 */
export async function memberPeerGroups(db: Database, request: MemberPeersRequest) {
  if ('peers' in request) {
    const set = await findPeerSet(db, request.peers, 'peers');
    if (set.members.length < minimumPeers) {
      throw new ApiError(422, 'peers_too_few', `the peer set "${set.name}" has ${set.members.length} members; a peer benchmark needs at least ${minimumPeers}`, 'peers');
    }
    const codes = new Set(set.members.map((member) => member.code));
    const words = peerGroupWords({ kind: 'set', name: set.name });
    const description = { kind: 'set' as const, id: set.id, name: set.name, members: set.members.length };
    return { description, groupOf: async (code: string): Promise<MemberPeerGroup> => ({ codes: new Set([...codes].filter((one) => one !== code)), words }) };
  }
  const { nearest } = request;
  if (nearest.k < minimumPeers) throw new ApiError(422, 'peers_too_few', `k: ${nearest.k} nearest neighbours cannot be a peer benchmark; it needs at least ${minimumPeers}`, 'peers');
  const cache = new Map<string, Promise<MemberPeerGroup>>();
  const groupOf = (code: string) => {
    let group = cache.get(code);
    if (!group) {
      group = resolveNearest(db, code, nearest);
      cache.set(code, group);
    }
    return group;
  };
  return { description: { kind: 'nearest-neighbours' as const, k: nearest.k, attributes: nearest.attributes ?? null, weights: nearest.weights ?? null, within: nearest.within ?? null }, groupOf };
}

async function resolveNearest(db: Database, code: string, nearest: Extract<MemberPeersRequest, { nearest: unknown }>['nearest']): Promise<MemberPeerGroup> {
  try {
    const group = await resolvePeerGroup(db, { peersOf: code, ...nearest });
    if (group.description.kind !== 'nearest-neighbours') throw new Error('a nearest-neighbour request resolved to a set');
    const { explanation } = group.description;
    const [organisation] = await db.select({ kind: schema.organisations.kind }).from(schema.organisations).where(inArray(schema.organisations.code, [code]));
    return {
      codes: group.codes,
      words: peerGroupWords({
        kind: 'nearest-neighbours',
        peers: explanation.peers.length,
        organisationKind: organisation.kind,
        attributes: explanation.attributes.map((attribute) => attribute.name),
        within: explanation.within,
      }),
    };
  } catch (error) {
    if (error instanceof ApiError && error.code === 'peers_not_available') return { reason: error.message };
    throw error;
  }
}
