import { fileURLToPath } from 'node:url';
import { checkPrerequisites, underCi } from './prerequisites';

// Each vitest project runs the global set-up; the check and its lines belong to the run, once.
const checked = Symbol.for('variation-atlas.prerequisites-checked');

/** vitest's globalSetup (vitest.config.ts): under CI a missing prerequisite fails the run; elsewhere one line each. */
export default function checkPrerequisitesOnce(): void {
  const state = globalThis as { [checked]?: boolean };
  if (state[checked]) return;
  state[checked] = true;
  const missing = checkPrerequisites();
  if (missing.length === 0) return;
  if (underCi) throw new Error(`CI=true and a test prerequisite is missing:\n${missing.map(({ message }) => `  - ${message}`).join('\n')}`);
  for (const { message, skipped } of missing) console.warn(`[variation-atlas] ${skipped} skipped: ${message}`);
}

// `npx tsx test/support/prerequisites-setup.ts` checks without running a test (and test/ci-prerequisites.test.ts runs it so).
if (process.argv[1] === fileURLToPath(import.meta.url)) checkPrerequisitesOnce();
