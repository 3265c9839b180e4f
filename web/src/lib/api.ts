import type { AppType } from '$api/app';
import { error } from '@sveltejs/kit';
import { hc, type ClientResponse } from 'hono/client';

/** The API, typed by its own routes. `fetch` is a load's, so server-side loads and the browser share one path. */
export function createApiClient(fetchFn: typeof fetch) {
  return hc<AppType>('/', { fetch: fetchFn });
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** The JSON bodies a route can answer; a route that can also answer CSV (format=csv) contributes only its JSON. */
type JsonBody<R> = R extends ClientResponse<infer T, number, 'json'> ? T : never;

/** A response's JSON, or SvelteKit's error page with the API's own status and message. */
export async function ok<R extends ClientResponse<unknown, number, string>>(response: R): Promise<JsonBody<R>> {
  if (response.ok) return (await response.json()) as JsonBody<R>;
  let body: { error?: { code?: string; message?: string; parameter?: string } } = {};
  try {
    body = JSON.parse(await response.text());
  } catch {
    // A proxy's HTML page or an empty body: keep the status.
  }
  error(response.status, {
    message: body.error?.message ?? `The API answered ${response.status}`,
    code: body.error?.code,
    parameter: body.error?.parameter,
  });
}

