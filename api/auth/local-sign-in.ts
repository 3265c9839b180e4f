import { isIPv4 } from 'node:net';
import { normaliseAddress } from '../client-address';
import { parseHost } from '../allowed-hosts';

/** The account a sign-in on this machine starts a session for: an administrator, since whoever sits at the machine owns its data folder anyway. */
export const localAdministrator = { subject: 'local-administrator', issuer: 'this-machine', displayName: 'Administrator on this machine' } as const;

/** 127.0.0.0/8 or ::1, after normalisation (`::ffff:127.0.0.1` is 127.0.0.1). */
export function isLoopbackAddress(text: string | undefined): boolean {
  const address = text === undefined ? undefined : normaliseAddress(text);
  if (address === undefined) return false;
  return isIPv4(address) ? address.startsWith('127.') : address === '::1';
}

/** Whether a listening address (HOST) reaches only this machine: localhost, 127.0.0.0/8 or ::1. */
export function listensOnLoopbackOnly(host: string): boolean {
  return host.toLowerCase() === 'localhost' || isLoopbackAddress(host);
}

/** Headers a proxy adds: a request carrying any of them came through something that may have been reached from elsewhere. */
const forwardingHeaders = ['x-forwarded-for', 'forwarded', 'x-real-ip', 'x-forwarded-host', 'via'];

export interface LocalSignInRequest {
  /** Whether an identity provider is configured (then people sign in with it, never here). */
  identityProvider: boolean;
  /** Whether the server was started listening on a loopback address only (api config `localSignIn`). */
  loopbackServer: boolean;
  /** The socket's peer address; undefined for a request made in process. */
  peer: string | undefined;
  /** The request's headers, lower-case names. */
  headers: Record<string, string | undefined>;
}

/**
 * Why a sign-in on this machine is refused, or null when it may go ahead. Every condition must hold: no identity
 * provider, a server listening on loopback only, a peer socket on loopback, no proxy's forwarding headers (a
 * proxy on this machine could be passing on a request from anywhere, so its word is not taken), and a loopback
 * Host (a rebound DNS name is another site's page). Only the socket is believed; no header can make a request local.
 */
export function localSignInRefusal(request: LocalSignInRequest): string | null {
  if (request.identityProvider) return 'An identity provider is configured: sign in with your organisation’s account.';
  if (!request.loopbackServer) return 'This server listens beyond this machine, so it offers no sign-in on this machine.';
  if (!isLoopbackAddress(request.peer)) return 'Sign-in on this machine is only for a browser on the machine the server runs on.';
  const forwarded = forwardingHeaders.find((name) => request.headers[name] !== undefined);
  if (forwarded) return `The request came through a proxy (${forwarded}), so it cannot be shown to come from this machine.`;
  const host = parseHost(request.headers.host ?? '');
  if (host === undefined || !['localhost', '127.0.0.1', '[::1]'].includes(host.name)) return 'Sign-in on this machine needs the address localhost, 127.0.0.1 or [::1].';
  return null;
}

/**
 * Whether to offer the button: as `localSignInRefusal`, except that the dashboard's own server asks on the
 * browser's behalf with X-Forwarded-For naming it, so every hop named must be loopback too. Only a hint for the
 * page; the sign-in itself (a form posted by the browser straight to the API) takes no forwarded header.
 */
export function localSignInOffered(request: LocalSignInRequest): boolean {
  const hops = (request.headers['x-forwarded-for'] ?? '').split(',').filter((hop) => hop.trim() !== '');
  const { 'x-forwarded-for': _forwarded, ...headers } = request.headers;
  return hops.every((hop) => isLoopbackAddress(hop)) && localSignInRefusal({ ...request, headers }) === null;
}
