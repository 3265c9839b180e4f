import { z } from 'zod';
import { ApiError } from '../../errors';
import type { PeerGroupRequest } from '../../queries/peers.queries';
import { code } from '../parameters';

const attributeName = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be an attribute name: lower-case letters, digits and _');

const commaParts = z
  .string()
  .max(2000)
  .transform((text) => text.split(',').map((part) => part.trim()).filter((part) => part.length > 0));

/** How nearest-neighbour peers are found: of whom, how many, on which attributes with which weights, within which category. */
export const nearestQuery = {
  k: z.coerce.number().int().min(1).max(50).default(10).describe('How many peers (1–50, default 10)'),
  attributes: commaParts
    .pipe(z.array(attributeName).min(1, 'must name at least one attribute').max(20, 'must name at most 20 attributes'))
    .refine((names) => new Set(names).size === names.length, 'must not name an attribute twice')
    .optional()
    .describe('Numeric attributes to measure similarity on, comma-separated; default: every numeric attribute the organisation has'),
  weights: commaParts
    .pipe(z.array(z.string().regex(/^\d{1,4}(\.\d{1,6})?$/, 'must be a number from 0 to 1000').transform(Number).pipe(z.number().max(1000, 'must be at most 1000'))).min(1, 'must give at least one weight').max(20, 'must give at most 20 weights'))
    .optional().describe('One weight per attribute, in their order (default 1 each); the distance weights each z-scored attribute by its share'),
  within: attributeName.optional().describe('A categorical attribute (e.g. trust_type): peers share the organisation’s category of it'),
};

/** A peer group as a benchmark: a saved set, or the nearest neighbours of one organisation. */
export const peerGroupQuery = {
  peers: z.coerce.number().int().min(1).max(2 ** 31 - 1).optional().describe('With benchmark=peers: the id of a saved peer set'),
  peersOf: code.optional().describe('With benchmark=peers: an organisation whose nearest-neighbour peers (k, attributes, weights, within) are the benchmark'),
  ...nearestQuery,
};

type PeerGroupQuery = { peers?: number; peersOf?: string; k: number; attributes?: string[]; weights?: number[]; within?: string };

/** The peer group a benchmark=peers request names, or a 400 naming `peers` when it names none or both. */
export function peerGroupRequest(query: PeerGroupQuery): PeerGroupRequest {
  if ((query.peers === undefined) === (query.peersOf === undefined)) {
    throw new ApiError(400, 'invalid_parameter', 'peers: benchmark=peers needs either peers=ID (a saved peer set) or peersOf=CODE (nearest neighbours), not both', 'peers');
  }
  return { peers: query.peers, peersOf: query.peersOf, k: query.k, attributes: query.attributes, weights: query.weights, within: query.within };
}
