/** The actions the audit trail records, as the filter offers them. */
export const auditActions = {
  sign_in: 'Sign-in',
  sign_out: 'Sign-out',
  token_created: 'Token created',
  token_revoked: 'Token revoked',
  upload: 'Upload',
  upload_discarded: 'Upload discarded',
  load: 'Load',
  rollback: 'Rollback',
  user_changed: 'User changed',
  setting_changed: 'Setting changed',
} as const satisfies Record<string, string>;

export interface DetailLine {
  label: string;
  value: string;
}

/** `rejectedRows` or `rejected_rows` as "Rejected rows". */
const words = (key: string) =>
  key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase()
    .replace(/^./, (first) => first.toUpperCase());

function plain(value: unknown): string {
  if (value === null || value === undefined || value === '') return '–';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(plain).join(', ');
  if (typeof value === 'object') return Object.entries(value).map(([key, inner]) => `${words(key).toLowerCase()} ${plain(inner)}`).join('; ');
  return String(value);
}

const list = (value: unknown) => (Array.isArray(value) && value.length > 0 ? value.join(', ') : 'none');

/**
 * An audit row's details as lines a person reads: a user change as its role and networks beside what they
 * were, a restriction as each network opened or restricted, anything else key by key.
 */
export function detailLines(action: string, details: Record<string, unknown>): DetailLine[] {
  if (action === 'user_changed') {
    const before = (details.before ?? undefined) as { role?: unknown; networks?: unknown } | undefined;
    const lines: DetailLine[] = [{ label: 'User', value: plain(details.subject) }];
    const role = plain(details.role);
    lines.push({ label: 'Role', value: before && before.role !== details.role ? `${role} (was ${plain(before.role)})` : role });
    const networks = list(details.networks);
    lines.push({ label: 'Networks', value: before && list(before.networks) !== networks ? `${networks} (was ${list(before.networks)})` : networks });
    return lines;
  }
  if (action === 'setting_changed' && details.setting === 'network.restricted' && Array.isArray(details.changes)) {
    const changes = details.changes as { network?: unknown; restricted?: unknown }[];
    return [
      ...changes.map((change) => ({ label: plain(change.network), value: change.restricted ? 'restricted to its members' : 'opened to everyone' })),
      ...(details.file ? [{ label: 'File', value: plain(details.file) }] : []),
    ];
  }
  return Object.entries(details).map(([key, value]) => ({ label: words(key), value: plain(value) }));
}

/**
 * The instant a day (YYYY-MM-DD) begins in UK time, as an ISO timestamp. London's offset at 00:00 UTC is
 * its offset at its own midnight on every day of the year, the two clock-change days included (both
 * changes happen at 01:00 UTC).
 */
export function ukDayStart(day: string): string {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  const londonHour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' }).format(utcMidnight));
  return new Date(utcMidnight - londonHour * 3_600_000).toISOString();
}

/** A date field's value if it is a real calendar day, else undefined. */
export function calendarDay(value: string | null): string | undefined {
  if (value === null || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value) ? value : undefined;
}

/** The day after a calendar day, so a "to" date includes the whole of that day. */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
