import { eq } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { schema } from '../../../db';
import { requireRole, signedInIdentity } from '../../auth/authenticate';
import type { AppEnv } from '../../context';
import { ApiError } from '../../errors';
import { formRefusalsTo } from '../../forms';
import { answerWrite, formAsJson, formReturnTo } from '../../forms-json';
import { findIndicator, findNetwork, findOrganisation, networkMemberCodes } from '../../queries/catalogue.queries';
import { validate } from '../../validation';
import { authorName } from '../cases/cases.queries';
import { code, codeList, periodLabel } from '../parameters';
import { addAnnotation, listAnnotations, listCommentary, removeAnnotation, saveCommentary } from './annotations.queries';

const tags = ['Annotations'];
const chartKind = z.enum(['spc', 'funnel_position']);
const noteText = z.string().trim().min(1).max(2000);

const annotationQuery = z.object({ network: code.optional(), organisation: code.optional(), indicator: codeList.optional(), chart: chartKind.optional() });
const annotationRequest = z.object({ network: code, organisation: code, indicator: code, period: periodLabel, chart: chartKind.default('spc'), text: noteText });
const commentaryQuery = z.object({ network: code, indicator: codeList.optional(), period: periodLabel.optional() });
const commentaryRequest = z.object({ network: code, indicator: code, period: periodLabel, text: z.string().trim().min(1).max(4000) });

async function periodNamed(c: Context<AppEnv>, label: string) {
  const [period] = await c.var.deps.db.select().from(schema.periods).where(eq(schema.periods.label, label));
  if (!period) throw new ApiError(404, 'not_found', `No period "${label}"`, 'period');
  return period;
}

const author = async (c: Context<AppEnv>) => {
  const identity = signedInIdentity(c);
  return { author: await authorName(c.var.deps.db, identity), authorUserId: identity.userId };
};

/**
 * Dated notes on a provider's SPC or funnel-position chart, and a network lead's commentary per indicator and
 * period: free text written by analysts and admins for a network, read by whoever may see that network (a
 * restricted network's notes answer as missing to anyone else), drawn on the charts, their exports and the pack
 * with author and date. Every write is audited.
 */
export const annotationRoutes = new Hono<AppEnv>()
  .get('/', describeRoute({ tags, summary: 'Chart notes of the networks you may see, by provider, indicator (one or several), chart or network; oldest period first' }), validate('query', annotationQuery), async (c) => {
    const { db } = c.var.deps;
    const query = c.req.valid('query');
    const identity = c.get('identity');
    const network = query.network === undefined ? undefined : await findNetwork(db, query.network, identity);
    const rows = await listAnnotations(db, identity, { networkId: network?.id, organisationCode: query.organisation, indicatorCodes: query.indicator, chart: query.chart });
    return c.json({
      annotations: rows.map((row) => ({
        id: row.id,
        network: { code: row.networkCode, name: row.networkName },
        organisation: { code: row.organisationCode, name: row.organisationName },
        indicator: { code: row.indicatorCode, name: row.indicatorName },
        period: row.period,
        chart: row.chart,
        text: row.text,
        author: row.author,
        createdAt: row.createdAt.toISOString(),
      })),
    });
  })
  .post(
    '/',
    describeRoute({ tags, summary: "Write a dated note on a provider's SPC or funnel-position chart for a network it belongs to (analysts and admins)" }),
    formRefusalsTo((c) => formReturnTo(c, '/')),
    requireRole('analyst'),
    formAsJson,
    validate('json', annotationRequest),
    async (c) => {
      const { db } = c.var.deps;
      const identity = c.get('identity');
      const request = c.req.valid('json');
      const network = await findNetwork(db, request.network, identity);
      const organisation = await findOrganisation(db, request.organisation);
      const indicator = await findIndicator(db, request.indicator);
      const period = await periodNamed(c, request.period);
      if (!(await networkMemberCodes(db, network.id, period.endDate)).has(organisation.code)) {
        throw new ApiError(422, 'not_a_member', `${organisation.code} was not a member of ${network.code} at the end of ${period.label}`, 'organisation');
      }
      const id = await addAnnotation(db, identity, { networkId: network.id, networkCode: network.code, organisation, indicator, period, chart: request.chart, text: request.text, ...(await author(c)) });
      return answerWrite(c, { id }, 201, { fallback: `/providers/${organisation.code}`, fragment: `indicator-${indicator.code}` });
    },
  )
  .delete(
    '/:id',
    describeRoute({ tags, summary: 'Remove a chart note (its author or an admin)' }),
    requireRole('analyst'),
    validate('param', z.object({ id: z.coerce.number().int().min(1).max(2 ** 31 - 1) })),
    async (c) => {
      const { id } = c.req.valid('param');
      await removeAnnotation(c.var.deps.db, signedInIdentity(c), id);
      return c.json({ id, removed: true });
    },
  );

export const commentaryRoutes = new Hono<AppEnv>()
  .get('/', describeRoute({ tags, summary: "A network lead's commentary per indicator and period, for a network you may see" }), validate('query', commentaryQuery), async (c) => {
    const { db } = c.var.deps;
    const query = c.req.valid('query');
    const network = await findNetwork(db, query.network, c.get('identity'));
    const rows = await listCommentary(db, c.get('identity'), { networkId: network.id, indicatorCodes: query.indicator, period: query.period });
    return c.json({
      network: { code: network.code, name: network.name },
      commentary: rows.map((row) => ({ id: row.id, indicator: { code: row.indicatorCode, name: row.indicatorName }, period: row.period, text: row.text, author: row.author, updatedAt: row.updatedAt.toISOString() })),
    });
  })
  .post(
    '/',
    describeRoute({ tags, summary: "Write (or replace) the lead's commentary on a network's indicator in a period (analysts and admins)" }),
    formRefusalsTo((c) => formReturnTo(c, '/variation')),
    requireRole('analyst'),
    formAsJson,
    validate('json', commentaryRequest),
    async (c) => {
      const { db } = c.var.deps;
      const identity = c.get('identity');
      const request = c.req.valid('json');
      const network = await findNetwork(db, request.network, identity);
      const indicator = await findIndicator(db, request.indicator);
      const period = await periodNamed(c, request.period);
      const changed = await saveCommentary(db, identity, { networkId: network.id, networkCode: network.code, indicator, period, text: request.text, ...(await author(c)) });
      return answerWrite(c, { changed }, 200, { fallback: `/variation?network=${network.code}`, fragment: 'commentary' });
    },
  );
