import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import JSZip from 'jszip';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { schema } from '../../db';
import { seriousAccessibilityViolations } from '../support/accessibility';
import { artefactsDir } from '../support/browser';
import { describeDemoInBrowser, getJson } from '../support/demo-api';
import { servedDashboard } from '../support/served-dashboard';
import { openPage, signedInContexts } from '../support/signed-in-browser';

/**
 * The network lead's loop in Debian's Chromium: a lead opens a case from a finding on the variation finder, moves
 * it through the policy's stages, adds a note to the provider's SPC chart and commentary on the indicator, and
 * builds a board pack whose PDF and PPTX show the case's stage, the note and the commentary with their author.
 * An overdue case is flagged on the home and network pages. Pages are photographed at 1440 × 900 and 375 × 812.
 */
const network = 'KB-MT-ODN';
const note = 'New pathway from the stroke unit <started>';
const commentary = 'The board is asked to note the response due from the trust';
const screenshots = join(artefactsDir, 'e2e');

interface Finding {
  indicator: string;
  organisation: { code: string; name: string };
  period: string;
}

describeDemoInBrowser('the lead’s loop: cases, notes and commentary in Chromium', ({ app, database }) => {
  const served = servedDashboard(() => app().fetch);
  let lead: BrowserContext;
  let finding: Finding;
  let caseId: number;
  const errors: string[] = [];

  beforeAll(async () => {
    ({ lead } = await signedInContexts(served.browser(), database().db, served.origin(), { lead: { subject: 'lead@example.nhs.uk', displayName: 'Lena Lead', role: 'analyst' } }));
    finding = (await getJson<{ findings: Finding[] }>(app(), `/api/variation?network=${network}`)).findings[0];
    // The provider page asks for a chart per indicator; on a busy machine it settles in more than the default 30 s.
    lead.setDefaultNavigationTimeout(120_000);
    lead.setDefaultTimeout(90_000);
  }, 300_000);

  const open = (path: string) => openPage(lead, served.origin(), path, errors);

  /** The page at the desktop and the phone sizes, into artefacts/e2e. */
  async function photograph(page: Page, name: string) {
    for (const [label, viewport] of [['1440x900', { width: 1440, height: 900 }], ['375x812', { width: 375, height: 812 }]] as const) {
      await page.setViewportSize(viewport);
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(screenshots, `cases-${name}-${label}-${database().kind}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  it('opens a case from a finding and moves it through its stages, the finder showing its stage beside the finding', async () => {
    const page = await open(`/variation?network=${network}`);
    const card = page.locator(`[data-finding="${finding.indicator}|${finding.organisation.code}"]`);
    await card.locator('[data-open-case] button').click();
    await page.waitForURL(/\/cases\/\d+\?saved=opened$/);
    caseId = Number(/\/cases\/(\d+)/.exec(page.url())![1]);
    await expect(page.locator('[data-case-stage]').getAttribute('data-case-stage')).resolves.toBe('data_check');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    for (const next of ['provider_notified', 'response_due']) {
      await page.check(`#stage-${next}`);
      await page.fill('#stage-note', `Moved to ${next}`);
      await page.getByRole('button', { name: 'Move the case' }).click();
      await page.waitForURL(/saved=1/);
      await expect(page.locator('[data-case-stage]').getAttribute('data-case-stage')).resolves.toBe(next);
    }
    await page.fill('#note-text', 'Trust asked for its audit of the coding');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.waitForURL(/saved=1/);
    await expect(page.locator('[data-case-history]').textContent()).resolves.toContain('Trust asked for its audit of the coding');
    await photograph(page, 'case');
    const moves = await database().db.select({ details: schema.auditEvents.details }).from(schema.auditEvents).where(eq(schema.auditEvents.action, 'case_stage_changed'));
    expect(moves.map((row) => row.details.to)).toEqual(['provider_notified', 'response_due']);

    const finder = await open(`/variation?network=${network}`);
    await expect(finder.locator(`[data-finding="${finding.indicator}|${finding.organisation.code}"] [data-case-status]`).getAttribute('data-case-status')).resolves.toBe('response_due');
    await expect(finder.locator(`[data-finding="${finding.indicator}|${finding.organisation.code}"] [data-case-status]`).textContent()).resolves.toContain('Response due');
    await page.close();
    await finder.close();
  }, 240_000);

  it('adds a dated note to the provider’s SPC chart, drawn on it and listed with author and date, and the lead’s commentary', async () => {
    const page = await open(`/providers/${finding.organisation.code}#indicator-${finding.indicator}`);
    const notes = page.locator(`[data-chart-notes="spc|${finding.indicator}"]`);
    await notes.locator('summary').click();
    const id = `notes-spc-${finding.indicator}`;
    await page.selectOption(`#${id}-period`, finding.period);
    await page.selectOption(`#${id}-network`, network);
    await page.fill(`#${id}-text`, note);
    await notes.getByRole('button', { name: 'Save the note' }).click();
    await page.waitForURL(/saved=1/);
    await page.locator(`[data-chart-notes="spc|${finding.indicator}"] [data-note]`).waitFor();
    await expect(page.locator(`[data-chart-notes="spc|${finding.indicator}"] [data-note]`).textContent()).resolves.toContain(`${finding.period}: ${note}`);
    await expect(page.locator(`[data-chart-notes="spc|${finding.indicator}"] [data-note]`).textContent()).resolves.toContain('Lena Lead');
    // On the chart: its footnote (under the canvas) numbers the note as the line drawn at its period.
    await expect(page.locator(`[data-chart-frame="spc-${finding.indicator}"] .va-spc-footnote`).textContent()).resolves.toContain(`1. ${finding.period}: ${note} (Lena Lead,`);
    await expect(page.locator('[data-provider-cases]').textContent()).resolves.toContain('Response due');
    // The same on the funnel-position chart, under its own heading.
    const section = page.locator(`#indicator-${finding.indicator}`);
    await section.locator('summary', { hasText: "Position in each period's funnel" }).click();
    const positionNotes = page.locator(`[data-chart-notes="funnel_position|${finding.indicator}"]`);
    await positionNotes.locator('summary').click();
    await page.selectOption(`#notes-funnel_position-${finding.indicator}-network`, network);
    await page.fill(`#notes-funnel_position-${finding.indicator}-text`, 'Data-quality issue: coding backlog');
    await positionNotes.getByRole('button', { name: 'Save the note' }).click();
    await page.waitForURL(/saved=1/);
    await page.locator(`#indicator-${finding.indicator}`).locator('summary', { hasText: "Position in each period's funnel" }).click();
    await page.locator(`[data-chart-notes="funnel_position|${finding.indicator}"] [data-note]`).waitFor();
    await expect(page.locator(`[data-chart-notes="funnel_position|${finding.indicator}"] [data-note]`).textContent()).resolves.toContain('Data-quality issue: coding backlog');
    await page.locator(`#indicator-${finding.indicator}`).scrollIntoViewIfNeeded();
    await photograph(page, 'provider');

    const finder = await open(`/variation?network=${network}`);
    await finder.locator('[data-commentary] summary').click();
    await finder.selectOption('#commentary-indicator', finding.indicator);
    await finder.selectOption('#commentary-period', finding.period);
    await finder.fill('#commentary-text', commentary);
    await finder.getByRole('button', { name: 'Save the commentary' }).click();
    await finder.waitForURL(/saved=1/);
    await finder.locator(`[data-commentary-entry="${finding.indicator}"]`).waitFor();
    await expect(finder.locator(`[data-commentary-entry="${finding.indicator}"]`).textContent()).resolves.toContain(commentary);
    expect(await seriousAccessibilityViolations(finder)).toEqual([]);
    await photograph(finder, 'variation');
    await page.close();
    await finder.close();
  }, 240_000);

  it('builds a pack whose PDF and PPTX show the case’s stage, the note and the commentary, with their author', async () => {
    const page = await open(`/packs?network=${network}`);
    await page.locator('[data-pack-form]').waitFor();
    await page.selectOption('#period', finding.period);
    await page.check(`#indicator-${finding.indicator}`);
    await page.check('#format-pdf');
    const [pdf] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByRole('button', { name: 'Download the board pack' }).click()]);
    const text = execFileSync('pdftotext', ['-raw', (await pdf.path())!, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (const expected of ['Outlier cases', finding.organisation.name, 'Response due', 'Notes and commentary', note, commentary, 'Lena Lead']) expect(text, expected).toContain(expected);
    await page.check('#format-pptx');
    const [pptx] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByRole('button', { name: 'Download the board pack' }).click()]);
    const zip = await JSZip.loadAsync(readFileSync((await pptx.path())!));
    const slides = await Promise.all(Object.keys(zip.files).filter((name) => /^ppt\/slides\/slide\d+\.xml$/.test(name)).map((name) => zip.file(name)!.async('string')));
    const words = slides.map((xml) => [...xml.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((match) => match[1]).join(' ')).join(' ');
    for (const expected of ['Outlier cases', 'Response due', 'Notes and commentary', 'New pathway from the stroke unit &lt;started&gt;', commentary, 'Lena Lead']) expect(words, expected).toContain(expected);
    await page.close();
  }, 300_000);

  it('flags an overdue case on the home page and on its network’s page', async () => {
    await database().db.update(schema.outlierCases).set({ dueOn: '2026-01-05' }).where(eq(schema.outlierCases.id, caseId));
    const home = await open('/');
    await home.locator('[data-overdue-cases]').waitFor();
    await expect(home.locator('[data-overdue-cases]').textContent()).resolves.toContain(finding.organisation.name);
    await photograph(home, 'home');
    const networkPage = await open(`/networks/${network}`);
    await networkPage.locator('[data-overdue-cases]').waitFor();
    await expect(networkPage.locator('[data-overdue-cases]').textContent()).resolves.toContain('Response due');
    expect(await seriousAccessibilityViolations(networkPage)).toEqual([]);
    await photograph(networkPage, 'network');
    const list = await open(`/cases?network=${network}&overdue=true`);
    await expect(list.locator(`[data-case-row="${caseId}"]`).textContent()).resolves.toContain('overdue');
    await photograph(list, 'list');
    expect(errors).toEqual([]);
    await Promise.all([home.close(), networkPage.close(), list.close()]);
  }, 240_000);
});
