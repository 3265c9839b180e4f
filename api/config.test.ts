import { describe, expect, it } from 'vitest';
import { apiConfigOf, serverConfigFromEnv } from './config';

const entra = {
  VARIATION_ATLAS_OIDC_ISSUER: 'https://login.microsoftonline.com/0b5f3c2e-7d1a-4e1b-9a55-1f2e3d4c5b6a/v2.0',
  VARIATION_ATLAS_OIDC_CLIENT_ID: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b',
  VARIATION_ATLAS_PUBLIC_URL: 'https://atlas.example.nhs.uk/',
};

describe('server configuration', () => {
  it('reads sign-in from the environment, the issuer exactly as given and the public URL without its trailing slash', () => {
    const config = apiConfigOf(serverConfigFromEnv({ ...entra, VARIATION_ATLAS_AUTH: 'required', VARIATION_ATLAS_OIDC_ROLE_ADMIN: 'Atlas.Admin' }));
    expect(config.auth).toBe('required');
    expect(config.signIn).toEqual({
      issuer: entra.VARIATION_ATLAS_OIDC_ISSUER,
      clientId: entra.VARIATION_ATLAS_OIDC_CLIENT_ID,
      clientSecret: undefined,
      publicUrl: 'https://atlas.example.nhs.uk',
      roleClaims: { viewer: 'VariationAtlas.Viewer', analyst: 'VariationAtlas.Analyst', admin: 'Atlas.Admin' },
    });
  });

  it('defaults to local mode without sign-in, and still takes `token` for required', () => {
    expect(apiConfigOf(serverConfigFromEnv({}))).toMatchObject({ auth: 'local' });
    expect(serverConfigFromEnv({ VARIATION_ATLAS_AUTH: 'token' }).VARIATION_ATLAS_AUTH).toBe('required');
    expect(apiConfigOf(serverConfigFromEnv({ VARIATION_ATLAS_OIDC_ISSUER: '', VARIATION_ATLAS_PUBLIC_URL: ' ' })).signIn).toBeUndefined();
  });

  it('takes the suppression floor and the roles that may go below it, an empty floor being the default 5 and never 0', () => {
    expect(apiConfigOf(serverConfigFromEnv({}))).toMatchObject({ suppressionFloor: 5, suppressionLoweringRoles: ['analyst', 'admin'] });
    expect(apiConfigOf(serverConfigFromEnv({ VARIATION_ATLAS_SUPPRESSION_MIN: '' }))).toMatchObject({ suppressionFloor: 5 });
    expect(apiConfigOf(serverConfigFromEnv({ VARIATION_ATLAS_SUPPRESSION_MIN: '8', VARIATION_ATLAS_SUPPRESSION_LOWERING_ROLES: 'admin' }))).toMatchObject({
      suppressionFloor: 8,
      suppressionLoweringRoles: ['admin'],
    });
    expect(apiConfigOf(serverConfigFromEnv({ VARIATION_ATLAS_SUPPRESSION_LOWERING_ROLES: 'none' })).suppressionLoweringRoles).toEqual([]);
    expect(() => serverConfigFromEnv({ VARIATION_ATLAS_SUPPRESSION_MIN: '2.5' })).toThrow(/VARIATION_ATLAS_SUPPRESSION_MIN/);
    expect(() => serverConfigFromEnv({ VARIATION_ATLAS_SUPPRESSION_LOWERING_ROLES: 'analyst,everyone' })).toThrow(/VARIATION_ATLAS_SUPPRESSION_LOWERING_ROLES/);
  });

  it('trusts no proxy by default, and reads VARIATION_ATLAS_TRUSTED_PROXIES as addresses and CIDR ranges of both families', () => {
    expect(apiConfigOf(serverConfigFromEnv({})).trustedProxies.has('127.0.0.1')).toBe(false);
    const { trustedProxies } = apiConfigOf(serverConfigFromEnv({ VARIATION_ATLAS_TRUSTED_PROXIES: ' 127.0.0.1, 10.0.0.0/8 ,fd00::/8,, ' }));
    expect(['127.0.0.1', '10.20.30.40', 'fd00::1'].map((address) => trustedProxies.has(address))).toEqual([true, true, true]);
    expect(['127.0.0.2', '11.0.0.1', 'fe80::1'].map((address) => trustedProxies.has(address))).toEqual([false, false, false]);
    expect(() => serverConfigFromEnv({ VARIATION_ATLAS_TRUSTED_PROXIES: '127.0.0.1, proxy.internal' })).toThrow(/VARIATION_ATLAS_TRUSTED_PROXIES: "proxy.internal" is not an IP address/);
    expect(() => serverConfigFromEnv({ VARIATION_ATLAS_TRUSTED_PROXIES: '10.0.0.0/40' })).toThrow(/VARIATION_ATLAS_TRUSTED_PROXIES/);
  });

  it('allows this machine’s host names, HOST’s and the public URL’s by default, and VARIATION_ATLAS_ALLOWED_HOSTS (with HOST) when set', () => {
    expect(apiConfigOf(serverConfigFromEnv({})).allowedHosts).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(apiConfigOf(serverConfigFromEnv({ ...entra, HOST: '0.0.0.0' })).allowedHosts).toEqual(['localhost', '127.0.0.1', '[::1]', 'atlas.example.nhs.uk', '0.0.0.0']);
    expect(apiConfigOf(serverConfigFromEnv({ HOST: '::' })).allowedHosts).toContain('[::]');
    expect(apiConfigOf(serverConfigFromEnv({ VARIATION_ATLAS_ALLOWED_HOSTS: 'atlas.example.nhs.uk, intranet:8443' })).allowedHosts).toEqual(['atlas.example.nhs.uk', 'intranet:8443', '127.0.0.1']);
    expect(() => serverConfigFromEnv({ VARIATION_ATLAS_ALLOWED_HOSTS: 'https://atlas.example.nhs.uk' })).toThrow(/VARIATION_ATLAS_ALLOWED_HOSTS: "https:\/\/atlas.example.nhs.uk" is not a host name/);
  });

  it('fails at start-up naming what half a configuration lacks, and refuses plain HTTP off this machine', () => {
    expect(() => serverConfigFromEnv({ VARIATION_ATLAS_OIDC_ISSUER: entra.VARIATION_ATLAS_OIDC_ISSUER })).toThrow(/VARIATION_ATLAS_OIDC_CLIENT_ID: is required when VARIATION_ATLAS_OIDC_ISSUER is set/);
    expect(() => serverConfigFromEnv({ ...entra, VARIATION_ATLAS_PUBLIC_URL: undefined })).toThrow(/VARIATION_ATLAS_PUBLIC_URL: is required/);
    expect(() => serverConfigFromEnv({ VARIATION_ATLAS_OIDC_CLIENT_ID: 'x' })).toThrow(/VARIATION_ATLAS_OIDC_CLIENT_ID: is set but VARIATION_ATLAS_OIDC_ISSUER is not/);
    expect(() => serverConfigFromEnv({ ...entra, VARIATION_ATLAS_OIDC_ISSUER: 'http://idp.example.org' })).toThrow(/VARIATION_ATLAS_OIDC_ISSUER: must be an https URL/);
    expect(() => serverConfigFromEnv({ ...entra, VARIATION_ATLAS_AUTH: 'open' })).toThrow(/VARIATION_ATLAS_AUTH/);
    expect(serverConfigFromEnv({ ...entra, VARIATION_ATLAS_OIDC_ISSUER: 'http://127.0.0.1:9000' }).VARIATION_ATLAS_OIDC_ISSUER).toBe('http://127.0.0.1:9000');
  });

  it('sizes the render pool from VARIATION_ATLAS_RENDER_THREADS and VARIATION_ATLAS_RENDER_QUEUE, and refuses no threads', () => {
    const defaults = apiConfigOf(serverConfigFromEnv({})).renderPool;
    expect(defaults).toEqual({ threads: expect.any(Number), queue: 16 });
    expect(defaults!.threads).toBeGreaterThanOrEqual(1);
    expect(apiConfigOf(serverConfigFromEnv({ VARIATION_ATLAS_RENDER_THREADS: '3', VARIATION_ATLAS_RENDER_QUEUE: '0' })).renderPool).toEqual({ threads: 3, queue: 0 });
    expect(apiConfigOf(serverConfigFromEnv({ VARIATION_ATLAS_RENDER_THREADS: '', VARIATION_ATLAS_RENDER_QUEUE: ' ' })).renderPool).toEqual(defaults);
    expect(() => serverConfigFromEnv({ VARIATION_ATLAS_RENDER_THREADS: '0' })).toThrow(/VARIATION_ATLAS_RENDER_THREADS/);
    expect(() => serverConfigFromEnv({ VARIATION_ATLAS_RENDER_QUEUE: 'many' })).toThrow(/VARIATION_ATLAS_RENDER_QUEUE/);
  });
});
