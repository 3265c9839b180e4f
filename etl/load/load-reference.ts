import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { sql } from 'drizzle-orm';
import { schema, withTransaction, type DatabaseHandle, type TransactionSession } from '../../db';
import { openCsv } from '../csv/csv-records';
import { LoadRejectedError, type LoadProblem } from '../problems';
import { resolveColumns } from '../sources/columns';
import { looksLikeOdsRecord } from '../reference/ods-file';
import { ReferenceRowReader } from '../validate/reference-rows';

type Cells = Record<string, string | undefined>;

const organisationKinds = ['trust', 'site', 'gp_practice', 'icb', 'region', 'other'] as const;
const networkKinds = ['strategic_clinical_network', 'operational_delivery_network', 'primary_care_network', 'cancer_network', 'icb', 'custom'] as const;
const measureKinds = ['proportion', 'crude_rate', 'indirectly_standardised_ratio', 'directly_standardised_rate', 'mean'] as const;
const polarities = ['higher_is_better', 'lower_is_better', 'no_judgement'] as const;

/** Reads a documented reference CSV into rows of named cells, refusing a missing or unknown column. */
export async function readReferenceCsv(path: string, columns: readonly string[], required: readonly string[]) {
  const file = basename(path);
  const { header, records } = await openCsv(path);
  if (columns.includes('code') && looksLikeOdsRecord(header)) {
    throw new LoadRejectedError(file, [{ file, row: 1, reason: 'no header: this looks like an ODS organisation file as published; load it with `npm run etl -- ods FILE`' }]);
  }
  const positions = resolveColumns(
    file,
    header,
    columns.map((name) => ({ field: name, names: [name], required: required.includes(name) })),
    { allowUnknown: false },
  );
  const rows: { row: number; cells: Cells }[] = [];
  for await (const record of records) {
    if (record.fields.length !== header.length) {
      throw new LoadRejectedError(file, [{ file, row: record.row, reason: `the row has ${record.fields.length} fields but the header has ${header.length}` }]);
    }
    rows.push({ row: record.row, cells: Object.fromEntries([...positions].map(([name, index]) => [name, record.fields[index]])) });
  }
  return { file, rows };
}

/** Validates every row, refuses the file on any problem, and flags a code that appears twice. */
export function validateRows<T>(file: string, rows: { row: number; cells: Cells }[], parse: (reader: ReferenceRowReader) => T, key: (value: T) => string) {
  const problems: LoadProblem[] = [];
  const values: T[] = [];
  const firstRow = new Map<string, number>();
  for (const { row, cells } of rows) {
    const reader = new ReferenceRowReader(file, row, cells);
    const value = parse(reader);
    if (reader.problems.length === 0) {
      const earlier = firstRow.get(key(value));
      if (earlier !== undefined) reader.fail('code', key(value), `a duplicate of row ${earlier}`);
      else firstRow.set(key(value), row);
    }
    problems.push(...reader.problems);
    values.push(value);
  }
  if (rows.length === 0) problems.push({ file, row: 0, reason: 'the file has no rows to load' });
  if (problems.length > 0) throw new LoadRejectedError(file, problems);
  return values;
}

const chunks = <T>(values: T[], size = 1000) => Array.from({ length: Math.ceil(values.length / size) }, (_, i) => values.slice(i * size, (i + 1) * size));
export const excluded = (column: string) => sql.raw(`excluded."${column}"`);

/** organisations.csv: code, name, kind, parent_code, opened_on, closed_on. Upserts by code. */
export async function loadOrganisations(handle: DatabaseHandle, path: string): Promise<number> {
  const { file, rows } = await readReferenceCsv(path, ['code', 'name', 'kind', 'parent_code', 'opened_on', 'closed_on'], ['code', 'name', 'kind']);
  const organisations = validateRows(
    file,
    rows,
    (r) => ({ row: r.row, code: r.text('code'), name: r.text('name'), kind: r.choice('kind', organisationKinds), parentCode: r.optionalText('parent_code'), openedOn: r.date('opened_on', false), closedOn: r.date('closed_on', false) }),
    (organisation) => organisation.code,
  );
  return withTransaction(handle, async (session) => {
    const existing = await session.query<{ code: string }>(`select code from organisations`);
    const known = new Set([...existing.map((row) => row.code), ...organisations.map((organisation) => organisation.code)]);
    const problems = organisations
      .filter((organisation) => organisation.parentCode && !known.has(organisation.parentCode))
      .map((organisation) => ({ file, row: organisation.row, column: 'parent_code', value: organisation.parentCode!, reason: 'unknown parent organisation' }));
    if (problems.length > 0) throw new LoadRejectedError(file, problems);
    for (const chunk of chunks(organisations)) {
      await session.run(
        handle.db
          .insert(schema.organisations)
          .values(chunk.map(({ code, name, kind, openedOn, closedOn }) => ({ code, name, kind, openedOn, closedOn })))
          .onConflictDoUpdate({
            target: schema.organisations.code,
            set: { name: excluded('name'), kind: excluded('kind'), openedOn: excluded('opened_on'), closedOn: excluded('closed_on') },
          }),
      );
    }
    const parents = organisations.filter((organisation) => organisation.parentCode);
    if (parents.length > 0) {
      await session.query(
        `update organisations child set parent_id = parent.id
         from unnest($1::text[], $2::text[]) as link(code, parent_code)
         join organisations parent on parent.code = link.parent_code
         where child.code = link.code`,
        [parents.map((organisation) => organisation.code), parents.map((organisation) => organisation.parentCode)],
      );
    }
    return organisations.length;
  });
}

/**
 * networks.csv: code, name, kind, description, restricted. Upserts by code. Restricting a network or lifting
 * its restriction changes who may see it, so each such change is audited as a setting change.
 */
export async function loadNetworks(handle: DatabaseHandle, path: string, by = 'local'): Promise<number> {
  const { file, rows } = await readReferenceCsv(path, ['code', 'name', 'kind', 'description', 'restricted'], ['code', 'name', 'kind']);
  const networks = validateRows(
    file,
    rows,
    (r) => ({ code: r.text('code'), name: r.text('name'), kind: r.choice('kind', networkKinds), description: r.optionalText('description'), restricted: r.flag('restricted') }),
    (network) => network.code,
  );
  await withTransaction(handle, async (session) => {
    const before = new Map((await session.query<{ code: string; restricted: boolean }>(`select code, restricted from networks`)).map((row) => [row.code, row.restricted]));
    for (const chunk of chunks(networks)) {
      await session.run(
        handle.db
          .insert(schema.networks)
          .values(chunk)
          .onConflictDoUpdate({
            target: schema.networks.code,
            set: { name: excluded('name'), kind: excluded('kind'), description: excluded('description'), restricted: excluded('restricted') },
          }),
      );
    }
    const changed = networks.filter((network) => (before.get(network.code) ?? false) !== network.restricted);
    if (changed.length > 0) {
      const changes = changed.map((network) => ({ network: network.code, restricted: network.restricted }));
      await session.run(handle.db.insert(schema.auditEvents).values({ actor: by, action: 'setting_changed', details: { setting: 'network.restricted', file, changes } }));
    }
  });
  return networks.length;
}

/** network_memberships.csv: network_code, organisation_code, valid_from, valid_to (exclusive; empty = current). */
export async function loadMemberships(handle: DatabaseHandle, path: string): Promise<number> {
  const { file, rows } = await readReferenceCsv(path, ['network_code', 'organisation_code', 'valid_from', 'valid_to'], ['network_code', 'organisation_code', 'valid_from']);
  const memberships = validateRows(
    file,
    rows,
    (r) => {
      const membership = { row: r.row, networkCode: r.text('network_code'), organisationCode: r.text('organisation_code'), validFrom: r.date('valid_from', true), validTo: r.date('valid_to', false) };
      if (membership.validFrom && membership.validTo && membership.validTo <= membership.validFrom) r.fail('valid_to', membership.validTo, 'must be after valid_from');
      return membership;
    },
    (membership) => `${membership.networkCode}|${membership.organisationCode}|${membership.validFrom}`,
  );
  return withTransaction(handle, async (session) => {
    const networks = new Map((await session.query<{ id: number; code: string }>(`select id, code from networks`)).map((row) => [row.code, row.id]));
    const organisations = new Map((await session.query<{ id: number; code: string }>(`select id, code from organisations`)).map((row) => [row.code, row.id]));
    const problems: LoadProblem[] = memberships.flatMap((membership) => [
      ...(networks.has(membership.networkCode) ? [] : [{ file, row: membership.row, column: 'network_code', value: membership.networkCode, reason: 'unknown network' }]),
      ...(organisations.has(membership.organisationCode) ? [] : [{ file, row: membership.row, column: 'organisation_code', value: membership.organisationCode, reason: 'unknown organisation' }]),
    ]);
    if (problems.length > 0) throw new LoadRejectedError(file, problems);
    for (const chunk of chunks(memberships)) {
      await session.run(
        handle.db
          .insert(schema.networkMemberships)
          .values(chunk.map((m) => ({ networkId: networks.get(m.networkCode)!, organisationId: organisations.get(m.organisationCode)!, validFrom: m.validFrom!, validTo: m.validTo })))
          .onConflictDoUpdate({
            target: [schema.networkMemberships.networkId, schema.networkMemberships.organisationId, schema.networkMemberships.validFrom],
            set: { validTo: excluded('valid_to') },
          }),
      );
    }
    return memberships.length;
  });
}

const indicatorColumns = ['code', 'name', 'domain', 'measure_kind', 'polarity', 'multiplier', 'unit', 'definition', 'source', 'target', 'default_convention'] as const;
const funnelConventions = ['spiegelhalter', 'cqc', 'shmi'] as const;

/** JSON objects with the indicators file's snake_case keys as rows of cells, refusing anything but an array. */
export function jsonRows(file: string, parsed: unknown, columns: readonly string[], what: string): { row: number; cells: Cells }[] {
  if (!Array.isArray(parsed)) throw new LoadRejectedError(file, [{ file, row: 0, reason: `the JSON must be an array of ${what} objects` }]);
  return parsed.map((item: Record<string, unknown>, index) => ({
    row: index + 1,
    cells: Object.fromEntries(columns.map((column) => [column, item?.[column] === null || item?.[column] === undefined ? '' : String(item[column])])),
  }));
}

export async function readJson(path: string): Promise<unknown> {
  const file = basename(path);
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new LoadRejectedError(file, [{ file, row: 0, reason: `not valid JSON (${(error as Error).message})` }]);
  }
}

export const indicatorRows = (file: string, parsed: unknown) => jsonRows(file, parsed, indicatorColumns, 'indicator');

/** Validated indicators from rows of cells; refuses the file on any problem. */
export function parseIndicators(file: string, rows: { row: number; cells: Cells }[]) {
  return validateRows(
    file,
    rows,
    (r) => ({
      code: r.text('code'),
      name: r.text('name'),
      domain: r.text('domain'),
      measureKind: r.choice('measure_kind', measureKinds),
      polarity: r.choice('polarity', polarities),
      multiplier: r.number('multiplier', { required: false, positive: true }) ?? 1,
      unit: r.text('unit'),
      definition: r.optionalText('definition'),
      source: r.optionalText('source'),
      target: r.number('target', { required: false }),
      defaultConvention: r.optionalText('default_convention') === null ? null : r.choice('default_convention', funnelConventions),
    }),
    (indicator) => indicator.code,
  );
}

/** Upserts indicators by code inside the caller's transaction. */
export async function upsertIndicators(handle: DatabaseHandle, session: TransactionSession, indicators: ReturnType<typeof parseIndicators>) {
  for (const chunk of chunks(indicators)) {
    await session.run(
      handle.db
        .insert(schema.indicators)
        .values(chunk)
        .onConflictDoUpdate({
          target: schema.indicators.code,
          set: Object.fromEntries(
            indicatorColumns
              .filter((column) => column !== 'code')
              .map((column) => [column.replace(/_(\w)/g, (_, letter: string) => letter.toUpperCase()), excluded(column)]),
          ),
        }),
    );
  }
}

/** indicators.csv or .json (an array of objects with the same snake_case keys). Upserts by code. */
export async function loadIndicators(handle: DatabaseHandle, path: string): Promise<number> {
  const file = basename(path);
  const rows = path.toLowerCase().endsWith('.json')
    ? indicatorRows(file, await readJson(path))
    : (await readReferenceCsv(path, indicatorColumns, ['code', 'name', 'domain', 'measure_kind', 'polarity', 'unit'])).rows;
  const indicators = parseIndicators(file, rows);
  await withTransaction(handle, (session) => upsertIndicators(handle, session, indicators));
  return indicators.length;
}
