import * as client from 'openid-client';
import type { SignInConfig } from '../context';
import type { SignInFailure } from './sign-in';

/** Why a sign-in could not go on, as the audit and the `/sign-in?error=` page name it. */
export class SignInError extends Error {
  constructor(
    readonly reason: SignInFailure,
    message: string,
  ) {
    super(message);
  }
}

/** What a sign-in keeps server-side between the redirect to the identity provider and its callback. */
export interface SignInChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The ID token's claims this service reads, after openid-client has checked its signature, iss, aud, exp and nonce. */
export interface SignInClaims {
  issuer: string;
  subject: string;
  displayName?: string;
  email?: string;
  roles: unknown;
}

export type OidcClient = ReturnType<typeof createOidcClient>;

/** Fresh random state, nonce and PKCE verifier for one sign-in. */
export function newSignInChecks(): SignInChecks {
  return { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() };
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/**
 * The relying party: the provider's endpoints and keys are discovered at the first sign-in, not at start-up,
 * so the API starts while the identity provider is down; a discovery that fails is tried again next time.
 * Plain HTTP is allowed only for an issuer on loopback (config.ts refuses any other).
 */
export function createOidcClient(config: SignInConfig) {
  const redirectUri = `${config.publicUrl}/api/auth/callback`;
  let discovered: Promise<client.Configuration> | undefined;

  function configuration(): Promise<client.Configuration> {
    discovered ??= client
      .discovery(new URL(config.issuer), config.clientId, undefined, config.clientSecret === undefined ? client.None() : client.ClientSecretPost(config.clientSecret), {
        execute: config.issuer.startsWith('http:') ? [client.allowInsecureRequests] : [],
        timeout: 10,
      })
      .catch((error: unknown) => {
        discovered = undefined;
        throw new SignInError('identity_provider_unavailable', `The identity provider at ${config.issuer} could not be reached: ${messageOf(error)}`);
      });
    return discovered;
  }

  return {
    redirectUri,

    /** The authorization request: code flow with PKCE (S256), state and nonce. */
    async authorizationUrl(checks: SignInChecks): Promise<URL> {
      return client.buildAuthorizationUrl(await configuration(), {
        redirect_uri: redirectUri,
        scope: 'openid profile email',
        code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: 'S256',
        state: checks.state,
        nonce: checks.nonce,
      });
    },

    /** Exchanges the callback's code with the verifier; openid-client validates the ID token before any claim is read. */
    async exchange(callbackQuery: URLSearchParams, checks: SignInChecks): Promise<SignInClaims> {
      const current = new URL(redirectUri);
      current.search = callbackQuery.toString();
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      try {
        tokens = await client.authorizationCodeGrant(await configuration(), current, {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        if (error instanceof SignInError) throw error;
        if (error instanceof client.ResponseBodyError || error instanceof client.AuthorizationResponseError) throw new SignInError('exchange_failed', `The identity provider refused the code: ${error.error}`);
        if (error instanceof client.ClientError) throw new SignInError('id_token_invalid', `The identity provider's answer failed validation: ${error.message}`);
        throw new SignInError('identity_provider_unavailable', `The identity provider could not be reached: ${messageOf(error)}`);
      }
      const claims = tokens.claims();
      if (claims === undefined) throw new SignInError('id_token_invalid', 'The identity provider sent no ID token');
      return {
        issuer: claims.iss,
        subject: claims.sub,
        displayName: text(claims.name),
        email: text(claims.email) ?? text(claims.preferred_username),
        roles: claims.roles,
      };
    },
  };
}

function messageOf(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error instanceof Error ? error.message : String(error)}${cause}`;
}
