import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { hqipOutlierPolicy } from '../../api/cases/case-policy';
import { noticeOverdueCases } from '../../api/changes/overdue-notices';
import { schema } from '../../db';
import { baseFile, revisionFile, seedChangesFixture } from '../support/changes-fixture';
import { describeDatabase } from '../support/database';

/**
 * Overdue case notices against an adversary who watches them. A case on RT05 × READMIT × 2024/25 Q4 is opened
 * after a revision gives RT05 each small count from 1 to 4 in turn (withheld at the floor of 5), and left to go
 * overdue: the inbox entry and the webhook body must be the same whatever the count (ids aside), while the case
 * itself answers its finding as suppressed.
 */
describeDatabase('disclosure: overdue case notices', (getDatabase) => {
  let fixture: Awaited<ReturnType<typeof seedChangesFixture>>;
  let follower: { id: number; token: string };
  let lead: { id: number; token: string };
  afterAll(() => fixture.files.remove());

  const app = () => createApp({ db: getDatabase().db, databaseKind: getDatabase().kind });
  const call = async (token: string, method: string, path: string, body?: unknown) =>
    (await app().request(path, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: body === undefined ? undefined : JSON.stringify(body) })).json();
  /** A notice with what differs from case to case by design (its id) taken out. */
  const normalised = (value: unknown, caseId: number) => JSON.stringify(value, (key, field) => (key === 'id' ? undefined : field)).replaceAll(`Case ${caseId}`, 'Case N');

  beforeAll(async () => {
    fixture = await seedChangesFixture(getDatabase());
    await fixture.load(baseFile());
    follower = await fixture.person('follower@example.nhs.uk', 'viewer', null);
    lead = await fixture.person('lead@example.nhs.uk', 'analyst', null);
    await call(follower.token, 'POST', '/api/alerts/subscriptions', { scope: 'provider', code: 'RT05', webhookUrl: 'http://127.0.0.1:9/hook' });
  });

  it('a small count leaves the inbox entry and the webhook body the same, with no figure', async () => {
    const { db } = getDatabase();
    const seen = new Set<string>();
    for (const small of [1, 2, 3, 4]) {
      await fixture.load(revisionFile(small));
      const opened = await call(lead.token, 'POST', '/api/cases', { network: 'NET1', indicator: 'READMIT', organisation: 'RT05', period: '2024/25 Q4' });
      expect(opened.finding).toMatchObject({ suppressed: true, value: null });
      const [{ dueOn }] = await db.select({ dueOn: schema.outlierCases.dueOn }).from(schema.outlierCases).where(eq(schema.outlierCases.id, opened.id));
      expect(await noticeOverdueCases(db, hqipOutlierPolicy, new Date(Date.parse(`${dueOn}T12:00:00Z`) + 8 * 86_400_000))).toBe(1);
      const [digest] = (await call(follower.token, 'GET', '/api/alerts/inbox')).digests;
      const [delivery] = await db.select().from(schema.alertDeliveries).orderBy(desc(schema.alertDeliveries.id)).limit(1);
      expect(digest.content.case.id).toBe(opened.id);
      const texts = [normalised(digest.content, opened.id), normalised(JSON.parse(delivery.payload), opened.id)];
      for (const text of texts) {
        expect(text).not.toMatch(/"(numerator|denominator|value|observed|expected|adjustedZ|z|band|judgement)"/);
        // Ids aside, the only numbers are the due date, the 8 days overdue, the period and the codes.
        expect(text).not.toMatch(new RegExp(`\\b${small}\\b`));
      }
      seen.add(texts.join('\n'));
      // Closed, so the next count's case is a new one for the same finding.
      await call(lead.token, 'POST', `/api/cases/${opened.id}/stage`, { stage: 'closed' });
      expect((await call(lead.token, 'GET', `/api/cases/${opened.id}`)).stage.id).toBe('closed');
    }
    expect(seen.size).toBe(1);
  });
});
