import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { hostAllowed } from './allowed-hosts';
import type { AppEnv } from './context';
import { docsPage } from './routes/docs/docs-page';
import { ApiError } from './errors';

/** The largest request body the API reads: its routes take parameters; the one upload route sets its own cap. */
export const maxRequestBytes = 1024 * 1024;

/** POST /api/uploads streams a file to disk under its own, larger cap (config.uploadMaxBytes). */
const isUpload = (method: string, path: string) => method === 'POST' && path === '/api/uploads';

const capRequestBodies = bodyLimit({
  maxSize: maxRequestBytes,
  onError: () => {
    throw new ApiError(413, 'payload_too_large', `Request bodies are limited to ${maxRequestBytes} bytes`);
  },
});

const headerDefaults: NonNullable<Parameters<typeof secureHeaders>[0]> = {
  crossOriginResourcePolicy: 'same-origin',
  crossOriginOpenerPolicy: 'same-origin',
  referrerPolicy: 'no-referrer',
  xFrameOptions: 'DENY',
  permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
};

/** JSON, CSV and images load nothing and are framed by nobody; an SVG chart opened in the browser keeps its inline styles. */
const dataHeaders = secureHeaders({
  ...headerDefaults,
  contentSecurityPolicy: { defaultSrc: ["'none'"], styleSrc: ["'unsafe-inline'"], imgSrc: ['data:'], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
});

/** The docs page runs its own inline script and style and nothing else: allowed by hash, never 'unsafe-inline'. */
const inlineHash = (tag: 'script' | 'style') => {
  const body = docsPage.match(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`))![1];
  return `'sha256-${createHash('sha256').update(body).digest('base64')}'`;
};
const docsHeaders = secureHeaders({
  ...headerDefaults,
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: [inlineHash('script')],
    styleSrc: [inlineHash('style')],
    connectSrc: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
  },
});

const sameOrigin = csrf();

/**
 * CSRF: a form posted from another site (its Origin not this server's) is refused before any route runs. A
 * request with a bearer token is a script's, not a browser's: browsers never attach that header by themselves.
 */
const refuseCrossSiteForms: MiddlewareHandler = async (c, next) => {
  if (c.req.header('authorization')?.startsWith('Bearer ')) return next();
  try {
    await sameOrigin(c, next);
  } catch (error) {
    if (error instanceof HTTPException && error.status === 403) throw new ApiError(403, 'cross_site_request', 'A form from another site may not change anything here');
    throw error;
  }
};

/**
 * DNS rebinding: a page on another site whose name is re-pointed at this server reaches it with that name as
 * its Host, which is not among config.allowedHosts. Refused before anything else, the CSRF check's origin
 * (built from the Host) included. A Host header wins over the URL, which `app.request` fills with localhost.
 */
const refuseMisdirected: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!hostAllowed(c.req.header('host') ?? new URL(c.req.url).host, c.get('deps').config.allowedHosts)) {
    throw new ApiError(421, 'misdirected_request', 'This server does not answer for that host name');
  }
  return next();
};

/**
 * Hardening for every API response: security headers with a content security policy, a refusal of requests
 * for a host name not this server's (DNS rebinding) and of cross-site form posts (CSRF: the Origin must be
 * this server's), and a cap on request bodies, each answered with the API's JSON error.
 */
export function apiSecurity(): MiddlewareHandler<AppEnv>[] {
  return [
    (c, next) => (c.req.path === '/api/docs' ? docsHeaders(c, next) : dataHeaders(c, next)),
    refuseMisdirected,
    refuseCrossSiteForms,
    (c, next) => (isUpload(c.req.method, c.req.path) ? next() : capRequestBodies(c, next)),
  ];
}
