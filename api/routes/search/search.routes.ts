import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import type { AppEnv } from '../../context';
import { validate } from '../../validation';
import { searchCatalogue } from './search.queries';

const searchQuery = z.object({
  q: z.string().trim().min(1, 'type at least one character').max(100).describe('Text to find in a code or name (case does not matter)'),
  limit: z.coerce.number().int().min(1).max(50).default(10).describe('Results of each kind, at most'),
});

/** GET /api/search: find a provider, network or indicator by code or name, best matches first. */
export const searchRoutes = new Hono<AppEnv>().get(
  '/',
  describeRoute({
    tags: ['Catalogue'],
    summary: 'Providers, networks and indicators whose code or name contains the text; restricted networks only for those who may see them',
  }),
  validate('query', searchQuery),
  async (c) => {
    const { q, limit } = c.req.valid('query');
    return c.json({ query: q, ...(await searchCatalogue(c.var.deps.db, c.get('identity'), q, limit)) });
  },
);
