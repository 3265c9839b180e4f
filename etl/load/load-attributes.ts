import { basename } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { schema, withTransaction, type DatabaseHandle } from '../../db';
import { LoadRejectedError, type LoadProblem } from '../problems';
import { controlCharacterIn } from '../validate/observation-row';
import { fileChecksum } from './file-checksum';
import { readReferenceCsv, validateRows } from './load-reference';

const attributeTypes = ['numeric', 'categorical'] as const;
type AttributeType = (typeof attributeTypes)[number];

/** The same plain decimal the observation loader takes: no exponent, separator, symbol or leading +. */
const plainDecimal = /^-?\d+(\.\d+)?$/;
/** Attribute names are identifiers the API and the dashboard name them by (`attributes=beds,deprivation_decile`). */
const attributeName = /^[a-z][a-z0-9_]{0,62}$/;

interface AttributeRow {
  row: number;
  organisation: string;
  attribute: string;
  type: AttributeType;
  numericValue: number | null;
  category: string | null;
}

export interface AttributesLoadResult {
  status: 'loaded' | 'unchanged';
  batchId: number;
  file: string;
  rows: number;
  attributes: { name: string; type: AttributeType; organisations: number }[];
}

/**
 * attributes.csv: organisation_code, attribute, type (numeric or categorical), value: one row per organisation
 * and attribute (long form, so a file may carry any attributes). A numeric value is a plain decimal; a
 * categorical one is text. An attribute has one type in the file and the same type as any stored before; an
 * organisation gives each attribute once. All or nothing, as one audited load batch: the current value of an
 * attribute is the latest loaded batch's, so rolling the batch back (`npm run etl -- rollback ID`) restores the
 * values it replaced. Loading a file already loaded changes nothing.
 */
export async function loadAttributes(handle: DatabaseHandle, path: string, loadedBy = 'local'): Promise<AttributesLoadResult> {
  const file = basename(path);
  const checksum = await fileChecksum(path);
  const already = await handle.db.query.loadBatches.findFirst({ where: and(eq(schema.loadBatches.checksum, checksum), eq(schema.loadBatches.status, 'loaded')) });
  if (already) return { status: 'unchanged', batchId: already.id, file, rows: already.rowCount, attributes: [] };

  const { rows } = await readReferenceCsv(path, ['organisation_code', 'attribute', 'type', 'value'], ['organisation_code', 'attribute', 'type', 'value']);
  const values = validateRows(
    file,
    rows,
    (r): AttributeRow => {
      const organisation = r.text('organisation_code');
      const attribute = r.text('attribute');
      if (attribute !== '' && !attributeName.test(attribute)) r.fail('attribute', attribute, 'an attribute name is lower-case letters, digits and _, starting with a letter, at most 63 characters');
      const type = r.choice('type', attributeTypes);
      const text = r.text('value');
      let numericValue: number | null = null;
      let category: string | null = null;
      if (text !== '') {
        const control = controlCharacterIn(text);
        if (control) r.fail('value', text, `contains the control character ${control}`);
        else if (type === 'numeric') {
          if (plainDecimal.test(text) && Number.isFinite(Number(text))) numericValue = Number(text);
          else r.fail('value', text, 'a numeric attribute is a plain decimal (digits, optionally a point and more digits, optionally after a minus sign; no exponent, separator or symbol)');
        } else if (text.length > 200) r.fail('value', text, 'a category is at most 200 characters');
        else category = text;
      }
      return { row: r.row, organisation, attribute, type, numericValue, category };
    },
    // Duplicates are found below, naming the attribute rather than a code column this file does not have.
    (value) => String(value.row),
  );

  const problems: LoadProblem[] = [];
  const typeOf = new Map<string, { type: AttributeType; row: number }>();
  const firstRow = new Map<string, number>();
  for (const value of values) {
    const key = `${value.organisation}|${value.attribute}`;
    const earlier = firstRow.get(key);
    if (earlier !== undefined) problems.push({ file, row: value.row, column: 'attribute', value: value.attribute, reason: `${value.organisation} gives ${value.attribute} already in row ${earlier}` });
    else firstRow.set(key, value.row);
    const first = typeOf.get(value.attribute);
    if (!first) typeOf.set(value.attribute, { type: value.type, row: value.row });
    else if (first.type !== value.type) problems.push({ file, row: value.row, column: 'type', value: value.type, reason: `${value.attribute} is ${first.type} in row ${first.row}; an attribute has one type` });
  }
  if (problems.length > 0) throw new LoadRejectedError(file, problems);

  return withTransaction(handle, async (session) => {
    await session.query(`select pg_advisory_xact_lock(7325001)`);
    const organisations = new Map((await session.query<{ id: number; code: string }>(`select id, code from organisations`)).map((row) => [row.code, Number(row.id)]));
    const storedTypes = new Map(
      (await session.query<{ attribute: string; kind: AttributeType }>(`select distinct attribute, kind::text as kind from organisation_attributes`)).map((row) => [row.attribute, row.kind]),
    );
    const refused: LoadProblem[] = values.flatMap((value) => [
      ...(organisations.has(value.organisation) ? [] : [{ file, row: value.row, column: 'organisation_code', value: value.organisation, reason: 'unknown organisation' }]),
      ...(storedTypes.has(value.attribute) && storedTypes.get(value.attribute) !== value.type
        ? [{ file, row: value.row, column: 'type', value: value.type, reason: `${value.attribute} is stored as ${storedTypes.get(value.attribute)}; an attribute keeps its type` }]
        : []),
    ]);
    if (refused.length > 0) throw new LoadRejectedError(file, refused);
    const [batch] = await session.run<{ id: number }>(
      handle.db.insert(schema.loadBatches).values({ fileName: file, format: 'attributes', checksum, rowCount: values.length, loadedBy }).returning({ id: schema.loadBatches.id }),
    );
    for (let start = 0; start < values.length; start += 1000) {
      await session.run(
        handle.db.insert(schema.organisationAttributes).values(
          values.slice(start, start + 1000).map((value) => ({
            loadBatchId: batch.id,
            organisationId: organisations.get(value.organisation)!,
            attribute: value.attribute,
            kind: value.type,
            numericValue: value.numericValue,
            category: value.category,
          })),
        ),
      );
    }
    const attributes = [...typeOf].map(([name, { type }]) => ({ name, type, organisations: values.filter((value) => value.attribute === name).length }));
    await session.run(
      handle.db.insert(schema.auditEvents).values({ actor: loadedBy, action: 'load', details: { batchId: batch.id, file, format: 'attributes', rows: values.length, attributes: attributes.map((a) => a.name) } }),
    );
    return { status: 'loaded' as const, batchId: batch.id, file, rows: values.length, attributes };
  });
}
