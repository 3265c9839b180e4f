import { withTransaction, type DatabaseHandle, type TransactionSession } from '../../db';
import { LoadRejectedError, type LoadProblem } from '../problems';

export type OrganisationKind = 'trust' | 'gp_practice' | 'icb' | 'region' | 'other';
export type SnapshotNetworkKind = 'icb' | 'primary_care_network';

/** Where a value came from, so a problem found while writing still names the row and column. */
interface Place {
  row: number;
  column: string;
}

export interface SnapshotOrganisation extends Place {
  code: string;
  name: string;
  kind: OrganisationKind;
  parentCode: string | null;
  openedOn: string | null;
  closedOn: string | null;
  /** The file only knows the code (an ODS region or ICB column): create it, never rename it. */
  nameIsPlaceholder: boolean;
}

export interface SnapshotNetwork extends Place {
  code: string;
  name: string;
  kind: SnapshotNetworkKind;
  nameIsPlaceholder: boolean;
}

/** The file says: from validFrom the organisation is in this network (until validTo, exclusive, if it closed). */
export interface SnapshotMembership extends Place {
  organisationCode: string;
  networkCode: string;
  kind: SnapshotNetworkKind;
  validFrom: string;
  validTo: string | null;
}

export interface ReferenceSnapshot {
  file: string;
  organisations: SnapshotOrganisation[];
  networks: SnapshotNetwork[];
  memberships: SnapshotMembership[];
}

export interface SnapshotSummary {
  organisations: { created: number; updated: number };
  networks: { created: number; updated: number };
  /** removed: memberships that began after the organisation closed (an earlier file dated later than its closure). */
  memberships: { created: number; closed: number; removed: number };
}

/**
 * Writes a published reference file in one transaction. Organisations and networks are upserted by code,
 * writing only what differs, so a re-run changes nothing. An organisation is in one network of a kind at a
 * time: when the file puts it in another, its open membership is closed at the file's date (valid_to) and a
 * new one starts there, rather than two overlapping.
 */
export async function applyReferenceSnapshot(handle: DatabaseHandle, snapshot: ReferenceSnapshot): Promise<SnapshotSummary> {
  // One code for two kinds of body (a trust and an ICB, say) would make one organisation of the two.
  const first = new Map<string, SnapshotOrganisation>();
  const clashes: LoadProblem[] = snapshot.organisations.flatMap((o) => {
    const earlier = first.get(o.code);
    if (!earlier) first.set(o.code, o);
    return earlier ? [{ file: snapshot.file, row: o.row, column: o.column, value: o.code, reason: `also the code of the ${earlier.kind} in row ${earlier.row}, ${earlier.column}` }] : [];
  });
  if (clashes.length > 0) throw new LoadRejectedError(snapshot.file, clashes);
  return withTransaction(handle, async (session) => {
    const organisations = await upsertOrganisations(session, snapshot);
    const networks = await upsertNetworks(session, snapshot);
    const memberships = await mergeMemberships(session, snapshot);
    return { organisations, networks, memberships };
  });
}

async function upsertOrganisations(session: TransactionSession, { organisations }: ReferenceSnapshot) {
  const existing = new Map(
    (
      await session.query<{ code: string; name: string; kind: string; parent_code: string | null; opened_on: string | null; closed_on: string | null }>(
        `select o.code, o.name, o.kind::text as kind, p.code as parent_code, o.opened_on::text as opened_on, o.closed_on::text as closed_on
         from organisations o left join organisations p on p.id = o.parent_id`,
      )
    ).map((row) => [row.code, row]),
  );
  // A date the file leaves blank keeps the one already known (c2015 lists two trusts without dates).
  const wanted = organisations.map((o) => {
    const old = existing.get(o.code);
    if (!old) return { ...o, change: 'created' as const };
    const next = o.nameIsPlaceholder
      ? { ...o, name: old.name, kind: old.kind as OrganisationKind, parentCode: o.parentCode ?? old.parent_code, openedOn: old.opened_on, closedOn: old.closed_on }
      : { ...o, parentCode: o.parentCode ?? old.parent_code, openedOn: o.openedOn ?? old.opened_on, closedOn: o.closedOn ?? old.closed_on };
    const same = next.name === old.name && next.kind === old.kind && next.parentCode === old.parent_code && next.openedOn === old.opened_on && next.closedOn === old.closed_on;
    return { ...next, change: same ? ('unchanged' as const) : ('updated' as const) };
  });
  const written = wanted.filter((o) => o.change !== 'unchanged');
  if (written.length > 0) {
    await session.query(
      `insert into organisations (code, name, kind, opened_on, closed_on)
       select * from unnest($1::text[], $2::text[], $3::text[]::organisation_kind[], $4::text[]::date[], $5::text[]::date[])
       on conflict (code) do update set name = excluded.name, kind = excluded.kind, opened_on = excluded.opened_on, closed_on = excluded.closed_on`,
      [written.map((o) => o.code), written.map((o) => o.name), written.map((o) => o.kind), written.map((o) => o.openedOn), written.map((o) => o.closedOn)],
    );
    const parented = written.filter((o) => o.parentCode);
    await session.query(
      `update organisations child set parent_id = parent.id
       from unnest($1::text[], $2::text[]) as link(code, parent_code)
       join organisations parent on parent.code = link.parent_code
       where child.code = link.code`,
      [parented.map((o) => o.code), parented.map((o) => o.parentCode)],
    );
  }
  return { created: written.filter((o) => o.change === 'created').length, updated: written.filter((o) => o.change === 'updated').length };
}

async function upsertNetworks(session: TransactionSession, { file, networks }: ReferenceSnapshot) {
  const existing = new Map((await session.query<{ code: string; name: string; kind: string }>(`select code, name, kind::text as kind from networks`)).map((row) => [row.code, row]));
  // A code already used by a network of another kind would mix two groupings' memberships.
  const problems: LoadProblem[] = networks
    .filter((n) => existing.has(n.code) && existing.get(n.code)!.kind !== n.kind)
    .map((n) => ({ file, row: n.row, column: n.column, value: n.code, reason: `a network of kind ${existing.get(n.code)!.kind} already has this code, not ${n.kind}` }));
  if (problems.length > 0) throw new LoadRejectedError(file, problems);
  const created = networks.filter((n) => !existing.has(n.code));
  const renamed = networks.filter((n) => existing.has(n.code) && !n.nameIsPlaceholder && existing.get(n.code)!.name !== n.name);
  const written = [...created, ...renamed];
  if (written.length > 0) {
    await session.query(
      `insert into networks (code, name, kind) select * from unnest($1::text[], $2::text[], $3::text[]::network_kind[])
       on conflict (code) do update set name = excluded.name`,
      [written.map((n) => n.code), written.map((n) => n.name), written.map((n) => n.kind)],
    );
  }
  return { created: created.length, updated: renamed.length };
}

type StoredMembership = {
  id: number;
  organisation_code: string;
  network_code: string;
  kind: string;
  valid_from: string;
  valid_to: string | null;
};

async function mergeMemberships(session: TransactionSession, { file, memberships }: ReferenceSnapshot) {
  const kinds = [...new Set(memberships.map((m) => m.kind))];
  const stored = await session.query<StoredMembership>(
    `select m.id, o.code as organisation_code, n.code as network_code, n.kind::text as kind, m.valid_from::text as valid_from, m.valid_to::text as valid_to
     from network_memberships m join networks n on n.id = m.network_id join organisations o on o.id = m.organisation_id
     where n.kind::text = any($1::text[])`,
    [kinds],
  );
  const byOrganisation = new Map<string, StoredMembership[]>();
  for (const m of stored) {
    const key = `${m.kind}|${m.organisation_code}`;
    byOrganisation.set(key, [...(byOrganisation.get(key) ?? []), m]);
  }
  const problems: LoadProblem[] = [];
  const closes = new Map<number, string>();
  const removes = new Set<number>();
  const inserts: SnapshotMembership[] = [];
  for (const wanted of memberships) {
    const own = byOrganisation.get(`${wanted.kind}|${wanted.organisationCode}`) ?? [];
    const covering = own.find((m) => m.network_code === wanted.networkCode && m.valid_from <= wanted.validFrom && (m.valid_to === null || m.valid_to > wanted.validFrom));
    if (covering) {
      // Still in the same network; the organisation may since have closed, even before the membership began.
      if (covering.valid_to === null && wanted.validTo !== null) {
        if (wanted.validTo > covering.valid_from) closes.set(covering.id, wanted.validTo);
        else removes.add(covering.id);
      }
      continue;
    }
    const closeAt = wanted.validTo !== null && wanted.validTo < wanted.validFrom ? wanted.validTo : wanted.validFrom;
    for (const open of own.filter((m) => m.valid_to === null)) {
      if (open.valid_from < closeAt) closes.set(open.id, closeAt);
      else if (wanted.validTo !== null && wanted.validTo <= open.valid_from) removes.add(open.id);
      else {
        problems.push({
          file,
          row: wanted.row,
          column: wanted.column,
          value: wanted.networkCode,
          reason: `${wanted.organisationCode} is in ${open.network_code} from ${open.valid_from}, on or after ${closeAt}, when this file would move it: load files in date order, or give a later --as-of`,
        });
      }
    }
    const exists = own.some((m) => m.network_code === wanted.networkCode && m.valid_from === wanted.validFrom);
    if (!exists && (wanted.validTo === null || wanted.validTo > wanted.validFrom)) inserts.push(wanted);
  }
  if (problems.length > 0) throw new LoadRejectedError(file, problems);
  if (closes.size > 0) {
    await session.query(`update network_memberships m set valid_to = close.valid_to from unnest($1::int[], $2::text[]::date[]) as close(id, valid_to) where m.id = close.id`, [
      [...closes.keys()],
      [...closes.values()],
    ]);
  }
  if (removes.size > 0) await session.query(`delete from network_memberships where id = any($1::int[])`, [[...removes]]);
  if (inserts.length > 0) {
    await session.query(
      `insert into network_memberships (network_id, organisation_id, valid_from, valid_to)
       select n.id, o.id, wanted.valid_from, wanted.valid_to
       from unnest($1::text[], $2::text[], $3::text[]::date[], $4::text[]::date[]) as wanted(network_code, organisation_code, valid_from, valid_to)
       join networks n on n.code = wanted.network_code join organisations o on o.code = wanted.organisation_code`,
      [inserts.map((m) => m.networkCode), inserts.map((m) => m.organisationCode), inserts.map((m) => m.validFrom), inserts.map((m) => m.validTo)],
    );
  }
  return { created: inserts.length, closed: closes.size, removed: removes.size };
}

export function formatSummary(file: string, summary: SnapshotSummary): string {
  const { organisations: o, networks: n, memberships: m } = summary;
  return `${file}: organisations ${o.created} created, ${o.updated} updated; networks ${n.created} created, ${n.updated} updated; memberships ${m.created} created, ${m.closed} closed${m.removed ? `, ${m.removed} removed (they began after the organisation closed)` : ''}`;
}
