import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { recordAudit } from '../../auth/audit.queries';
import type { Role } from '../../auth/identity';
import { createOidcClient, newSignInChecks, SignInError, type OidcClient, type SignInClaims } from '../../auth/oidc';
import { localAdministrator, localSignInOffered, localSignInRefusal, type LocalSignInRequest } from '../../auth/local-sign-in';
import { localAdministratorUser } from '../../auth/local-sign-in.queries';
import { isLocalPath, type SignInFailure } from '../../auth/sign-in';
import { auditSignIn, saveSignInRequest, signInUser, takeSignInRequest } from '../../auth/sign-in.queries';
import { sessionCookieName, sessionLifetimeMs } from '../../auth/sessions';
import { createSession, endSession } from '../../auth/sessions.queries';
import type { Context } from 'hono';
import type { AppEnv, SignInConfig } from '../../context';
import { ApiError } from '../../errors';
import { clientAddress, rateLimit } from '../../rate-limit';
import { validate } from '../../validation';
import { profileOf } from './auth.queries';

const signInQuery = z.object({
  returnTo: z.string().max(2000).refine(isLocalPath, 'must be a path on this site (one leading /, no backslash)').default('/'),
});

/** What an identity provider sends back; the whole query goes on to openid-client, which checks state and iss itself. */
const callbackQuery = z.object({
  state: z.string().max(1000).optional(),
  code: z.string().max(4000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
  iss: z.string().max(1000).optional(),
});

const localSignInForm = z.object({
  returnTo: z.string().max(2000).refine(isLocalPath, 'must be a path on this site (one leading /, no backslash)').default('/'),
});

/** What decides a sign-in on this machine: the configuration and the socket, besides the headers. */
function localSignInRequest(c: Context<AppEnv>): LocalSignInRequest {
  const { config } = c.var.deps;
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return { identityProvider: config.signIn !== undefined, loopbackServer: config.localSignIn, peer: incoming?.socket?.remoteAddress, headers: c.req.header() };
}

/** Who is asking, for the dashboard's header and its sign-in redirect. */
export interface Viewer {
  kind: 'anonymous' | 'local' | 'token' | 'session';
  subject: string | null;
  displayName: string | null;
  role: Role | null;
  /** Codes of the restricted networks the user is a member of. */
  networks: string[];
  signInAvailable: boolean;
  /** Whether this browser may sign in on this machine (no identity provider, a loopback server and a loopback browser). */
  localSignInAvailable: boolean;
  authMode: 'local' | 'required';
  /** The small-number floor, and whether this viewer may go below it (with a reason, audited). */
  suppression: { floor: number; mayLower: boolean };
}

/** Sign-in and its callback are each limited per client address: enough for people, too few to grind at states. */
const perAddress = () => rateLimit({ limit: 20, windowMs: 60_000, key: clientAddress });

/**
 * OpenID Connect sign-in for the dashboard (Microsoft Entra ID for NHS organisations): the authorization code
 * flow with PKCE, state and nonce, a session cookie at the end, and every outcome in the audit trail. A
 * factory, so each app keeps its own discovered provider and rate-limit counts.
 */
export function authRoutes() {
  const clients = new WeakMap<SignInConfig, OidcClient>();
  const oidcOf = (config: SignInConfig) => {
    const known = clients.get(config);
    if (known) return known;
    const created = createOidcClient(config);
    clients.set(config, created);
    return created;
  };
  const secureCookie = (config: SignInConfig | undefined) => config?.publicUrl.startsWith('https:') === true;

  return new Hono<AppEnv>()
    .get(
      '/sign-in',
      describeRoute({
        tags: ['Access'],
        summary: 'Start signing in: a redirect to the identity provider (authorization code flow with PKCE)',
        responses: { 302: { description: 'To the identity provider' }, 404: { description: 'Sign-in is not configured' }, 429: { description: 'Too many sign-ins from this address' }, 503: { description: 'The identity provider cannot be reached' } },
      }),
      perAddress(),
      validate('query', signInQuery),
      async (c) => {
        const { db, config } = c.var.deps;
        if (config.signIn === undefined) throw new ApiError(404, 'sign_in_unavailable', 'Sign-in is not configured on this server; use an API token');
        const checks = newSignInChecks();
        let location: URL;
        try {
          location = await oidcOf(config.signIn).authorizationUrl(checks);
        } catch (error) {
          if (!(error instanceof SignInError)) throw error;
          console.warn(error.message);
          c.header('retry-after', '30');
          throw new ApiError(503, 'identity_provider_unavailable', 'The identity provider cannot be reached; try again shortly');
        }
        await saveSignInRequest(db, checks, c.req.valid('query').returnTo);
        return c.redirect(location.href, 302);
      },
    )
    .get(
      '/callback',
      describeRoute({
        tags: ['Access'],
        summary: "The identity provider's answer: signs the browser in and sends it back, or to /sign-in?error= saying why not",
        responses: { 303: { description: 'Back to where sign-in started, with a session cookie; or to the sign-in page with an error code' }, 429: { description: 'Too many callbacks from this address' } },
      }),
      perAddress(),
      validate('query', callbackQuery),
      async (c) => {
        const { db, config } = c.var.deps;
        const query = c.req.valid('query');
        const address = clientAddress(c);
        const refuse = async (reason: SignInFailure, message: string, subject?: string) => {
          await auditSignIn(db, { action: 'sign_in', outcome: 'failure', subject, details: { reason, message, address, issuer: config.signIn?.issuer } });
          return c.redirect(`/sign-in?error=${reason}`, 303);
        };
        if (config.signIn === undefined) return refuse('not_configured', 'Sign-in is not configured on this server');
        // Looked up (and deleted) before anything else: an unknown state ends here, whatever else it came with.
        const { state } = query;
        const request = state === undefined ? undefined : await takeSignInRequest(db, state);
        if (state === undefined || request === undefined) return refuse('unknown_state', 'No sign-in is waiting for this state: forged, or already used');
        if (request.expiresAt.getTime() <= Date.now()) return refuse('expired_state', 'The sign-in took longer than 10 minutes');
        if (query.error !== undefined) {
          const description = query.error_description?.slice(0, 300) ?? '';
          return refuse(query.error === 'access_denied' ? 'access_denied' : 'identity_provider_error', `The identity provider answered ${query.error}${description ? `: ${description}` : ''}`);
        }
        const checks = { state, nonce: request.nonce, codeVerifier: request.codeVerifier };
        let claims: SignInClaims;
        let user: Awaited<ReturnType<typeof signInUser>>;
        try {
          claims = await oidcOf(config.signIn).exchange(new URL(c.req.url).searchParams, checks);
          user = await signInUser(db, claims, config.signIn.roleClaims);
        } catch (error) {
          if (!(error instanceof SignInError)) throw error;
          return refuse(error.reason, error.message);
        }
        // No session fixation: whatever session the browser came with ends here, and a new one begins.
        const previous = getCookie(c, sessionCookieName);
        if (previous !== undefined) await endSession(db, previous);
        const session = await createSession(db, user.userId);
        setCookie(c, sessionCookieName, session.secret, { httpOnly: true, sameSite: 'Lax', path: '/', maxAge: sessionLifetimeMs / 1000, secure: secureCookie(config.signIn) });
        await auditSignIn(db, {
          action: 'sign_in',
          outcome: 'success',
          subject: claims.subject,
          userId: user.userId,
          details: { issuer: claims.issuer, subject: claims.subject, role: user.role, roleSource: user.roleSource, firstSignIn: user.created, sessionId: session.id, address },
        });
        return c.redirect(request.returnTo, 303);
      },
    )
    .post(
      '/local-sign-in',
      describeRoute({
        tags: ['Access'],
        summary: 'Sign in on this machine: a session for the local administrator, only without an identity provider and only from a browser on the loopback address of a server listening on loopback only',
        responses: { 303: { description: 'Back to returnTo, with a session cookie' }, 403: { description: 'Refused, saying why: an identity provider is configured, or the request is not from this machine' }, 429: { description: 'Too many sign-ins from this address' } },
      }),
      perAddress(),
      validate('form', localSignInForm),
      async (c) => {
        const { db } = c.var.deps;
        const address = clientAddress(c);
        const refusal = localSignInRefusal(localSignInRequest(c));
        if (refusal !== null) {
          await auditSignIn(db, { action: 'sign_in', outcome: 'failure', details: { method: 'this_machine', reason: 'local_sign_in_refused', message: refusal, address } });
          throw new ApiError(403, 'local_sign_in_refused', refusal);
        }
        const user = await localAdministratorUser(db);
        const previous = getCookie(c, sessionCookieName);
        if (previous !== undefined) await endSession(db, previous);
        const session = await createSession(db, user.userId);
        setCookie(c, sessionCookieName, session.secret, { httpOnly: true, sameSite: 'Strict', path: '/', maxAge: sessionLifetimeMs / 1000 });
        await auditSignIn(db, {
          action: 'sign_in',
          outcome: 'success',
          subject: localAdministrator.subject,
          userId: user.userId,
          details: { method: 'this_machine', role: 'admin', firstSignIn: user.created, sessionId: session.id, address },
        });
        return c.redirect(c.req.valid('form').returnTo, 303);
      },
    )
    .post(
      '/sign-out',
      describeRoute({ tags: ['Access'], summary: "Sign out: ends this browser's session and clears its cookie", responses: { 303: { description: 'To the home page' } } }),
      async (c) => {
        const { db, config } = c.var.deps;
        const identity = c.get('identity');
        const secret = getCookie(c, sessionCookieName);
        const ended = secret === undefined ? undefined : await endSession(db, secret);
        if (ended !== undefined && identity.kind === 'session') await recordAudit(db, identity, { action: 'sign_out', details: { sessionId: identity.sessionId } });
        deleteCookie(c, sessionCookieName, { path: '/', httpOnly: true, sameSite: 'Lax', secure: secureCookie(config.signIn) });
        return c.redirect('/', 303);
      },
    )
    .get('/me', describeRoute({ tags: ['Access'], summary: 'Who is asking: kind, name, role and restricted networks, and whether sign-in is offered' }), async (c) => {
      const { db, config } = c.var.deps;
      const identity = c.get('identity');
      c.header('cache-control', 'no-store');
      const mayLower = identity.kind !== 'local' && config.suppressionLoweringRoles.includes(identity.role);
      const common = { signInAvailable: config.signIn !== undefined, localSignInAvailable: localSignInOffered(localSignInRequest(c)), authMode: config.auth, suppression: { floor: config.suppressionFloor, mayLower } };
      if (identity.kind === 'local') {
        const anonymous = config.auth === 'required';
        const viewer: Viewer = { kind: anonymous ? 'anonymous' : 'local', subject: null, displayName: null, role: anonymous ? null : 'viewer', networks: [], ...common };
        return c.json(viewer);
      }
      const profile = await profileOf(db, identity.userId, identity.networkIds);
      const viewer: Viewer = { kind: identity.kind, subject: identity.subject, role: identity.role, ...profile, ...common };
      return c.json(viewer);
    });
}
