import SwaggerParser from '@apidevtools/swagger-parser';
import { expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { describeDatabase } from '../support/database';

describeDatabase('OpenAPI document', (getDatabase) => {
  const app = () => createApp({ db: getDatabase().db, databaseKind: getDatabase().kind });

  it('validates as OpenAPI 3.1 and covers every route the app serves', async () => {
    const response = await app().request('/api/openapi.json');
    expect(response.status).toBe(200);
    const document = await response.json();
    // validate() dereferences in place, so give it a copy.
    await expect(SwaggerParser.validate(structuredClone(document))).resolves.toBeTruthy();
    const documented = new Set(Object.entries(document.paths as Record<string, object>).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`)));
    const served = app()
      .routes.filter((route) => route.method !== 'ALL' && !['/api/openapi.json', '/api/docs'].includes(route.path))
      .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(served.length).toBeGreaterThan(5);
    expect(served.filter((route) => !documented.has(route))).toEqual([]);
  });

  it('documents query parameters from the zod schemas', async () => {
    const document = await (await app().request('/api/openapi.json')).json();
    const funnel = document.paths['/api/funnel'].get;
    const names = funnel.parameters.map((parameter: { name: string }) => parameter.name);
    expect(names).toEqual(expect.arrayContaining(['indicator', 'period', 'network', 'adjustment', 'trim', 'convention', 'suppression', 'format']));
    expect(funnel.parameters.find((parameter: { name: string }) => parameter.name === 'indicator').required).toBe(true);
  });

  it('serves a browsable page that needs nothing from the network', async () => {
    const response = await app().request('/api/docs');
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('openapi.json');
    expect(html).not.toMatch(/(src|href)="https?:/);
  });
});
