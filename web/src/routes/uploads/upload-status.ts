/** An upload's status as a tag: its words and NHS.UK colour. */
export const uploadStatusTags = {
  // Staged, its preview job waiting or running (not a stored status: validated with no preview yet).
  previewing: { label: 'Checking', colour: 'nhsuk-tag--yellow' },
  validated: { label: 'Ready to confirm', colour: 'nhsuk-tag--blue' },
  rejected: { label: 'Has problems', colour: 'nhsuk-tag--red' },
  // Confirmed, its load waiting in the queue (not a stored status: the load job's state).
  queued: { label: 'Queued', colour: 'nhsuk-tag--yellow' },
  loading: { label: 'Loading', colour: 'nhsuk-tag--yellow' },
  loaded: { label: 'Loaded', colour: 'nhsuk-tag--green' },
  failed: { label: 'Failed', colour: 'nhsuk-tag--red' },
  discarded: { label: 'Discarded', colour: 'nhsuk-tag--grey' },
} as const;

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
