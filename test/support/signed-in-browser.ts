import { and, eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { createSession } from '../../api/auth/sessions.queries';
import { schema, type Database } from '../../db';

type Person = { subject: string; displayName: string; role: 'viewer' | 'analyst' | 'admin' };

/**
 * A browser context per person, each signed in by a session made directly in the database: the sign-in itself
 * is proved against a real OpenID Connect provider in test/e2e/sign-in.test.ts, so the other browser tests start
 * signed in.
 */
export async function signedInContexts<Who extends string>(browser: Browser, db: Database, origin: string, people: Record<Who, Person>): Promise<Record<Who, BrowserContext>> {
  const contexts = {} as Record<Who, BrowserContext>;
  for (const [who, person] of Object.entries(people) as [Who, Person][]) {
    const [user] = await db.insert(schema.users).values(person).returning({ id: schema.users.id });
    const { secret } = await createSession(db, user.id);
    contexts[who] = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await contexts[who].addCookies([{ name: 'va_session', value: secret, url: origin }]);
  }
  return contexts;
}

/** Records a page's console errors and uncaught exceptions: a CSP violation or a failed request shows here. */
export function watchForErrors(page: Page, path: string, errors: string[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${path}: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`${path}: ${error.message}`));
}

/**
 * Opens a page and checks its status. Pages meant to work are watched for errors; an error page logs its
 * own failed document load by design, so it is not.
 */
export async function openPage(context: BrowserContext, origin: string, path: string, errors: string[], status = 200): Promise<Page> {
  const page = await context.newPage();
  if (status === 200) watchForErrors(page, path, errors);
  const response = await page.goto(`${origin}${path}`, { waitUntil: 'networkidle' });
  expect(response?.status(), path).toBe(status);
  return page;
}

/**
 * A generic CSV of every row of a proportion indicator's latest period as loaded, with one organisation's
 * numerator and denominator changed: loading it revises that one figure and withdraws nothing.
 */
export async function revisionOfLatestSlice(db: Database, change: { indicator: string; organisation: string; numerator: number; denominator: number }) {
  const rows = await db
    .select({ code: schema.organisations.code, period: schema.periods.label, numerator: schema.observations.numerator, denominator: schema.observations.denominator })
    .from(schema.observations)
    .innerJoin(schema.indicators, eq(schema.indicators.id, schema.observations.indicatorId))
    .innerJoin(schema.organisations, eq(schema.organisations.id, schema.observations.organisationId))
    .innerJoin(schema.periods, eq(schema.periods.id, schema.observations.periodId))
    .where(and(eq(schema.indicators.code, change.indicator)));
  const period = rows.map((row) => row.period).sort().at(-1)!;
  const latest = rows.filter((row) => row.period === period);
  const lines = latest.map((row) =>
    [change.indicator, row.code, period, row.code === change.organisation ? change.numerator : row.numerator, row.code === change.organisation ? change.denominator : row.denominator].join(','),
  );
  return { period, rows: latest.length, csv: ['indicator_code,organisation_code,period,numerator,denominator', ...lines].join('\n') + '\n' };
}

/** Of the pages given, those that scroll sideways in the context's window (a phone's 375 px, say), with by how much. */
export async function pagesScrollingSideways(context: BrowserContext, origin: string, paths: string[], errors: string[]): Promise<string[]> {
  const overflowing: string[] = [];
  for (const path of paths) {
    const page = await openPage(context, origin, path, errors);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) overflowing.push(`${path}: ${overflow} px`);
    await page.close();
  }
  return overflowing;
}
