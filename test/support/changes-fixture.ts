import { createApiToken } from '../../api/auth/tokens.queries';
import { schema, type DatabaseHandle } from '../../db';
import { loadObservations } from '../../etl/load/load-observations';
import { loadIndicators, loadMemberships, loadNetworks, loadOrganisations } from '../../etl/load/load-reference';
import { openObservationSource } from '../../etl/sources/open-source';
import { temporaryFolder } from './etl-fixtures';

/**
 * A small network for what-changed and alerts: 20 trusts reporting one proportion (READMIT, lower is better)
 * over four quarters, all close to 10 %; NET1 holds RT01–RT10, the restricted SECRET holds RT05. `revision(n)`
 * revises 2024/25 Q4 giving RT05 n readmissions of 1,000 (200 puts it far beyond 99.8 %; 3 is withheld).
 */
export const trusts = Array.from({ length: 20 }, (_, i) => `RT${String(i + 1).padStart(2, '0')}`);
export const quarters = ['2024/25 Q1', '2024/25 Q2', '2024/25 Q3', '2024/25 Q4'];
const numerator = (i: number, q: number) => 95 + ((i * 7 + q * 3) % 11);

export const observationsCsv = (rows: [string, string, number, number][]) =>
  ['indicator_code,organisation_code,period,numerator,denominator', ...rows.map(([org, period, n, d]) => `READMIT,${org},${period},${n},${d}`)].join('\n') + '\n';

export const baseFile = () => observationsCsv(quarters.flatMap((period, q) => trusts.map((org, i): [string, string, number, number] => [org, period, numerator(i, q), 1000])));
export const revisionFile = (rt05: number) => observationsCsv(trusts.map((org, i): [string, string, number, number] => [org, quarters[3], org === 'RT05' ? rt05 : numerator(i, 3), 1000]));

export async function seedChangesFixture(handle: DatabaseHandle) {
  const files = temporaryFolder();
  await loadOrganisations(handle, files.write('organisations.csv', ['code,name,kind,parent_code,opened_on,closed_on', ...trusts.map((code) => `${code},Trust ${code},trust,,,`)].join('\n')));
  await loadNetworks(handle, files.write('networks.csv', ['code,name,kind,description,restricted', 'NET1,Test network,custom,,false', 'SECRET,Restricted network,custom,,true'].join('\n')));
  await loadMemberships(
    handle,
    files.write('memberships.csv', ['network_code,organisation_code,valid_from,valid_to', ...trusts.slice(0, 10).map((code) => `NET1,${code},2020-01-01,`), 'SECRET,RT05,2020-01-01,'].join('\n')),
  );
  await loadIndicators(
    handle,
    files.write('indicators.csv', ['code,name,domain,measure_kind,polarity,multiplier,unit,definition,source,target', 'READMIT,Emergency readmissions,Effectiveness,proportion,lower_is_better,100,%,,,'].join('\n')),
  );
  let n = 0;
  const load = async (content: string, options: { dryRun?: boolean } = {}) => {
    const path = files.write(`file-${++n}.csv`, content);
    return loadObservations(handle, await openObservationSource(path), path, { loadedBy: 'analyst@example.nhs.uk', ...options });
  };
  /** The same bytes written again under another name: a reload of an identical file. */
  const reload = async (content: string) => {
    const path = files.write(`again-${++n}.csv`, content);
    return loadObservations(handle, await openObservationSource(path), path, { loadedBy: 'analyst@example.nhs.uk' });
  };
  const person = async (subject: string, role: 'viewer' | 'analyst' | 'admin', email: string | null) => {
    const [user] = await handle.db.insert(schema.users).values({ subject, role, email }).returning();
    return { id: user.id, token: (await createApiToken(handle.db, { userId: user.id, scopes: ['read', 'write'], days: 1 })).token };
  };
  return { files, load, reload, person };
}
