/**
 * What PostgreSQL's text and jsonb cannot hold or should not show: NUL (refused by both), the other C0
 * controls but tab, line feed and carriage return, DEL, and UTF-16 halves without their other half (jsonb
 * refuses their escapes; text would get U+FFFD in silence).
 */
const unstorable = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The text with each such character shown as its escape, e.g. \u0000, so it can be stored and read. */
export function storableText(text: string): string {
  return text.replace(unstorable, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A copy of a plain JSON value (an upload's preview, options or failure, all of which quote the file) that
 * PostgreSQL and PGlite store whatever the file held: every string, keys included, through storableText.
 */
export function storable<T>(value: T): T {
  return copy(value) as T;
}

function copy(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(copy);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [storableText(key), copy(inner)]));
  return value;
}
