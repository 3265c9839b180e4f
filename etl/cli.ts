import { readdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDatabase, DatabaseLockedError, databaseConfigFromEnv, migrateDatabase, type DatabaseHandle } from '../db';
import { addUser, createTokenFor } from './access/access';
import { demoLoadSummary, loadDemo } from './demo/load-demo';
import { formatExampleSummary, loadExample } from './example/load-example';
import { auditRefusals } from './load/audit-refusals';
import { listBatches, rollbackBatch } from './load/batches';
import { loadObservations } from './load/load-observations';
import { loadAttributes } from './load/load-attributes';
import { loadCatalogue } from './load/load-catalogue';
import { loadTargets } from './load/load-targets';
import { loadIndicators, loadMemberships, loadNetworks, loadOrganisations } from './load/load-reference';
import { EtlCommandError, LoadRejectedError } from './problems';
import { loadOdsFile, loadPracticeMapFile, loadTrustMapFile } from './reference/load-published';
import { isoDate } from './reference/published-dates';
import { formatSummary } from './reference/reference-snapshot';
import { terminalProgress } from './progress';
import { openObservationSource, type ObservationFormat } from './sources/open-source';

const usage = `Usage: npm run etl -- <command> [options]

  organisations <file.csv>        code, name, kind, parent_code, opened_on, closed_on
  networks <file.csv>             code, name, kind, description, restricted
  memberships <file.csv>          network_code, organisation_code, valid_from, valid_to
  indicators <file.csv|json>      code, name, domain, measure_kind, polarity, multiplier, unit, definition, source, target,
                                  default_convention (optional: spiegelhalter, cqc or shmi)
  catalogue [<file.json>]         the standard national indicators with their conventions and targets by period
                                  (default: the shipped etl/catalogue/national-indicators.json)
  targets <file.csv>              indicator, kind, network, valid_from, valid_to, value, source: dated standards and
                                  local ambitions (kind local_ambition, network optional), all or nothing
  attributes <file.csv>           organisation_code, attribute, type (numeric or categorical), value: organisation
                                  attributes for peer groups, as one audited batch, all or nothing
  reference <folder>              the four files above, by those names (network_memberships.csv), in order
  ods <file.csv> [--as-of DATE]   an ODS organisation file (etr) as published, header-less: trusts, regions, ICB networks
  practices <file.csv> [--as-of DATE]
                                  a practice → PCN → sub-ICB/CCG → ICB/STP → region map (2022 or QOF layout)
  trust-map <file.csv> --as-of DATE
                                  a trust → STP lookup (NHS England Region, Trust, code, STP, STP_code)
  observations <file>             one file of observations as one batch
      --format generic|fingertips|shmi|cwt|ae|age-bands|arrow|parquet (default: detected from the file)
      --indicator CODE --period LABEL          SHMI files: indicator code (default SHMI) and period
      --period LABEL                           CWT files: the period, when the file name (cwt_2026-01_…) lacks it
      --map-indicator ID=CODE                  Fingertips files: map an Indicator ID to an indicator code
      --multiplier N                           age-band files: a DSR per N people (default 100000)
      --create-missing                         create unknown organisations instead of refusing them
      --rejects FILE.csv                       load the valid rows; write the rejected rows and reasons here
  example england                 load the bundled extract of NHS England's public data (examples/england);
                                  refused in a database holding the demo
  demo [--seed N]                 generate the seeded demo data set (see etl/demo/PLANTED-EFFECTS.md) and load it
  batches                         list load batches
  rollback <batch id>             undo one batch, restoring what it revised
      --user NAME                              who the audit trail names for a load or rollback (default: the OS user)
  user add --subject S --role viewer|analyst|admin [--name N] [--email E] [--network CODE …]
                                  add or update a user; --network grants a restricted network
  token create --user SUBJECT --scopes read,write [--days 90] [--name N]
                                  make an API token for the user and print it (shown this once only)

The database is PGlite in .data/pglite (one process at a time: not while the server has it open), or
PostgreSQL when DATABASE_URL is set.`;

const referenceFiles = [
  ['organisations.csv', loadOrganisations],
  ['networks.csv', loadNetworks],
  ['network_memberships.csv', loadMemberships],
  ['indicators.csv', loadIndicators],
] as const;

async function run(handle: DatabaseHandle, command: string, positionals: string[], values: Record<string, string | boolean | string[] | undefined>) {
  const target = positionals[0];
  const need = () => {
    if (!target) throw new EtlCommandError(`${command} needs a file or folder\n\n${usage}`);
    return target;
  };
  // Who the audit trail names for what this command changes.
  const by = (values.user as string | undefined) ?? process.env.USER ?? userInfo().username;
  switch (command) {
    case 'organisations':
    case 'networks':
    case 'memberships':
    case 'indicators': {
      const loader = { organisations: loadOrganisations, networks: loadNetworks, memberships: loadMemberships, indicators: loadIndicators }[command];
      console.log(`${command}: ${await loader(handle, need(), by)} rows loaded`);
      return;
    }
    case 'catalogue': {
      const loaded = await loadCatalogue(handle, target);
      console.log(`catalogue: ${loaded.indicators} indicators and ${loaded.targets} targets loaded`);
      return;
    }
    case 'targets': {
      console.log(`targets: ${await loadTargets(handle, need())} rows loaded`);
      return;
    }
    case 'attributes': {
      const path = need();
      const result = await auditRefusals(handle, 'load', by, { file: basename(path), format: 'attributes' }, () => loadAttributes(handle, path, by));
      if (result.status === 'unchanged') console.log(`${result.file}: already loaded as batch ${result.batchId}; nothing changed`);
      else {
        console.log(`${result.file}: batch ${result.batchId}, ${result.rows} attribute values loaded`);
        for (const attribute of result.attributes) console.log(`  ${attribute.name} (${attribute.type}): ${attribute.organisations} organisation${attribute.organisations === 1 ? '' : 's'}`);
      }
      return;
    }
    case 'reference': {
      const folder = need();
      const present = new Set(await readdir(folder));
      for (const [name, loader] of referenceFiles) {
        if (present.has(name)) console.log(`${name}: ${await loader(handle, join(folder, name), by)} rows loaded`);
      }
      return;
    }
    case 'ods':
    case 'practices':
    case 'trust-map': {
      const path = need();
      const asOf = values['as-of'] === undefined ? null : isoDate(values['as-of'] as string);
      if (values['as-of'] !== undefined && asOf === null) throw new EtlCommandError(`--as-of takes a date YYYY-MM-DD, got "${values['as-of']}"`);
      if (command === 'trust-map' && asOf === null) throw new EtlCommandError('trust-map needs --as-of YYYY-MM-DD: the date the lookup describes');
      const summary =
        command === 'ods' ? await loadOdsFile(handle, path, asOf) : command === 'practices' ? await loadPracticeMapFile(handle, path, asOf) : await loadTrustMapFile(handle, path, asOf!);
      console.log(formatSummary(basename(path), summary));
      return;
    }
    case 'observations': {
      const path = need();
      const indicatorMap = new Map(
        ((values['map-indicator'] as string[] | undefined) ?? []).map((pair) => {
          const [id, code] = pair.split('=');
          if (!id || !code) throw new EtlCommandError(`--map-indicator takes ID=CODE, got "${pair}"`);
          return [id.trim(), code.trim()] as const;
        }),
      );
      const source = await openObservationSource(path, {
        format: values.format as ObservationFormat | undefined,
        indicator: values.indicator as string | undefined,
        period: values.period as string | undefined,
        indicatorMap,
        multiplier: values.multiplier === undefined ? undefined : positiveNumber(values.multiplier as string),
      });
      const result = await auditRefusals(handle, 'load', by, { file: basename(path), format: source.format }, () =>
        loadObservations(handle, source, path, {
          createMissingOrganisations: values['create-missing'] === true,
          rejectsPath: values.rejects as string | undefined,
          loadedBy: by,
          progress: terminalProgress(),
        }),
      );
      if (result.status === 'unchanged') console.log(`${result.file}: already loaded as batch ${result.batchId}; nothing changed`);
      else {
        console.log(
          `${result.file}: batch ${result.batchId}, ${result.rows} rows loaded` +
            (result.rejectedRows ? `, ${result.rejectedRows} rejected (see ${values.rejects})` : '') +
            (result.skippedRows ? `, ${result.skippedRows} passed over` : '') +
            (result.supersededRows ? `, ${result.supersededRows} earlier rows revised` : '') +
            (result.supersededBatchIds.length ? `; batch ${result.supersededBatchIds.join(', ')} superseded` : ''),
        );
        for (const filter of result.filters) console.log(`  applied: ${filter}`);
        for (const { reason, rows } of result.passedOver) console.log(`  passed over: ${rows} row${rows === 1 ? '' : 's'}, ${reason}`);
      }
      return;
    }
    case 'example': {
      console.log(formatExampleSummary(need(), await loadExample(handle, need(), { loadedBy: by, progress: terminalProgress() })));
      return;
    }
    case 'demo': {
      const seed = values.seed === undefined ? undefined : Number(values.seed);
      if (seed !== undefined && !Number.isInteger(seed)) throw new EtlCommandError(`--seed takes a whole number, got "${values.seed}"`);
      console.log(demoLoadSummary(await loadDemo(handle, { seed, progress: terminalProgress() })));
      return;
    }
    case 'batches': {
      for (const batch of await listBatches(handle.db)) {
        console.log(
          [batch.id, batch.loadedAt.toISOString(), batch.status, `${batch.rowCount} rows`, batch.fileName, batch.supersededById ? `superseded by ${batch.supersededById}` : '']
            .filter(Boolean)
            .join('\t'),
        );
      }
      return;
    }
    case 'rollback': {
      const id = Number(need());
      if (!Number.isInteger(id) || id <= 0) throw new EtlCommandError(`rollback needs a batch id (a whole number), got "${target}"`);
      const result = await auditRefusals(handle, 'rollback', by, { batchId: id }, () => rollbackBatch(handle, id, by));
      console.log(`batch ${id} rolled back: ${result.removedRows} rows removed, ${result.restoredRows} earlier rows restored`);
      return;
    }
    case 'user': {
      if (target !== 'add') throw new EtlCommandError(`user takes add\n\n${usage}`);
      if (typeof values.subject !== 'string' || typeof values.role !== 'string') throw new EtlCommandError('user add needs --subject and --role');
      const operator = process.env.USER ?? userInfo().username;
      const networks = (values.network as string[] | undefined) ?? [];
      const user = await addUser(handle, { subject: values.subject, role: values.role, displayName: values.name as string | undefined, email: values.email as string | undefined, networks }, operator);
      console.log(`user ${user.subject} (id ${user.id}) is ${user.role}${networks.length ? `, member of ${networks.join(', ')}` : ''}`);
      return;
    }
    case 'token': {
      if (target !== 'create') throw new EtlCommandError(`token takes create\n\n${usage}`);
      if (typeof values.user !== 'string' || typeof values.scopes !== 'string') throw new EtlCommandError('token create needs --user and --scopes');
      const operator = process.env.USER ?? userInfo().username;
      const days = values.days === undefined ? 90 : Number(values.days);
      const created = await createTokenFor(handle, { subject: values.user, scopes: values.scopes, days, name: values.name as string | undefined }, operator);
      console.error(`token ${created.id} for ${values.user}, scopes ${created.scopes.join(',')}, expires ${created.expiresAt.toISOString()}; it is shown only now:`);
      console.log(created.token);
      return;
    }
    default:
      throw new EtlCommandError(command ? `unknown command "${command}"\n\n${usage}` : usage);
  }
}

const positiveNumber = (text: string) => {
  if (!/^\d+(\.\d+)?$/.test(text) || Number(text) <= 0) throw new EtlCommandError(`--multiplier takes a number greater than zero, got "${text}"`);
  return Number(text);
};

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    format: { type: 'string' },
    indicator: { type: 'string' },
    period: { type: 'string' },
    'map-indicator': { type: 'string', multiple: true },
    multiplier: { type: 'string' },
    'create-missing': { type: 'boolean' },
    rejects: { type: 'string' },
    seed: { type: 'string' },
    user: { type: 'string' },
    subject: { type: 'string' },
    role: { type: 'string' },
    name: { type: 'string' },
    email: { type: 'string' },
    network: { type: 'string', multiple: true },
    scopes: { type: 'string' },
    days: { type: 'string' },
    'as-of': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help || positionals.length === 0) {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}

// Another process holding the embedded database is a refusal to explain, not a crash.
const handle = await createDatabase(databaseConfigFromEnv()).catch((error: unknown) => {
  if (!(error instanceof DatabaseLockedError)) throw error;
  console.error(error.message);
  process.exit(1);
});
try {
  await migrateDatabase(handle);
  await run(handle, positionals[0], positionals.slice(1), values);
} catch (error) {
  if (error instanceof LoadRejectedError || error instanceof EtlCommandError) {
    console.error(error.message);
    process.exitCode = 1;
  } else throw error;
} finally {
  await handle.close();
}
