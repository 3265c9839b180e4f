import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { maxRequestBytes } from '../../api/security';
import { describeDemoApi } from '../support/demo-api';
import { stackTracePattern } from '../support/raw-observations';

describeDemoApi('API hardening', ({ app }) => {
  it.each(['/api/health', '/api/funnel?indicator=VA-SHMI', '/api/funnel?indicator=VA-SHMI&format=csv', '/api/exports/funnel?indicator=VA-SHMI&format=png', '/api/nowhere', '/api/funnel?indicator=NOPE'])(
    '%s carries the security headers and a content security policy that loads nothing',
    async (path) => {
      const response = await app().request(path);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      const policy = response.headers.get('content-security-policy')!;
      expect(policy).toContain("default-src 'none'");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).not.toMatch(/script-src/);
    },
  );

  it("lets the docs page run exactly its own inline script and style, by their SHA-256, and nothing from elsewhere", async () => {
    const response = await app().request('/api/docs');
    const page = await response.text();
    const policy = response.headers.get('content-security-policy')!;
    const hash = (tag: string) => `'sha256-${createHash('sha256').update(page.split(`<${tag}>`)[1].split(`</${tag}>`)[0]).digest('base64')}'`;
    expect(policy).toContain(`script-src ${hash('script')}`);
    expect(policy).toContain(`style-src ${hash('style')}`);
    expect(policy).not.toContain('unsafe-inline');
  });

  it('refuses a form posted from another site (CSRF) with a JSON 403, before any route runs', async () => {
    const response = await app().request('/api/packs', {
      method: 'POST',
      headers: { origin: 'https://elsewhere.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'network=QZZ',
    });
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe('cross_site_request');
  });

  it('leaves a request with a bearer token to the token check: scripts are not browsers and need no Origin', async () => {
    const response = await app().request('/api/tokens/1', { method: 'DELETE', headers: { authorization: 'Bearer va_not-a-real-token', 'content-type': 'application/x-www-form-urlencoded' } });
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe('invalid_token');
  });

  it('refuses a request body over the limit with a JSON 413 and no stack trace', async () => {
    const response = await app().request('http://localhost/api/health', {
      method: 'POST',
      headers: { origin: 'http://localhost', 'content-type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(maxRequestBytes + 1) }),
    });
    expect(response.status).toBe(413);
    const text = await response.text();
    expect(JSON.parse(text).error.code).toBe('payload_too_large');
    expect(text).not.toMatch(stackTracePattern);
  });
});
