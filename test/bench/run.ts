import { apiFunnelBench } from './api-funnel.bench';
import { dashboardRenderBench } from './dashboard-render.bench';
import { etlLoadBench } from './etl-load.bench';
import { healthDuringLoadBench } from './health-during-load.bench';
import { healthUnderPacksBench } from './health-under-packs.bench';
import { methodSensitivityBench } from './method-sensitivity.bench';
import { packBench } from './pack.bench';
import { startUpBench } from './start-up.bench';
import { statsBench } from './stats.bench';
import { uploadPreviewBench } from './upload-preview.bench';

/** `npm run bench`: each benchmark prints its figures as ratios to a baseline measured in the same run. */
const benches: Record<string, () => Promise<void>> = {
  stats: statsBench,
  'method-sensitivity': methodSensitivityBench,
  'etl-load': etlLoadBench,
  'upload-preview': uploadPreviewBench,
  'api-funnel': apiFunnelBench,
  pack: packBench,
  'health-during-load': healthDuringLoadBench,
  'health-under-packs': healthUnderPacksBench,
  'start-up': startUpBench,
  'dashboard-render': dashboardRenderBench,
  cusum: async () => (await import('./cusum.bench')).cusumBench(),
  'page-paint': async () => (await import('./page-paint.bench')).pagePaintBench(),
  peers: async () => (await import('./peers.bench')).peersBench(),
  'changes-record': async () => (await import('./changes-record.bench')).changesRecordBench(),
  'engine-scale': async () => (await import('./engine-scale.bench')).engineScaleBench(),
  // About 40 minutes (13 M observations loaded, then served): run by name only, `npm run bench national-scale`.
  'national-scale': async () => (await import('./national-scale.bench')).nationalScaleBench(),
};

const byNameOnly = new Set(['national-scale']);
const only = process.argv.slice(2);
for (const [name, bench] of Object.entries(benches)) {
  if (only.length > 0 && !only.includes(name)) continue;
  if (only.length === 0 && byNameOnly.has(name)) continue;
  await bench();
}
