import type { Context } from 'hono';
import type { ChartAnnotation } from '../../charts/annotation-marks';
import { requestAsCaller, type InProcessRequest } from '../../auth/authenticate';
import type { AppEnv } from '../../context';

/** The provider's notes on its SPC chart of the indicator, as the caller may see them (none when the route refuses). */
export async function spcAnnotations(c: Context<AppEnv>, request: InProcessRequest, query: URLSearchParams): Promise<ChartAnnotation[]> {
  const organisation = query.get('organisation');
  const indicator = query.get('indicator');
  if (!organisation || !indicator) return [];
  const response = await requestAsCaller(c, request, `/api/annotations?${new URLSearchParams({ organisation, indicator, chart: 'spc' })}`);
  if (!response.ok) return [];
  const body = (await response.json()) as { annotations: ChartAnnotation[] };
  return body.annotations.map(({ period, text, author, createdAt }) => ({ period, text, author, createdAt }));
}
