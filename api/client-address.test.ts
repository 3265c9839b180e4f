import { describe, expect, it } from 'vitest';
import { clientAddressOf, normaliseAddress, trustedProxies } from './client-address';

const none = trustedProxies([]);
const sameHost = trustedProxies(['127.0.0.1', '::1']);
const cluster = trustedProxies(['127.0.0.1', '10.0.0.0/8', 'fd00::/8']);

describe('clientAddressOf', () => {
  it('takes the socket’s peer and ignores X-Forwarded-For when no proxy is trusted, loopback included', () => {
    expect(clientAddressOf('203.0.113.5', '198.51.100.1', none)).toBe('203.0.113.5');
    expect(clientAddressOf('127.0.0.1', '198.51.100.1', none)).toBe('127.0.0.1');
    expect(clientAddressOf('::ffff:127.0.0.1', '198.51.100.1', none)).toBe('127.0.0.1');
  });

  it('ignores the header from an untrusted peer even when the header names a trusted proxy', () => {
    expect(clientAddressOf('203.0.113.5', '10.0.0.1, 127.0.0.1', cluster)).toBe('203.0.113.5');
  });

  it('behind a trusted proxy takes the address the proxy appended, never what the client wrote before it', () => {
    // A client sending `X-Forwarded-For: 1.2.3.4` to choose its rate-limit bucket; the proxy appends the real one.
    expect(clientAddressOf('127.0.0.1', '1.2.3.4, 198.51.100.7', sameHost)).toBe('198.51.100.7');
    expect(clientAddressOf('::1', '1.2.3.4,198.51.100.7', sameHost)).toBe('198.51.100.7');
    expect(clientAddressOf('::ffff:127.0.0.1', '198.51.100.7', sameHost)).toBe('198.51.100.7');
  });

  it('skips every trusted hop from the right, across IPv4 and IPv6 ranges', () => {
    expect(clientAddressOf('127.0.0.1', '1.2.3.4, 198.51.100.7, 10.1.2.3, 10.200.0.1', cluster)).toBe('198.51.100.7');
    expect(clientAddressOf('fd12::1', '2001:db8::bad, 2001:db8::7, fd00::9', cluster)).toBe('2001:db8::7');
    // A client claiming to be a trusted hop itself gains nothing: the first untrusted from the right is still the proxy's entry.
    expect(clientAddressOf('127.0.0.1', '10.9.9.9, 198.51.100.7', cluster)).toBe('198.51.100.7');
  });

  it('takes the furthest hop when every hop is trusted', () => {
    expect(clientAddressOf('127.0.0.1', '10.0.0.2, 10.0.0.1', cluster)).toBe('10.0.0.2');
    expect(clientAddressOf('127.0.0.1', undefined, cluster)).toBe('127.0.0.1');
  });

  it.each([
    ['not an address', 'garbage'],
    ['markup', '<script>alert(1)</script>'],
    ['five octets', '1.2.3.4.5'],
    ['an octet over 255', '300.1.1.1'],
    ['SQL', "1.2.3.4' OR '1'='1"],
    ['a host name', 'evil.example'],
  ])('stops at the hop that passed on %s, never taking it for an address', (_, hostile) => {
    expect(clientAddressOf('127.0.0.1', `198.51.100.1, ${hostile}`, sameHost)).toBe('127.0.0.1');
    expect(clientAddressOf('127.0.0.1', `${hostile}, 198.51.100.7, 10.0.0.1`, cluster)).toBe('198.51.100.7');
  });

  it('reads ports and brackets off addresses, and survives empty entries and a very long header', () => {
    expect(clientAddressOf('127.0.0.1', '198.51.100.7:4711', sameHost)).toBe('198.51.100.7');
    expect(clientAddressOf('127.0.0.1', '[2001:DB8::7]:443', sameHost)).toBe('2001:db8::7');
    expect(clientAddressOf('127.0.0.1', ' , ,198.51.100.7, ,', sameHost)).toBe('198.51.100.7');
    expect(clientAddressOf('127.0.0.1', `${'1.1.1.1, '.repeat(5000)}198.51.100.7`, sameHost)).toBe('198.51.100.7');
    expect(clientAddressOf('127.0.0.1', '10.0.0.1, '.repeat(5000), cluster)).toBe('10.0.0.1');
  });

  it('believes the header of a request made in process (no socket), and otherwise says unknown', () => {
    expect(clientAddressOf(undefined, '10.7.1.1', none)).toBe('10.7.1.1');
    expect(clientAddressOf(undefined, undefined, none)).toBe('unknown');
  });
});

describe('trustedProxies', () => {
  it('matches addresses and CIDR ranges of both families', () => {
    const trusted = trustedProxies(['192.0.2.10', '10.0.0.0/8', '2001:db8::/32', '::1']);
    expect(['192.0.2.10', '10.255.1.1', '2001:db8:ffff::1', '::1'].every((address) => trusted.has(address))).toBe(true);
    expect(['192.0.2.11', '11.0.0.1', '2001:db9::1', '::2', 'garbage'].some((address) => trusted.has(address))).toBe(false);
  });

  it.each(['example.com', '10.0.0.0/33', '::/129', '10.0.0.0/8/8', '10.0.0.0/x', '10.0.0.0/'])('refuses %s, naming it', (entry) => {
    expect(() => trustedProxies([entry])).toThrow(entry);
  });
});

describe('normaliseAddress', () => {
  it('writes IPv4-mapped IPv6 as IPv4 and IPv6 in lower case', () => {
    expect(normaliseAddress('::FFFF:192.0.2.1')).toBe('192.0.2.1');
    expect(normaliseAddress('2001:DB8::1')).toBe('2001:db8::1');
    expect(normaliseAddress('unknown')).toBeUndefined();
  });
});
