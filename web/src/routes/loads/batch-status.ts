/** A load batch's status as a tag: its words and NHS.UK colour. */
export const batchStatusTags = {
  loaded: { label: 'Loaded', colour: 'nhsuk-tag--green' },
  superseded: { label: 'Superseded', colour: 'nhsuk-tag--grey' },
  rolled_back: { label: 'Rolled back', colour: 'nhsuk-tag--orange' },
} as const;

export const loadedAt = (iso: string) => new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/London' });

export const count = (n: number) => n.toLocaleString('en-GB');

/** Whether the viewer may see the load history (the API refuses anyone else whatever the page shows). */
export const mayLoad = (role: string | null | undefined) => role === 'analyst' || role === 'admin';
