/** A timestamp as the dashboard shows one: day and time in UK time, or a dash when there is none. */
export function when(value: string | null): string {
  return value === null ? '–' : new Date(value).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/London' });
}
