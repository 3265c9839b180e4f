import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './context';
import { isFormPost } from './forms';

const returnTos = new WeakMap<Request, string>();

/** A local path only ("/cases/3"), never another site ("//host", "https://…") nor a path with a backslash. */
const isLocalPath = (path: string) => path.startsWith('/') && !path.startsWith('//') && !path.includes('\\');

/**
 * The dashboard's plain forms post to the same JSON routes scripts use: a form body is read as the JSON object
 * of its fields (a repeated field as a list; empty fields left out), so one zod schema validates and documents
 * both. Its `returnTo` field names the page to go back to.
 */
export const formAsJson: MiddlewareHandler<AppEnv> = async (c, next) => {
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
    const fields = await c.req.parseBody({ all: true });
    const body: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(fields)) {
      if (typeof value === 'string' && value.trim() === '') continue;
      if (name === 'returnTo') continue;
      body[name] = value;
    }
    const headers = new Headers(c.req.raw.headers);
    headers.set('content-type', 'application/json');
    headers.delete('content-length');
    const raw = new Request(c.req.raw.url, { method: c.req.method, headers, body: JSON.stringify(body) });
    const returnTo = fields.returnTo;
    if (typeof returnTo === 'string' && isLocalPath(returnTo)) returnTos.set(raw, returnTo);
    c.req.raw = raw;
    // The form was read (and cached) as a form; the validator reads the new body afresh as JSON.
    c.req.bodyCache = {};
  }
  await next();
};

/** Where a form post goes back to: its `returnTo`, else the page it came from, else `fallback`. */
export function formReturnTo(c: Context<AppEnv>, fallback: string): string {
  const named = returnTos.get(c.req.raw);
  if (named) return named;
  const referer = c.req.header('referer');
  if (referer) {
    try {
      const url = new URL(referer);
      if (url.host === new URL(c.req.url).host) return `${url.pathname}${url.search}`;
    } catch {
      // Not a URL: fall back.
    }
  }
  return fallback;
}

/** A write's answer: JSON to a script, a 303 back to its page (with `saved=` and a fragment) to a browser's form. */
export function answerWrite(c: Context<AppEnv>, body: object, status: 200 | 201, back: { fallback: string; fragment?: string }) {
  if (!isFormPost(c)) return c.json(body, status);
  const target = new URL(formReturnTo(c, back.fallback), 'http://local');
  target.searchParams.set('saved', '1');
  target.searchParams.delete('error');
  return c.redirect(`${target.pathname}${target.search}${back.fragment ? `#${back.fragment}` : ''}`, 303);
}
