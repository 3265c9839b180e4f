import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryRows, type DatabaseHandle } from '../../db';
import { loadMemberships, loadNetworks, loadOrganisations } from '../../etl/load/load-reference';
import { LoadRejectedError } from '../../etl/problems';
import { loadOdsFile, loadPracticeMapFile, loadTrustMapFile } from '../../etl/reference/load-published';
import { describeDatabase } from '../support/database';
import { temporaryFolder } from '../support/etl-fixtures';
import { describeWithShared, readSharedCsv, sharedPath } from '../support/shared';

/**
 * NHS England's reference files (../shared/data/reference) loaded as published. Every expected count is worked
 * out here from the file itself, read without the ETL: a loader that dropped, doubled or misdated rows fails.
 */

const reference = (name: string) => sharedPath('data', 'reference', name);
const nothingChanged = { organisations: { created: 0, updated: 0 }, networks: { created: 0, updated: 0 }, memberships: { created: 0, closed: 0, removed: 0 } };

/** The ODS files are header-less, one record a line; a field may be quoted and hold a comma. */
function odsRows(name: string) {
  return readFileSync(reference(name), 'utf8')
    .split(/\r?\n/)
    .filter((line) => line !== '')
    .map((line) => {
      const cells = [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((match) => match[1].replace(/^"|"$/g, '').replace(/""/g, '"'));
      return { code: cells[0], name: cells[1], region: cells[2], icb: cells[3], opened: iso(cells[10]), closed: iso(cells[11]) };
    });
}
const iso = (compact: string) => (compact ? `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}` : null);
const dayAfter = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const distinct = (values: string[]) => new Set(values.filter((value) => value !== '')).size;

async function tally(handle: DatabaseHandle) {
  const count = async (query: ReturnType<typeof sql>) => Object.fromEntries((await queryRows<{ key: string; n: string | number }>(handle.db, query)).map((row) => [row.key, Number(row.n)]));
  return {
    organisations: await count(sql`select kind::text as key, count(*) as n from organisations group by kind`),
    networks: await count(sql`select kind::text as key, count(*) as n from networks group by kind`),
    memberships: await count(sql`select n.kind || case when m.valid_to is null then ' open' else ' closed' end as key, count(*) as n
                                 from network_memberships m join networks n on n.id = m.network_id group by 1`),
  };
}

async function refusal(load: () => Promise<unknown>) {
  const error = await load().then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(LoadRejectedError);
  return (error as LoadRejectedError).problems;
}

describeWithShared('reference data as published', () => {
  describeDatabase('ODS trust files, 2022 then 2026', (getDatabase) => {
    it('loads each as published, closes the memberships of trusts that moved ICB or closed, and a re-run changes nothing', async () => {
      const handle = getDatabase();
      const rows22 = odsRows('ods_etr_2022.csv');
      const rows26 = odsRows('ods_etr_2026.csv');
      // The 2022 file predates a closure of 31 March 2022 (RBZ), so it describes the start of that year.
      const asOf22 = '2022-01-01';
      const asOf26 = '2026-06-01';

      const first = await loadOdsFile(handle, reference('ods_etr_2022.csv'), asOf22);
      // A trust closed before the file's date joins no ICB; one closing later has a dated end.
      const start = (row: { opened: string | null }, asOf: string) => (row.opened && row.opened > asOf ? row.opened : asOf);
      const member22 = rows22.filter((row) => row.icb && (!row.closed || dayAfter(row.closed) > start(row, asOf22)));
      expect(first.memberships).toEqual({ created: member22.length, closed: 0, removed: 0 });
      expect(await tally(handle)).toEqual({
        organisations: { trust: rows22.length, region: distinct(rows22.map((row) => row.region)), icb: distinct(rows22.map((row) => row.icb)) },
        networks: { icb: distinct(rows22.map((row) => row.icb)) },
        memberships: { 'icb open': member22.filter((row) => !row.closed).length, ...(member22.some((row) => row.closed) ? { 'icb closed': member22.filter((row) => row.closed).length } : {}) },
      });

      const second = await loadOdsFile(handle, reference('ods_etr_2026.csv'), asOf26);
      const open22 = new Map(member22.filter((row) => !row.closed).map((row) => [row.code, row.icb]));
      const moved = rows26.filter((row) => open22.has(row.code) && row.icb && (row.icb !== open22.get(row.code) || row.closed));
      const joined = rows26.filter((row) => row.icb && (!row.closed || dayAfter(row.closed) > start(row, asOf26)) && open22.get(row.code) !== row.icb);
      expect(moved.length).toBeGreaterThan(0);
      expect(second.memberships).toEqual({ created: joined.length, closed: moved.length, removed: 0 });
      const codes = (pick: (row: ReturnType<typeof odsRows>[number]) => string) => distinct([...rows22, ...rows26].map(pick));
      const after = await tally(handle);
      expect(after.organisations).toEqual({ trust: codes((row) => row.code), region: codes((row) => row.region), icb: codes((row) => row.icb) });
      expect(after.networks).toEqual({ icb: codes((row) => row.icb) });

      expect(await loadOdsFile(handle, reference('ods_etr_2026.csv'), asOf26)).toEqual(nothingChanged);
      expect(await tally(handle)).toEqual(after);
      // Reloading the older file restates the memberships recorded, so only the names it spells otherwise come back.
      const names26 = new Map(rows26.map((row) => [row.code, row.name]));
      const renamed = rows22.filter((row) => names26.has(row.code) && names26.get(row.code) !== row.name).length;
      expect(await loadOdsFile(handle, reference('ods_etr_2022.csv'), asOf22)).toEqual({ ...nothingChanged, organisations: { created: 0, updated: renamed } });
      // An older file whose moves would be dated after the newer ones' is refused, naming the row and column.
      const problems = await refusal(() => loadOdsFile(handle, reference('ods_etr_c2015.csv'), null));
      expect(problems[0]).toMatchObject({ file: 'ods_etr_c2015.csv', column: 'column 4 (ICB/STP)' });
      expect(problems[0].reason).toMatch(/load files in date order/);
      expect(await tally(handle)).toEqual(after);
    });
  });

  describeDatabase('ODS trust file c2015, unquoted, without --as-of', (getDatabase) => {
    it('dates memberships from the open dates and takes the trusts listed without dates or region', async () => {
      const handle = getDatabase();
      const rows = odsRows('ods_etr_c2015.csv');
      expect(rows.some((row) => !row.opened && !row.icb)).toBe(true);
      await loadOdsFile(handle, reference('ods_etr_c2015.csv'), null);
      const members = rows.filter((row) => row.icb);
      expect(await tally(handle)).toEqual({
        organisations: { trust: rows.length, region: distinct(rows.map((row) => row.region)), icb: distinct(rows.map((row) => row.icb)) },
        networks: { icb: distinct(rows.map((row) => row.icb)) },
        memberships: { 'icb open': members.filter((row) => !row.closed).length, 'icb closed': members.filter((row) => row.closed).length },
      });
      const [earliest] = await queryRows<{ from: string }>(handle.db, sql`select min(valid_from)::text as "from" from network_memberships`);
      expect(earliest.from).toBe(members.map((row) => row.opened!).sort()[0]);
    });
  });

  describeDatabase('practice → PCN maps, January 2022 then QOF 2023-24, and the trust → STP lookup', (getDatabase) => {
    it('closes the PCN and ICB memberships of the practices that moved, and a user file names members loaded from them', async () => {
      const handle = getDatabase();
      const rows22 = readSharedCsv('data', 'reference', 'gp_practice_pcn_ccg_stp_region_map_2022-01.csv');
      const rows24 = readSharedCsv('data', 'reference', 'qof_practice_pcn_subicb_icb_region_mapping_2023-24.csv');

      await loadPracticeMapFile(handle, reference('gp_practice_pcn_ccg_stp_region_map_2022-01.csv'), null);
      expect(await tally(handle)).toEqual({
        organisations: {
          gp_practice: rows22.length,
          other: distinct(rows22.map((row) => row.CCG_CODE)),
          icb: distinct(rows22.map((row) => row.STP_CODE)),
          region: distinct(rows22.map((row) => row.COMM_REGION_CODE)),
        },
        networks: { primary_care_network: distinct(rows22.map((row) => row.PCN_CODE)), icb: distinct(rows22.map((row) => row.STP_CODE)) },
        memberships: { 'primary_care_network open': rows22.length, 'icb open': rows22.length },
      });
      const [dates] = await queryRows<{ from: string; n: string | number }>(handle.db, sql`select min(valid_from)::text as "from", count(distinct valid_from) as n from network_memberships`);
      expect(dates).toMatchObject({ from: '2022-01-01', n: expect.anything() });
      expect(Number(dates.n)).toBe(1);

      const pcn22 = new Map(rows22.map((row) => [row.PRACTICE_CODE, row.PCN_CODE]));
      const icb22 = new Map(rows22.map((row) => [row.PRACTICE_CODE, row.STP_CODE]));
      const movedPcn = rows24.filter((row) => pcn22.has(row.PRACTICE_CODE) && pcn22.get(row.PRACTICE_CODE) !== row.PCN_ODS_CODE).length;
      const movedIcb = rows24.filter((row) => icb22.has(row.PRACTICE_CODE) && icb22.get(row.PRACTICE_CODE) !== row.STP_ODS_CODE).length;
      const newPractices = rows24.filter((row) => !pcn22.has(row.PRACTICE_CODE)).length;
      expect(movedPcn).toBeGreaterThan(100);

      const later = await loadPracticeMapFile(handle, reference('qof_practice_pcn_subicb_icb_region_mapping_2023-24.csv'), '2024-03-31');
      expect(later.memberships).toEqual({ created: movedPcn + movedIcb + 2 * newPractices, closed: movedPcn + movedIcb, removed: 0 });
      const closed = await queryRows<{ kind: string; n: string | number }>(
        handle.db,
        sql`select n.kind::text as kind, count(*) as n from network_memberships m join networks n on n.id = m.network_id
            where m.valid_to = '2024-03-31' and m.valid_from = '2022-01-01' group by n.kind`,
      );
      expect(Object.fromEntries(closed.map((row) => [row.kind, Number(row.n)]))).toEqual({ primary_care_network: movedPcn, icb: movedIcb });
      // Each practice is in one PCN at a time: none has two open memberships.
      const [overlaps] = await queryRows<{ n: string | number }>(
        handle.db,
        sql`select count(*) as n from (select m.organisation_id from network_memberships m join networks n on n.id = m.network_id
            where m.valid_to is null group by m.organisation_id, n.kind having count(*) > 1) twice`,
      );
      expect(Number(overlaps.n)).toBe(0);
      const settled = await tally(handle);
      expect(await loadPracticeMapFile(handle, reference('qof_practice_pcn_subicb_icb_region_mapping_2023-24.csv'), '2024-03-31')).toEqual(nothingChanged);
      expect(await tally(handle)).toEqual(settled);

      const trusts = readSharedCsv('data', 'reference', 'trust_stp_lookup_2017-18_healthfoundation.csv');
      const map = await loadTrustMapFile(handle, reference('trust_stp_lookup_2017-18_healthfoundation.csv'), '2017-04-01');
      expect(map).toEqual({ organisations: { created: trusts.length, updated: 0 }, networks: { created: distinct(trusts.map((row) => row.STP_code)), updated: 0 }, memberships: { created: trusts.length, closed: 0, removed: 0 } });
      expect(await loadTrustMapFile(handle, reference('trust_stp_lookup_2017-18_healthfoundation.csv'), '2017-04-01')).toEqual(nothingChanged);

      // A user's own grouping may name practices and trusts the published files brought in.
      const files = temporaryFolder();
      try {
        await loadNetworks(handle, files.write('networks.csv', 'code,name,kind\nNORTH_TEST,A northern test group,custom\n'));
        const member = `NORTH_TEST,${rows24[0].PRACTICE_CODE},2024-04-01,\nNORTH_TEST,${trusts[0].code},2024-04-01,\n`;
        expect(await loadMemberships(handle, files.write('memberships.csv', `network_code,organisation_code,valid_from,valid_to\n${member}`))).toBe(2);
      } finally {
        files.remove();
      }
    });
  });

  describeDatabase('mis-shaped reference files', (getDatabase) => {
    const lines = (name: string) => readFileSync(reference(name), 'utf8').split(/\r?\n/).filter((line) => line !== '');
    const cases: { name: string; file: string; edit: (rows: string[]) => string[]; row: number; column: string; reason: RegExp; load?: 'practices' }[] = [
      { name: 'an ODS row with a column missing', file: 'ods_etr_2026.csv', edit: (rows) => rows.map((row, i) => (i === 4 ? row.slice(0, row.lastIndexOf(',')) : row)), row: 5, column: 'column 27', reason: /26 columns but the first row has 27/ },
      { name: 'an ODS open date that does not exist', file: 'ods_etr_2022.csv', edit: (rows) => rows.map((row, i) => (i === 2 ? row.replace(/"(\d{8})"/, '"20221399"') : row)), row: 3, column: 'column 11 (open date)', reason: /not a date in the form YYYYMMDD/ },
      { name: 'a blank ODS code', file: 'ods_etr_c2015.csv', edit: (rows) => rows.map((row, i) => (i === 1 ? row.replace(/^[^,]*/, '') : row)), row: 2, column: 'column 1 (code)', reason: /the code is empty/ },
      { name: 'an ODS file with a header', file: 'ods_etr_2026.csv', edit: (rows) => ['code,name,region,icb', ...rows], row: 1, column: 'column 1 (code)', reason: /no header, an organisation code in column 1/ },
      { name: 'a practice map without PCN_NAME', file: 'gp_practice_pcn_ccg_stp_region_map_2022-01.csv', edit: (rows) => rows.map((row) => row.split(',').filter((_, i) => i !== 6).join(',')), row: 1, column: 'PCN_NAME', reason: /the required column "PCN_NAME" is missing/, load: 'practices' },
      { name: 'a misspelt practice map column', file: 'gp_practice_pcn_ccg_stp_region_map_2022-01.csv', edit: ([head, ...rows]) => [head.replace('PRACTICE_POSTCODE', 'PRACTICE_POSTCOD'), ...rows], row: 1, column: 'PRACTICE_POSTCOD', reason: /did you mean "PRACTICE_POSTCODE"/, load: 'practices' },
      { name: 'a bad extract date', file: 'gp_practice_pcn_ccg_stp_region_map_2022-01.csv', edit: (rows) => rows.map((row, i) => (i === 7 ? row.replace('01Jan2022', '31Feb2022') : row)), row: 8, column: 'EXTRACT_DATE', reason: /not a date in the form 01Jan2022/, load: 'practices' },
      { name: 'a blank practice code', file: 'qof_practice_pcn_subicb_icb_region_mapping_2023-24.csv', edit: (rows) => rows.map((row, i) => (i === 3 ? row.replace(/^[^,]*/, '') : row)), row: 4, column: 'PRACTICE_CODE', reason: /the PRACTICE CODE is empty/, load: 'practices' },
    ];
    it('removes a membership an earlier file dated after the organisation closed, rather than leave it open', async () => {
      const handle = getDatabase();
      const files = temporaryFolder();
      const trust = (closed: string) => `"RZZ","TEST TRUST","Y56","QZZ","","","","LONDON","","SE1 1AA","20000101","${closed}"\n`;
      try {
        await loadOdsFile(handle, files.write('early.csv', trust('')), '2022-04-01');
        const summary = await loadOdsFile(handle, files.write('later.csv', trust('20220331')), '2026-06-01');
        expect(summary.memberships).toEqual({ created: 0, closed: 0, removed: 1 });
        const [left] = await queryRows<{ n: string | number }>(handle.db, sql`select count(*) as n from network_memberships m join organisations o on o.id = m.organisation_id where o.code = 'RZZ'`);
        expect(Number(left.n)).toBe(0);
      } finally {
        files.remove();
      }
    });
    it('refuses a code the file uses for two kinds of body, or one a network of another kind already has', async () => {
      const handle = getDatabase();
      const files = temporaryFolder();
      try {
        const before = await tally(handle);
        const clash = await refusal(() => loadOdsFile(handle, files.write('clash.csv', '"RZY","A TRUST","Y56","RZY","","","","LONDON","","SE1 1AA","20000101",""\n'), '2024-04-01'));
        expect(clash[0]).toMatchObject({ row: 1, column: 'column 1 (code)', value: 'RZY', reason: 'also the code of the icb in row 1, column 4 (ICB/STP)' });
        await loadNetworks(handle, files.write('networks.csv', 'code,name,kind\nQZX,A custom group,custom\n'));
        const taken = await refusal(() => loadOdsFile(handle, files.write('taken.csv', '"RZX","A TRUST","Y56","QZX","","","","LONDON","","SE1 1AA","20000101",""\n'), '2024-04-01'));
        expect(taken[0]).toMatchObject({ row: 1, column: 'column 4 (ICB/STP)', value: 'QZX', reason: 'a network of kind custom already has this code, not icb' });
        expect((await tally(handle)).organisations).toEqual(before.organisations);
      } finally {
        files.remove();
      }
    });
    it('points the organisations command, given a published ODS file, to the ods command', async () => {
      const problems = await refusal(() => loadOrganisations(getDatabase(), reference('ods_etr_2026.csv')));
      expect(problems).toEqual([{ file: 'ods_etr_2026.csv', row: 1, reason: expect.stringContaining('npm run etl -- ods FILE') }]);
    });
    for (const { name, file, edit, row, column, reason, load } of cases) {
      it(`refuses ${name}, naming the row and column, and loads nothing`, async () => {
        const handle = getDatabase();
        const files = temporaryFolder();
        try {
          const path = files.write(file, `${edit(lines(file)).join('\n')}\n`);
          const before = await tally(handle);
          const problems = await refusal(() => (load === 'practices' ? loadPracticeMapFile(handle, path, '2024-03-31') : loadOdsFile(handle, path, '2026-06-01')));
          expect(problems[0]).toMatchObject({ file, row, column });
          expect(problems[0].reason).toMatch(reason);
          expect(await tally(handle)).toEqual(before);
        } finally {
          files.remove();
        }
      });
    }
  });
});
