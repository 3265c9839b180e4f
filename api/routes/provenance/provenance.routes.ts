import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import type { AppEnv } from '../../context';
import { ApiError } from '../../errors';
import { validate } from '../../validation';
import { codeList } from '../parameters';
import { batchesHolding, indicatorsByCode } from './provenance.queries';

/**
 * GET /api/provenance?indicators=A,B: where the figures came from: the files (load batches) that hold the
 * indicators' current observations, when each was loaded, and its checksum; `loadedAt` is the latest of them,
 * the "data as loaded on" of a board paper.
 */
export const provenanceRoutes = new Hono<AppEnv>().get(
  '/',
  describeRoute({ tags: ['Catalogue'], summary: "The files holding the indicators' current figures, with their load dates and checksums" }),
  validate('query', z.object({ indicators: codeList.optional() })),
  async (c) => {
    const { db } = c.var.deps;
    const codes = c.req.valid('query').indicators;
    let selected;
    if (codes !== undefined) {
      const { found, missing } = await indicatorsByCode(db, codes);
      if (missing.length > 0) throw new ApiError(404, 'not_found', `No indicator with code "${missing[0]}"`, 'indicators');
      selected = found;
    }
    const batches = await batchesHolding(db, selected?.map((indicator) => indicator.id));
    return c.json({
      indicators: codes ?? null,
      loadedAt: batches[0]?.loadedAt.toISOString() ?? null,
      batches: batches.map((batch) => ({ ...batch, loadedAt: batch.loadedAt.toISOString() })),
    });
  },
);
