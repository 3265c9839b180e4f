import { expect } from 'vitest';

/** Anything that answers requests like the API: `createApp(...)`, asked in process. */
type App = { request(url: string, init?: RequestInit): Response | Promise<Response> };

/**
 * A browser's part in an OpenID Connect sign-in, done with fetch: the API asked in process, the identity
 * provider over HTTP with a cookie jar, every redirect followed by hand so each step can be inspected.
 */
export class SignInBrowser {
  /** The identity provider's cookies (its interaction and session), by name. */
  private readonly providerCookies = new Map<string, string>();

  constructor(
    private readonly app: App,
    /** The x-forwarded-for the API is asked with: each test its own, so rate limits do not spill between them. */
    readonly address: string,
  ) {}

  /** GET /api/auth/sign-in, expecting the redirect to the provider's authorization endpoint. */
  async startSignIn(returnTo = '/'): Promise<URL> {
    const response = await this.app.request(`/api/auth/sign-in?returnTo=${encodeURIComponent(returnTo)}`, { headers: { 'x-forwarded-for': this.address } });
    expect(response.status, await response.clone().text()).toBe(302);
    return new URL(response.headers.get('location')!);
  }

  /**
   * Follows the provider from its authorization endpoint through its login and consent pages as `subject`
   * (or presses its "abort" link instead), to the redirect back to this service: that callback URL.
   */
  async authorizeAtProvider(authorizationUrl: URL, subject: string, choice: 'consent' | 'abort' = 'consent'): Promise<URL> {
    let url = authorizationUrl;
    for (let step = 0; step < 12; step++) {
      if (url.pathname.endsWith('/api/auth/callback')) return url;
      const interaction = /^\/interaction\/([^/]+)$/.exec(url.pathname);
      let response: Response;
      if (interaction && choice === 'abort') {
        response = await this.providerFetch(new URL(`${url.pathname}/abort`, url));
      } else if (interaction) {
        const page = await (await this.providerFetch(url)).text();
        const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
        expect(prompt, page.slice(0, 500)).toMatch(/^(login|consent)$/);
        const form = new URLSearchParams(prompt === 'login' ? { prompt, login: subject, password: 'any' } : { prompt: prompt! });
        response = await this.providerFetch(url, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      } else {
        response = await this.providerFetch(url);
      }
      const location = response.headers.get('location');
      expect(location, `${response.status} from ${url}: ${(await response.text()).slice(0, 300)}`).toBeTruthy();
      url = new URL(location!, url);
    }
    throw new Error('the identity provider never sent the browser back');
  }

  /** The callback as the browser makes it, with whatever session cookie it holds. */
  finishSignIn(callbackUrl: URL, sessionCookie?: string): Promise<Response> {
    const headers: Record<string, string> = { 'x-forwarded-for': this.address };
    if (sessionCookie !== undefined) headers.cookie = sessionCookie;
    return Promise.resolve(this.app.request(callbackUrl.pathname + callbackUrl.search, { headers }));
  }

  private async providerFetch(url: URL, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.providerCookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, value] = [pair.slice(0, pair.indexOf('=')).trim(), pair.slice(pair.indexOf('=') + 1)];
      const expired = attributes.some((attribute) => /^\s*expires=Thu, 01 Jan 1970/i.test(attribute) || /^\s*max-age=0$/i.test(attribute));
      if (expired || value === '') this.providerCookies.delete(name);
      else this.providerCookies.set(name, value);
    }
    return response;
  }
}

/** The session cookie's name=value from a response's Set-Cookie, and the attributes it was set with. */
export function sessionCookieOf(response: Response): { pair: string; secret: string; attributes: string } | undefined {
  const line = response.headers.getSetCookie().find((cookie) => cookie.startsWith('va_session='));
  if (line === undefined) return undefined;
  const [pair, ...attributes] = line.split(';');
  return { pair, secret: pair.slice('va_session='.length), attributes: attributes.map((attribute) => attribute.trim()).join('; ') };
}
