import { ensureDashboardBuilt } from './dashboard-build';

/** `npm start`'s build step: builds the dashboard only when its sources changed since the last build. */
const started = Date.now();
const built = await ensureDashboardBuilt();
console.log(built ? `Built the dashboard in ${((Date.now() - started) / 1000).toFixed(1)} s.` : 'The dashboard build is current; not rebuilt.');
