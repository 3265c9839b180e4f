import { and, asc, ilike, ne, or, type Column } from 'drizzle-orm';
import { schema, type Database } from '../../../db';
import type { Identity } from '../../auth/identity';
import { visibleNetworks } from '../../queries/catalogue.queries';

const { organisations, networks, indicators } = schema;

/** Candidates read per kind before ranking; more than are shown, so the best matches are among them. */
const candidates = 200;

/** `text` anywhere in a column, case-insensitive, its LIKE wildcards taken literally. */
const containing = (column: Column, text: string) => ilike(column, `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);

/** Best first: the code itself, then a code or name beginning with the text, then the rest, each by name. */
function ranked<T extends { code: string; name: string }>(rows: T[], text: string, limit: number): T[] {
  const lower = text.toLowerCase();
  const rank = (row: T) => (row.code.toLowerCase() === lower ? 0 : row.code.toLowerCase().startsWith(lower) || row.name.toLowerCase().startsWith(lower) ? 1 : 2);
  return rows.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name)).slice(0, limit);
}

/**
 * Providers (organisations other than ICBs and regions), networks and indicators whose code or name contains
 * the text. Networks are those the identity may see: a restricted network's name is not given to anyone else.
 */
export async function searchCatalogue(db: Database, identity: Identity, text: string, limit: number) {
  const [providerRows, networkRows, indicatorRows] = await Promise.all([
    db
      .select({ code: organisations.code, name: organisations.name, kind: organisations.kind })
      .from(organisations)
      .where(and(ne(organisations.kind, 'icb'), ne(organisations.kind, 'region'), or(containing(organisations.code, text), containing(organisations.name, text))))
      .orderBy(asc(organisations.name))
      .limit(candidates),
    db
      .select({ code: networks.code, name: networks.name, kind: networks.kind, restricted: networks.restricted })
      .from(networks)
      .where(and(visibleNetworks(identity), or(containing(networks.code, text), containing(networks.name, text))))
      .orderBy(asc(networks.name))
      .limit(candidates),
    db
      .select({ code: indicators.code, name: indicators.name, domain: indicators.domain })
      .from(indicators)
      .where(or(containing(indicators.code, text), containing(indicators.name, text), containing(indicators.domain, text)))
      .orderBy(asc(indicators.name))
      .limit(candidates),
  ]);
  return {
    providers: ranked(providerRows, text, limit),
    networks: ranked(networkRows, text, limit),
    indicators: ranked(indicatorRows, text, limit),
  };
}
