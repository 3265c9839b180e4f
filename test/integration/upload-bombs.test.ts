import { createReadStream, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { createApiToken } from '../../api/auth/tokens.queries';
import { schema } from '../../db';
import { loadIndicators, loadOrganisations } from '../../etl/load/load-reference';
import { createUploadEtl } from '../../etl/uploads/upload-etl';
import { writeBombs, type Bomb } from '../support/bombs';
import { describeDatabase } from '../support/database';
import { referenceFiles, temporaryFolder } from '../support/etl-fixtures';

/**
 * The bombs through the dashboard's upload, on a real HTTP server: each is previewed within seconds as a
 * rejected upload naming the cap or reason, and the server keeps answering /api/health meanwhile (polled every
 * 50 ms; its slowest answer must stay under 200 ms). A NUL in a cell is stored as a problem on both databases.
 */
describeDatabase('uploads refuse input bombs while the server stays responsive', (getDatabase) => {
  const files = temporaryFolder();
  const staging = temporaryFolder();
  let server: ServerType;
  let base = '';
  let token = '';
  let bombs: Bomb[] = [];
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    files.remove();
    staging.remove();
  });
  beforeAll(async () => {
    const handle = getDatabase();
    await loadOrganisations(handle, files.write('organisations.csv', referenceFiles['organisations.csv']));
    await loadIndicators(handle, files.write('indicators.csv', referenceFiles['indicators.csv']));
    const [analyst] = await handle.db.insert(schema.users).values({ subject: 'bombs@example.nhs.uk', role: 'analyst' }).returning();
    token = (await createApiToken(handle.db, { userId: analyst.id, scopes: ['read', 'write'], days: 1 })).token;
    // 90 MB: the field must fit under the upload's own 100 MiB cap to reach the reader.
    bombs = await writeBombs(files.folder, files.write, 90);
    const app = createApp({ db: handle.db, databaseKind: handle.kind, uploadEtl: createUploadEtl(handle), config: { uploadDir: staging.folder } });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);

  /** Sends the file (202: its preview queued) and answers with the upload once its preview is written. */
  const upload = async (name: string, path: string) => {
    const response = await fetch(`${base}/api/uploads?name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'content-length': String(statSync(path).size) },
      body: Readable.toWeb(createReadStream(path)) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    let text = await response.text();
    if (response.status !== 202) return { status: response.status, text };
    for (let view = JSON.parse(text); view.status === 'previewing'; view = JSON.parse(text)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      text = await (await fetch(`${base}/api/uploads/${view.id}`, { headers: { authorization: `Bearer ${token}` } })).text();
    }
    return { status: response.status, text };
  };

  it('refuses each bomb within seconds, and health answers in under 200 ms throughout', async () => {
    let slowest = 0;
    let polls = 0;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const start = performance.now();
        const response = await fetch(`${base}/api/health`);
        await response.arrayBuffer();
        slowest = Math.max(slowest, performance.now() - start);
        polls++;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    try {
      for (const bomb of bombs) {
        const began = performance.now();
        const { status, text } = await upload(bomb.name, bomb.path);
        const seconds = (performance.now() - began) / 1000;
        console.log(`${bomb.name}: ${status}, previewed in ${seconds.toFixed(2)} s`);
        expect(status, text).toBe(202);
        const view = JSON.parse(text);
        expect(view.status).toBe('rejected');
        expect(view.preview.problems[0].reason).toMatch(bomb.reason);
        expect(seconds, bomb.name).toBeLessThan(10);
      }
    } finally {
      polling = false;
      await poller;
    }
    console.log(`/api/health: ${polls} answers, slowest ${slowest.toFixed(0)} ms`);
    expect(polls).toBeGreaterThan(5);
    expect(slowest).toBeLessThan(200);
  }, 180_000);

  it('stores a NUL cell as a problem shown escaped', async () => {
    const path = files.write('nul.csv', 'indicator_code,organisation_code,period,numerator,denominator\nREADMIT,R\u0000ZA,2024/25 Q1,1,2\n');
    const { status, text } = await upload('nul.csv', path);
    expect(status, text).toBe(202);
    const view = JSON.parse(text);
    expect(view).toMatchObject({ status: 'rejected', preview: { problemCount: 1 } });
    expect(view.preview.problems[0]).toMatchObject({ row: 2, column: 'organisation_code', value: 'R\\u0000ZA', reason: 'contains the control character \\u0000' });
    const again = await (await fetch(`${base}/api/uploads/${view.id}`, { headers: { authorization: `Bearer ${token}` } })).json();
    expect(again.preview.problems[0].value).toBe('R\\u0000ZA');
  });
});
