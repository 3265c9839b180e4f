import type { DatabaseHandle } from '../../db';
import { loadIndicators, loadMemberships, loadNetworks, loadOrganisations } from '../../etl/load/load-reference';
import type { temporaryFolder } from './etl-fixtures';

export const csv = (rows: (string | number)[][]) => rows.map((row) => row.join(',')).join('\n') + '\n';

/**
 * The peer adversary tests' reference data: trusts of the given codes, all members of one public network RX-NET,
 * and two proportions with opposite polarities and targets (deaths, lower is better; treated in time, higher).
 */
export async function loadPeerTestNetwork(handle: DatabaseHandle, files: ReturnType<typeof temporaryFolder>, codes: readonly string[]): Promise<void> {
  await loadOrganisations(handle, files.write('organisations.csv', csv([['code', 'name', 'kind', 'parent_code', 'opened_on', 'closed_on'], ...codes.map((code) => [code, `Trust ${code}`, 'trust', '', '', ''])])));
  await loadNetworks(handle, files.write('networks.csv', csv([['code', 'name', 'kind', 'description', 'restricted'], ['RX-NET', 'Network', 'custom', '', 'false']])));
  await loadMemberships(handle, files.write('network_memberships.csv', csv([['network_code', 'organisation_code', 'valid_from', 'valid_to'], ...codes.map((code) => ['RX-NET', code, '2020-04-01', ''])])));
  await loadIndicators(
    handle,
    files.write(
      'indicators.csv',
      csv([
        ['code', 'name', 'domain', 'measure_kind', 'polarity', 'multiplier', 'unit', 'definition', 'source', 'target'],
        ['RX-DEATHS', 'Deaths', 'Test', 'proportion', 'lower_is_better', 100, '%', '', '', 5],
        ['RX-TREATED', 'Treated in time', 'Test', 'proportion', 'higher_is_better', 100, '%', '', '', 90],
      ]),
    ),
  );
}
