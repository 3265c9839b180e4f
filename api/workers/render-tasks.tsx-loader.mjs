// The render pool's worker entry under tsx (development and tests): a worker thread does not inherit tsx's
// module hooks on Node 20, so they are registered here before the TypeScript tasks are imported.
import { register } from 'tsx/esm/api';

register();
export const { drawChartTask, writePackTask } = await import('./render-tasks.ts');
