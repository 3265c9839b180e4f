import { beforeAll, expect } from 'vitest';
import { createApp } from '../../api/app';
import { loadDemo } from '../../etl/demo/load-demo';
import { chromiumAvailable } from './browser';
import { describeDatabase, type TestDatabase } from './database';
import { describeNeeding } from './prerequisites';
import { stackTracePattern } from './raw-observations';

export type DemoApp = ReturnType<typeof createApp>;

/** A suite against the API over a database holding the demo data, loaded through the real ETL. */
export function describeDemoApi(name: string, body: (context: { app: () => DemoApp; database: () => TestDatabase }) => void): void {
  describeDatabase(name, (getDatabase) => {
    let app: DemoApp | undefined;
    beforeAll(async () => {
      await loadDemo(getDatabase());
      app = createApp({ db: getDatabase().db, databaseKind: getDatabase().kind });
    });
    body({ app: () => app!, database: getDatabase });
  });
}

/** A demo suite for the dashboard in Debian's Chromium; where Chromium is missing, failing under CI and skipped elsewhere. */
export const describeDemoInBrowser: typeof describeDemoApi = (name, body) => {
  if (chromiumAvailable) describeDemoApi(name, body);
  else describeNeeding('chromium', name, () => describeDemoApi(name, body));
};

/** GET a path and parse its JSON, failing with the body when the status is not the expected one. */
export async function getJson<T = any>(app: DemoApp, path: string, status = 200): Promise<T> {
  const response = await app.request(path);
  const text = await response.text();
  if (response.status !== status) throw new Error(`GET ${path}: expected ${status}, got ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** The API's error contract: the status, a JSON error naming the parameter (and code, if given), no stack trace. */
export async function expectApiError(app: DemoApp, path: string, status: number, parameter: string, code?: string): Promise<void> {
  const response = await app.request(path);
  expect(response.status, path).toBe(status);
  const text = await response.text();
  expect(JSON.parse(text).error).toMatchObject(code === undefined ? { parameter } : { code, parameter });
  expect(text).not.toMatch(stackTracePattern);
}
