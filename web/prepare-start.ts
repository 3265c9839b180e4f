import { ensureDashboardBuilt } from './dashboard-build';
import { preflightProblems } from './preflight-checks';
import { dirname } from 'node:path';
import { writeBuildStamp } from './build-stamp';
import { ensureServerCompiled, serverBuildFolder } from './server-build';

/**
 * `npm start`'s first step: a bad setting, a taken port or a held database is reported at once, before any
 * build; then the dashboard (about 30 s) and the server (dist/, a few seconds) are built only when their sources
 * changed since the last build, and dist/ is stamped with what it now matches (web/build-stamp.ts). The demo load
 * and the server itself then run as compiled JavaScript.
 */
const problems = await preflightProblems();
if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  process.exit(1);
}
for (const [what, ensureBuilt] of [
  ['the dashboard', ensureDashboardBuilt],
  ['the server', ensureServerCompiled],
] as const) {
  const started = Date.now();
  if (await ensureBuilt()) console.log(`Built ${what} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}
writeBuildStamp(dirname(serverBuildFolder), serverBuildFolder);
