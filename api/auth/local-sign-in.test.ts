import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, listensOnLoopbackOnly, localSignInOffered, localSignInRefusal, type LocalSignInRequest } from './local-sign-in';

const allowed: LocalSignInRequest = { identityProvider: false, loopbackServer: true, peer: '127.0.0.1', headers: { host: 'localhost:3000' } };

describe('localSignInRefusal', () => {
  it('lets a browser on this machine sign in to a loopback server without an identity provider', () => {
    expect(localSignInRefusal(allowed)).toBeNull();
    expect(localSignInRefusal({ ...allowed, peer: '::ffff:127.0.0.1', headers: { host: '[::1]:3000' } })).toBeNull();
  });

  it.each<[string, Partial<LocalSignInRequest>, RegExp]>([
    ['an identity provider is configured', { identityProvider: true }, /identity provider/],
    ['the server listens beyond this machine', { loopbackServer: false }, /listens beyond/],
    ['the peer is another machine', { peer: '10.1.2.3' }, /only for a browser on the machine/],
    ['the request was made in process (no socket)', { peer: undefined }, /only for a browser on the machine/],
    ['a loopback proxy passes on a client from elsewhere', { headers: { host: 'localhost', 'x-forwarded-for': '127.0.0.1' } }, /proxy \(x-forwarded-for\)/],
    ['a Forwarded header', { headers: { host: 'localhost', forwarded: 'for=127.0.0.1' } }, /proxy \(forwarded\)/],
    ['a rebound DNS name', { headers: { host: 'evil.example:3000' } }, /needs the address localhost/],
    ['no Host', { headers: {} }, /needs the address localhost/],
  ])('refuses when %s', (_, change, reason) => {
    expect(localSignInRefusal({ ...allowed, ...change })).toMatch(reason);
  });
});

describe('loopback addresses', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['[::1]:41000', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.0.2', false],
    ['128.0.0.1', false],
    ['localhost', false],
  ])('%s is loopback: %s', (address, loopback) => expect(isLoopbackAddress(address)).toBe(loopback));

  it('takes HOST=localhost as loopback only, and 0.0.0.0 or :: as every interface', () => {
    expect(listensOnLoopbackOnly('localhost')).toBe(true);
    expect(listensOnLoopbackOnly('127.0.0.1')).toBe(true);
    expect(listensOnLoopbackOnly('0.0.0.0')).toBe(false);
    expect(listensOnLoopbackOnly('::')).toBe(false);
  });
});

describe('localSignInOffered', () => {
  it('offers the button when the dashboard asks for a browser on this machine, and not for one elsewhere', () => {
    expect(localSignInOffered({ ...allowed, headers: { host: '127.0.0.1:3000', 'x-forwarded-for': '127.0.0.1' } })).toBe(true);
    expect(localSignInOffered({ ...allowed, headers: { host: '127.0.0.1:3000', 'x-forwarded-for': '203.0.113.9, 127.0.0.1' } })).toBe(false);
    expect(localSignInOffered({ ...allowed, identityProvider: true })).toBe(false);
  });
});
