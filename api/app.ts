import { Hono } from 'hono';
import { analysisCache } from './analysis-cache';
import { defaultApiConfig, type AppDependencies, type AppEnv } from './context';
import { inProcessJobQueue } from './jobs/in-process-queue';
import { takeJobs } from './jobs/job-workers';
import { authenticate } from './auth/authenticate';
import { disclosureControl } from './disclosure';
import { handleError, handleNotFound } from './errors';
import { apiSecurity } from './security';
import { adminRoutes } from './routes/admin/admin.routes';
import { auditRoutes } from './routes/audit/audit.routes';
import { authRoutes } from './routes/auth/auth.routes';
import { annotationRoutes, commentaryRoutes } from './routes/annotations/annotations.routes';
import { batchRoutes } from './routes/batches/batches.routes';
import { alertRoutes } from './routes/alerts/alerts.routes';
import { changesRoutes } from './routes/changes/changes.routes';
import { caseRoutes } from './routes/cases/cases.routes';
import { mountDocs } from './routes/docs/docs.routes';
import { mountExports } from './routes/exports/exports.routes';
import { funnelRoutes } from './routes/funnel/funnel.routes';
import { funnelSensitivityRoutes } from './routes/funnel/funnel-sensitivity.routes';
import { healthRoutes } from './routes/health/health.routes';
import { indicatorRoutes } from './routes/indicators/indicators.routes';
import { measureRoutes } from './routes/measures/measures.routes';
import { networkRoutes } from './routes/networks/networks.routes';
import { organisationRoutes } from './routes/organisations/organisations.routes';
import { searchRoutes } from './routes/search/search.routes';
import { overviewRoutes } from './routes/overview/overview.routes';
import { opportunityRoutes } from './routes/opportunity/opportunity.routes';
import { peerRoutes } from './routes/peers/peers.routes';
import { mountPacks } from './routes/packs/packs.routes';
import { profileRoutes } from './routes/profile/profile.routes';
import { provenanceRoutes } from './routes/provenance/provenance.routes';
import { tokenRoutes } from './routes/tokens/tokens.routes';
import { funnelPositionRoutes } from './routes/trends/funnel-position.routes';
import { networkSpcSummaryRoutes } from './routes/trends/network-spc-summary.routes';
import { trendRoutes } from './routes/trends/trends.routes';
import { uploadRoutes } from './routes/uploads/uploads.routes';
import { variationNetworkRoutes } from './routes/variation/variation-networks.routes';
import { variationRoutes } from './routes/variation/variation.routes';
import { refuseNulCharacters } from './validation';
import { createRenderPool } from './workers/render-pool';

/** The API as a value: routes grouped by resource, dependencies injected, one error handler. */
export function createApp(given: AppDependencies) {
  const config = { ...defaultApiConfig, ...given.config };
  const deps = { ...given, jobs: given.jobs ?? ownJobQueue(given, config.uploadDir), renderPool: given.renderPool ?? createRenderPool(config.renderPool) };
  const app = new Hono<AppEnv>()
    .use(async (c, next) => {
      c.set('deps', { ...deps, config });
      await next();
    })
    .use(...apiSecurity())
    .use(refuseNulCharacters)
    .use(authenticate)
    .use(disclosureControl())
    .use(analysisCache({ maxBytes: config.analysisCacheBytes }))
    .basePath('/api')
    .route('/health', healthRoutes)
    .route('/auth', authRoutes())
    .route('/indicators', indicatorRoutes)
    .route('/networks', networkRoutes)
    .route('/organisations', organisationRoutes)
    .route('/search', searchRoutes)
    .route('/measures', measureRoutes)
    .route('/funnel/sensitivity', funnelSensitivityRoutes)
    .route('/funnel', funnelRoutes)
    .route('/trends', trendRoutes)
    .route('/trends', funnelPositionRoutes)
    .route('/trends', networkSpcSummaryRoutes)
    .route('/overview', overviewRoutes)
    .route('/profile', profileRoutes)
    .route('/peers', peerRoutes)
    .route('/opportunity', opportunityRoutes)
    .route('/variation', variationNetworkRoutes)
    .route('/variation', variationRoutes)
    .route('/provenance', provenanceRoutes)
    .route('/tokens', tokenRoutes)
    .route('/audit', auditRoutes)
    .route('/admin', adminRoutes)
    .route('/uploads', uploadRoutes(config))
    .route('/batches', batchRoutes)
    .route('/changes', changesRoutes)
    .route('/alerts', alertRoutes)
    .route('/cases', caseRoutes)
    .route('/annotations', annotationRoutes)
    .route('/commentary', commentaryRoutes);
  mountExports(app);
  mountPacks(app);
  mountDocs(app);
  app.onError(handleError);
  app.notFound(handleNotFound);
  return app;
}

export type AppType = ReturnType<typeof createApp>;

/** The embedded default: an app given no queue runs its loads in its own process, one at a time. */
function ownJobQueue(deps: AppDependencies, uploadDir: string) {
  if (!deps.uploadEtl) return undefined;
  const queue = inProcessJobQueue();
  void takeJobs(queue, { db: deps.db, databaseKind: deps.databaseKind, uploadEtl: deps.uploadEtl, uploadDir }, 1);
  return queue;
}
