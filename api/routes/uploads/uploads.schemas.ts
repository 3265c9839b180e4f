import { z } from 'zod';
import { uploadFormats } from '../../upload-etl';

/** The options of an upload, from the query string or the dashboard's form fields. */
export const uploadOptions = z.object({
  /** The raw body's file name (a form names its file itself). */
  name: z.string().trim().min(1).max(255).optional(),
  /** auto (or absent): detected from the file as `npm run etl -- observations` does. */
  format: z.enum(['auto', ...uploadFormats]).optional(),
  /** SHMI files: our indicator code (default SHMI) and the period when the file has no period column. */
  indicator: z.string().trim().max(50).optional(),
  period: z.string().trim().max(50).optional(),
});

export const uploadId = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'not an upload id') });

export const uploadList = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });
