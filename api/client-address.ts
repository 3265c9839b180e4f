import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** The reverse proxies whose X-Forwarded-For is believed (VARIATION_ATLAS_TRUSTED_PROXIES): addresses and CIDR ranges. */
export interface TrustedProxies {
  has(address: string): boolean;
}

/** An address as written in a header or by a socket: `[v6]:port` and `v4:port` lose their port, `::ffff:v4` is v4. */
export function normaliseAddress(text: string): string | undefined {
  let address = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(address)) address = address.slice(0, address.indexOf(':'));
  address = address.toLowerCase();
  const mapped = /^::ffff:([\d.]+)$/.exec(address);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  return isIPv4(address) || isIPv6(address) ? address : undefined;
}

/** The trusted proxies from a list of `address` or `address/prefix` entries; a bad entry throws, naming it. */
export function trustedProxies(entries: readonly string[]): TrustedProxies {
  const list = new BlockList();
  for (const entry of entries) {
    const [text, prefix, extra] = entry.split('/');
    const address = normaliseAddress(text);
    const family = address !== undefined && isIPv4(address) ? 'ipv4' : 'ipv6';
    const bits = prefix === undefined ? (family === 'ipv4' ? 32 : 128) : /^\d{1,3}$/.test(prefix) ? Number(prefix) : Number.NaN;
    if (address === undefined || extra !== undefined || !(bits >= 0 && bits <= (family === 'ipv4' ? 32 : 128))) {
      throw new Error(`"${entry}" is not an IP address or a CIDR range such as 10.0.0.0/8 or fd00::/8`);
    }
    list.addSubnet(address, bits, family);
  }
  return { has: (address) => (isIPv4(address) ? list.check(address, 'ipv4') : isIPv6(address) && list.check(address, 'ipv6')) };
}

/**
 * Who sent a request. Only when the immediate peer is a trusted proxy is X-Forwarded-For read: from the right,
 * each proxy having appended the address it was reached from, trusted hops are skipped and the first untrusted
 * address is the client, so whatever a client writes into the header itself is never reached. An entry that is
 * not an address stops the walk at the hop that passed it on. `peer` is undefined for a request this process
 * made itself (`app.request` in tests and the pack command), whose header is its own statement.
 */
export function clientAddressOf(peer: string | undefined, forwardedFor: string | undefined, trusted: TrustedProxies): string {
  const hops = (forwardedFor ?? '').split(',').filter((hop) => hop.trim() !== '');
  let address = peer === undefined ? undefined : (normaliseAddress(peer) ?? peer);
  while ((address === undefined || trusted.has(address)) && hops.length > 0) {
    const next = normaliseAddress(hops.pop()!);
    if (next === undefined) break;
    address = next;
  }
  return address ?? 'unknown';
}
