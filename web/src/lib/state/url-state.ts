/**
 * A view's state lives in its URL, so a view can be shared and reloads as it was. Setting a parameter to
 * undefined, null or '' removes it, so the default applies.
 */
export function withParams(url: URL, changes: Record<string, string | number | boolean | undefined | null>): string {
  const next = new URL(url);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || value === null || value === '') next.searchParams.delete(key);
    else next.searchParams.set(key, String(value));
  }
  return `${next.pathname}${next.search}${next.hash}`;
}

/**
 * The funnel method parameters every funnel-based view takes, as the URL holds them. A threshold below the
 * floor needs an allowed role and a reason (the API's 403 or 400 otherwise, shown on the error page).
 */
export const methodParameters = ['convention', 'adjustment', 'trim', 'trimMethod', 'suppression', 'suppressionReason'] as const;

/**
 * The method parameters typed as the API's routes take them. Values are passed on as the URL has them, not
 * checked here: the API validates, and a bad value shows its 400 (naming the parameter) on the error page.
 */
export interface MethodQuery {
  convention?: 'spiegelhalter' | 'cqc' | 'shmi';
  adjustment?: 'none' | 'multiplicative' | 'additive';
  trim?: string;
  trimMethod?: 'winsorise' | 'truncate';
  suppression?: string;
  suppressionReason?: string;
}

export function methodQuery(url: URL): MethodQuery {
  return pickParams(url, methodParameters) as MethodQuery;
}

export function pickParams<K extends string>(url: URL, keys: readonly K[]): { [P in K]?: string } {
  return Object.fromEntries(keys.flatMap((key) => (url.searchParams.get(key) ? [[key, url.searchParams.get(key)!]] : []))) as { [P in K]?: string };
}
