import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** A person at the test identity provider: their subject is the login typed on its sign-in page. */
export interface TestAccount {
  name: string;
  email: string;
  /** Entra ID app roles as they arrive in the ID token's `roles` claim; absent when undefined. */
  roles?: string[];
}

export interface TestIdentityProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** A public client (no secret) registered with the same redirect URI. */
  publicClientId: string;
  /** Change what a subject's next ID token says (a role granted or taken away at the provider). */
  accounts: Map<string, TestAccount>;
  /** How many times its discovery document has been fetched. */
  discoveries(): number;
  close(): Promise<void>;
}

/**
 * A real OpenID Connect provider (panva's oidc-provider, the certified implementation) in this process on
 * 127.0.0.1 and a random port, with its in-memory adapter and its development login and consent pages, which
 * tests drive like a browser would. PKCE is required of every client; ID tokens carry the profile, email and
 * `roles` claims, as Entra ID's do for an app registration with app roles.
 */
export async function startTestIdentityProvider(options: { redirectUri: string; accounts?: Record<string, TestAccount> }): Promise<TestIdentityProvider> {
  const accounts = new Map(Object.entries(options.accounts ?? {}));
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-signing-key', use: 'sig', alg: 'RS256' };
  const clientSecret = 'test-client-secret-that-is-long-enough-for-hs256';

  const provider = new Provider(issuer, {
    clients: [
      { client_id: 'variation-atlas', client_secret: clientSecret, redirect_uris: [options.redirectUri], token_endpoint_auth_method: 'client_secret_post', response_types: ['code'], grant_types: ['authorization_code'] },
      { client_id: 'variation-atlas-public', redirect_uris: [options.redirectUri], token_endpoint_auth_method: 'none', response_types: ['code'], grant_types: ['authorization_code'] },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: ['test-cookie-signing-key'] },
    pkce: { required: () => true },
    ttl: { AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    // Claims requested by scope go into the ID token too, as Entra ID puts them there.
    conformIdTokenClaims: false,
    claims: { openid: ['sub', 'roles'], profile: ['name'], email: ['email'] },
    findAccount: (_context, subject) => ({
      accountId: subject,
      claims: () => {
        const account = accounts.get(subject);
        return { sub: subject, name: account?.name, email: account?.email, ...(account?.roles ? { roles: account.roles } : {}) };
      },
    }),
  });
  let discoveries = 0;
  const handle = provider.callback();
  server.on('request', (request, response) => {
    if (request.url === '/.well-known/openid-configuration') discoveries++;
    handle(request, response);
  });

  return {
    issuer,
    clientId: 'variation-atlas',
    clientSecret,
    publicClientId: 'variation-atlas-public',
    accounts,
    discoveries: () => discoveries,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
