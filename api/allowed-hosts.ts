/** A host name with an optional port, as a Host header or VARIATION_ATLAS_ALLOWED_HOSTS writes it. */
interface HostAndPort {
  name: string;
  port?: string;
}

/** `name`, `name:port`, `1.2.3.4:port` or `[v6]:port`, lower case; undefined for anything else (a path, userinfo, spaces). */
export function parseHost(text: string): HostAndPort | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::(\d{1,5}))?$/.exec(text.trim().toLowerCase());
  if (!match) return undefined;
  return match[2] === undefined ? { name: match[1] } : { name: match[1], port: String(Number(match[2])) };
}

/** The hosts this server answers to when VARIATION_ATLAS_ALLOWED_HOSTS is unset, besides HOST and the public URL's. */
export const loopbackHostNames = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Whether a request's Host is one this server answers to. An allowed host without a port allows any port. A
 * Host that is not a host name at all is refused. The check defeats DNS rebinding: a page on evil.example that
 * has its name re-pointed at this machine still sends `Host: evil.example`.
 */
export function hostAllowed(host: string | undefined, allowed: readonly string[]): boolean {
  const asked = host === undefined ? undefined : parseHost(host);
  if (asked === undefined) return false;
  return allowed.some((entry) => {
    const permitted = parseHost(entry);
    return permitted !== undefined && permitted.name === asked.name && (permitted.port === undefined || permitted.port === asked.port);
  });
}
