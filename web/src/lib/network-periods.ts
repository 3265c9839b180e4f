import { ok, type ApiClient } from './api';

/** The periods any of a network's indicators has data for, newest first: the choices of a period picker. */
export async function networkPeriods(api: ApiClient, indicatorCodes: string[]): Promise<string[]> {
  const lists = await Promise.all(indicatorCodes.map((code) => api.api.indicators[':code'].periods.$get({ param: { code } }).then(ok)));
  return [...new Map(lists.flatMap(({ periods }) => periods).map((period) => [period.label, period.endDate])).entries()]
    .sort((a, b) => b[1].localeCompare(a[1]) || a[0].localeCompare(b[0]))
    .map(([label]) => label);
}
