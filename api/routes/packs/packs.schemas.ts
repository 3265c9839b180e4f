import { z } from 'zod';
import { packFormats } from '../../pack/pack-files';
import { code, codeList, funnelMethod, periodLabel, suppression, suppressionReason } from '../parameters';

/** The parameters of a board pack, for the endpoint and `npm run pack` alike. */
export const packQuery = z.object({
  network: code,
  period: periodLabel,
  indicators: codeList.optional(),
  ...funnelMethod,
  suppression,
  suppressionReason,
  recent: z.coerce.number().int().min(1).max(40).default(4),
  format: z.enum(packFormats).default('pptx'),
});

/** The endpoint's parameters: without `period`, the latest period of the network's indicators (or of those named). */
export const packRouteQuery = packQuery.extend({ period: periodLabel.optional() });
