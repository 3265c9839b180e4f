import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeDatabase } from '../../test/support/database';
import { baseFile, observationsCsv, quarters, revisionFile, seedChangesFixture, trusts } from '../../test/support/changes-fixture';
import { loadObservations } from '../load/load-observations';
import { openObservationSource } from '../sources/open-source';
import { previewObservations } from './preview-observations';

/**
 * The verdict changes an upload preview predicts are those the load of the same file then records, file after
 * file on one database: a revision making RT05 a new outlier, the identical file again (already loaded: no
 * prediction, and the load changes nothing), a new quarter, and a revision putting RT05 back.
 */
describeDatabase('upload preview: predicted verdict changes against those recorded', (getDatabase) => {
  let fixture: Awaited<ReturnType<typeof seedChangesFixture>>;
  beforeAll(async () => {
    fixture = await seedChangesFixture(getDatabase());
    await fixture.load(baseFile());
  });
  afterAll(() => fixture.files.remove());

  const previewThenLoad = async (name: string, content: string) => {
    const path = fixture.files.write(name, content);
    const preview = await previewObservations(getDatabase(), await openObservationSource(path), path);
    const load = await loadObservations(getDatabase(), await openObservationSource(path), path);
    return { preview, load };
  };

  it('a revision making RT05 a new outlier', async () => {
    const { preview, load } = await previewThenLoad('revision.csv', revisionFile(200));
    expect(load.status).toBe('loaded');
    expect(load.verdictChanges).toContainEqual(expect.objectContaining({ organisation: { code: 'RT05', name: 'Trust RT05' }, change: 'entered' }));
    expect(preview.verdictChanges).toEqual(load.verdictChanges);
  });

  it('the identical file again: already loaded, nothing predicted and nothing recorded', async () => {
    const { preview, load } = await previewThenLoad('revision-again.csv', revisionFile(200));
    expect(preview.alreadyLoadedBatchId).not.toBeNull();
    expect(preview.verdictChanges).toBeUndefined();
    expect(load.status).toBe('unchanged');
    expect(load.verdictChanges).toEqual([]);
  });

  it('a new quarter, compared with the latest before it', async () => {
    const next = '2025/26 Q1';
    const { preview, load } = await previewThenLoad('new-quarter.csv', observationsCsv(trusts.map((org, i): [string, string, number, number] => [org, next, org === 'RT07' ? 10 : 95 + (i % 11), 1000])));
    expect(load.status).toBe('loaded');
    expect(load.verdictChanges.some((item) => item.period === next && !item.revision)).toBe(true);
    expect(preview.verdictChanges).toEqual(load.verdictChanges);
  });

  it('a revision putting RT05 back within', async () => {
    const { preview, load } = await previewThenLoad('back.csv', revisionFile(100));
    expect(load.verdictChanges).toContainEqual(expect.objectContaining({ organisation: { code: 'RT05', name: 'Trust RT05' }, change: 'left', period: quarters[3] }));
    expect(preview.verdictChanges).toEqual(load.verdictChanges);
  });
});
