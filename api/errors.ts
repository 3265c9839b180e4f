import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isDatabaseUnavailable } from '../db/unavailable';

/** The one error body the API answers with: a code, a message and, for bad input, the parameter. */
export interface ApiErrorBody {
  error: { code: string; message: string; parameter?: string };
}

/** An error the client caused or should know about; an unreachable database is a 503, anything else is logged and answered as a bare 500. */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly parameter?: string,
  ) {
    super(status, { message });
  }
}

export function handleError(error: Error, c: Context): Response {
  if (error instanceof ApiError) {
    const body: ApiErrorBody = { error: { code: error.code, message: error.message, parameter: error.parameter } };
    return c.json(body, error.status);
  }
  if (error instanceof HTTPException) {
    const body: ApiErrorBody = { error: { code: 'http_error', message: error.message || 'request failed' } };
    return c.json(body, error.status);
  }
  if (isDatabaseUnavailable(error)) {
    // Expected while PostgreSQL restarts: one line, not a stack per request; the client may retry.
    console.warn(`database unavailable: ${c.req.method} ${c.req.path}`);
    const body: ApiErrorBody = { error: { code: 'database_unavailable', message: 'The database is unavailable; try again shortly' } };
    return c.json(body, 503, { 'retry-after': '5' });
  }
  console.error(error);
  const body: ApiErrorBody = { error: { code: 'internal_error', message: 'The server could not answer this request' } };
  return c.json(body, 500);
}

export function handleNotFound(c: Context): Response {
  const body: ApiErrorBody = { error: { code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}` } };
  return c.json(body, 404);
}
