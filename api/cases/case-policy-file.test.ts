import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverConfigFromEnv, apiConfigOf } from '../config';
import { hqipOutlierPolicy } from './case-policy';
import { readCasePolicy } from './case-policy-file';

const folder = mkdtempSync(join(tmpdir(), 'case-policy-'));
const file = (name: string, content: unknown) => {
  const path = join(folder, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

describe('a case policy from a file', () => {
  it('reads the HQIP default written out as JSON back to the same policy', () => {
    expect(readCasePolicy(file('hqip.json', hqipOutlierPolicy))).toEqual(hqipOutlierPolicy);
  });

  it('takes a policy of calendar days from VARIATION_ATLAS_CASE_POLICY', () => {
    const path = file('calendar.json', {
      name: 'Network policy',
      reference: 'Local',
      stages: [
        { id: 'review', label: 'Review', deadline: { days: 14, unit: 'calendar' }, next: ['done'] },
        { id: 'done', label: 'Done', deadline: null, final: true },
      ],
    });
    const config = apiConfigOf(serverConfigFromEnv({ VARIATION_ATLAS_CASE_POLICY: path }));
    expect(config.casePolicy?.stages.map((stage) => stage.id)).toEqual(['review', 'done']);
    expect(apiConfigOf(serverConfigFromEnv({})).casePolicy).toBeUndefined();
  });

  it('refuses a bad file with one message naming the file and the field', () => {
    expect(() => readCasePolicy(file('broken.json', '{'))).toThrow(/broken\.json: /);
    expect(() => readCasePolicy(file('days.json', { ...hqipOutlierPolicy, stages: [{ ...hqipOutlierPolicy.stages[0], deadline: { days: 0, unit: 'working' } }] }))).toThrow(/days\.json: stages\.0\.deadline\.days/);
    expect(() => readCasePolicy(file('dangling.json', { ...hqipOutlierPolicy, stages: hqipOutlierPolicy.stages.slice(0, 2) }))).toThrow(/dangling\.json: stage data_check moves to unknown stage closed/);
    expect(() => serverConfigFromEnv({ VARIATION_ATLAS_CASE_POLICY: join(folder, 'missing.json') })).toThrow(/VARIATION_ATLAS_CASE_POLICY: .*missing\.json/);
  });
});
