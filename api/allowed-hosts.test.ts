import { describe, expect, it } from 'vitest';
import { hostAllowed, loopbackHostNames, parseHost } from './allowed-hosts';

const configured = ['atlas.example.nhs.uk', 'intranet.example.nhs.uk:8443', ...loopbackHostNames];

describe('hostAllowed', () => {
  it.each(['atlas.example.nhs.uk', 'ATLAS.example.nhs.uk:443', 'intranet.example.nhs.uk:8443', 'localhost', 'localhost:3000', '127.0.0.1:3000', '[::1]:3000'])('answers %s', (host) => {
    expect(hostAllowed(host, configured)).toBe(true);
  });

  it.each([
    ['another site', 'evil.example'],
    ['a name ending in an allowed address', '127.0.0.1.evil.example'],
    ['a name ending in an allowed name', 'atlas.example.nhs.uk.evil.example:3000'],
    ['a rebinding service’s name for loopback', '127-0-0-1.rebind.example'],
    ['a name starting with an allowed one', 'localhost.evil.example'],
    ['a subdomain of an allowed name', 'evil.atlas.example.nhs.uk'],
    ['the wrong port for a name allowed on one port', 'intranet.example.nhs.uk'],
    ['userinfo', 'localhost@evil.example'],
    ['a path', 'localhost/evil'],
    ['spaces', 'local host'],
    ['an empty Host', ''],
    ['no Host', undefined],
  ])('refuses %s', (_, host) => {
    expect(hostAllowed(host, configured)).toBe(false);
  });
});

describe('parseHost', () => {
  it('reads names, IPv4 and bracketed IPv6 with optional ports', () => {
    expect(parseHost('Atlas.Example.nhs.uk')).toEqual({ name: 'atlas.example.nhs.uk' });
    expect(parseHost('[::1]:03000')).toEqual({ name: '[::1]', port: '3000' });
    expect(parseHost('::1')).toBeUndefined();
    expect(parseHost('http://atlas.example.nhs.uk')).toBeUndefined();
  });
});
