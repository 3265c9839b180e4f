import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rebuildCommand, sourceDigest, staleBuildWarning, writeBuildStamp } from '../../web/build-stamp';

const folders: string[] = [];
afterEach(() => folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** A checkout in miniature: server sources, a test, and dist/ with its bundle. */
function checkout() {
  const root = mkdtempSync(join(tmpdir(), 'build-stamp-'));
  folders.push(root);
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('web/serve.ts', 'serve');
  write('api/routes/a.ts', 'export const a = 1;');
  write('api/routes/a.test.ts', 'test');
  write('package-lock.json', '{}');
  write('dist/serve.js', 'bundle');
  return { root, dist: join(root, 'dist'), write };
}

describe('the build stamp npm run serve compares with the sources', () => {
  it('is silent while dist/ matches its sources, and warns in one line naming the command once a source changes', () => {
    const { root, dist, write } = checkout();
    writeBuildStamp(root, dist);
    expect(staleBuildWarning(root, dist)).toBeUndefined();
    // A test is not compiled into dist/; rewriting a source with the same bytes changes nothing.
    write('api/routes/a.test.ts', 'another test');
    write('api/routes/a.ts', 'export const a = 1;');
    expect(staleBuildWarning(root, dist)).toBeUndefined();
    write('api/routes/a.ts', 'export const a = 2;');
    const warning = staleBuildWarning(root, dist);
    expect(warning).toContain(rebuildCommand);
    expect(warning).not.toContain('\n');
    writeBuildStamp(root, dist);
    expect(staleBuildWarning(root, dist)).toBeUndefined();
    // A new source file, or new dependencies, are changes too.
    write('etl/b.ts', 'b');
    expect(staleBuildWarning(root, dist)).toContain(rebuildCommand);
    writeBuildStamp(root, dist);
    write('package-lock.json', '{"lockfileVersion":3}');
    expect(staleBuildWarning(root, dist)).toContain(rebuildCommand);
  });

  it('says nothing on a production host, where dist/ has no sources beside it', () => {
    const { root, dist } = checkout();
    writeBuildStamp(root, dist);
    rmSync(join(root, 'web'), { recursive: true });
    rmSync(join(root, 'api'), { recursive: true });
    expect(sourceDigest(root)).toBeUndefined();
    expect(staleBuildWarning(root, dist)).toBeUndefined();
  });

  it('without a stamp, compares the bundle’s time with the sources’', () => {
    const { root, dist } = checkout();
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(root, 'api/routes/a.ts'), past, past);
    utimesSync(join(root, 'web/serve.ts'), past, past);
    utimesSync(join(root, 'package-lock.json'), past, past);
    expect(staleBuildWarning(root, dist)).toBeUndefined();
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'api/routes/a.ts'), later, later);
    expect(staleBuildWarning(root, dist)).toContain(rebuildCommand);
  });
});
