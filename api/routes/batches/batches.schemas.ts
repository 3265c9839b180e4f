import { z } from 'zod';

export const batchId = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });

export const batchList = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
