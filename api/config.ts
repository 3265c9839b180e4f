import { z } from 'zod';
import { roles } from './auth/identity';
import { readCasePolicy } from './cases/case-policy-file';
import { hostAllowed, loopbackHostNames, parseHost } from './allowed-hosts';
import { listensOnLoopbackOnly } from './auth/local-sign-in';
import { trustedProxies } from './client-address';
import { defaultApiConfig, defaultRoleClaims, type ApiConfig } from './context';
import { defaultQueueLimits } from './jobs/job-queue';

/** An unset variable and an empty one mean the same: `VAR=` in a unit file or compose file is common. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema.optional());

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/** HTTPS, or plain HTTP on this machine only (a development identity provider). */
const webUrl = z.url().refine((value) => {
  const url = new URL(value);
  return url.protocol === 'https:' || (url.protocol === 'http:' && loopbackHosts.has(url.hostname));
}, 'must be an https URL (http only on localhost)');

/** A comma-separated list, blank entries dropped. */
const commaList = z.string().transform((value) => value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== ''));

const proxyList = commaList.transform((entries, context) => {
  try {
    return trustedProxies(entries);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

const hostList = commaList.superRefine((entries, context) => {
  for (const entry of entries) if (parseHost(entry) === undefined) context.addIssue({ code: 'custom', message: `"${entry}" is not a host name with an optional port, such as atlas.example.nhs.uk or [::1]:3000` });
});

const serverEnv = z
  .object({
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    // local: the embedded demo, read-only for anyone on the public networks; required: a session or a bearer
    // token for every request. `token` is the earlier name of `required`.
    VARIATION_ATLAS_AUTH: z
      .enum(['local', 'required', 'token'])
      .default('local')
      .transform((mode) => (mode === 'token' ? 'required' : mode)),
    // Exactly as the provider's discovery document spells it: the ID token's iss must match it to the character.
    VARIATION_ATLAS_OIDC_ISSUER: optional(webUrl),
    VARIATION_ATLAS_OIDC_CLIENT_ID: optional(z.string().trim().min(1)),
    VARIATION_ATLAS_OIDC_CLIENT_SECRET: optional(z.string().min(1)),
    VARIATION_ATLAS_PUBLIC_URL: optional(webUrl.transform((value) => value.replace(/\/+$/, ''))),
    VARIATION_ATLAS_OIDC_ROLE_VIEWER: optional(z.string().trim().min(1)),
    VARIATION_ATLAS_OIDC_ROLE_ANALYST: optional(z.string().trim().min(1)),
    VARIATION_ATLAS_OIDC_ROLE_ADMIN: optional(z.string().trim().min(1)),
    // The small-number floor no request may go below unless its role is listed (audited, with a reason). An
    // empty value is the default, never 0: switching suppression off must be spelt out.
    VARIATION_ATLAS_SUPPRESSION_MIN: optional(z.coerce.number().int().min(0).max(1000)),
    // Comma-separated roles, or `none`.
    VARIATION_ATLAS_SUPPRESSION_LOWERING_ROLES: optional(
      z
        .string()
        .transform((list) => list.split(',').map((role) => role.trim()).filter((role) => role.length > 0 && role !== 'none'))
        .pipe(z.array(z.enum(roles, { error: 'must list viewer, analyst or admin, separated by commas, or be none' }))),
    ),
    // Only behind these is X-Forwarded-For read; none by default, so the socket's peer is the client.
    VARIATION_ATLAS_TRUSTED_PROXIES: optional(proxyList),
    // The Host names answered; unset: this machine's, HOST's and the public URL's.
    VARIATION_ATLAS_ALLOWED_HOSTS: optional(hostList),
    // Memory for analyses answered again while the data is unchanged (api/analysis-cache.ts); 0 turns it off.
    VARIATION_ATLAS_ANALYSIS_CACHE_MB: optional(z.coerce.number().int().min(0).max(65536)),
    // A JSON file of the outlier-case policy (api/cases/case-policy.ts); HQIP's staged outlier management when unset.
    VARIATION_ATLAS_CASE_POLICY: optional(
      z.string().transform((path, context) => {
        try {
          return readCasePolicy(path);
        } catch (error) {
          context.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      }),
    ),
    // Worker threads drawing charts and writing packs, and how many such tasks may wait; beyond that a 429.
    VARIATION_ATLAS_RENDER_THREADS: optional(z.coerce.number().int().min(1).max(64)),
    VARIATION_ATLAS_RENDER_QUEUE: optional(z.coerce.number().int().min(0).max(10000)),
    // Where this process stages uploads for their preview and writes its copies of them for a load.
    VARIATION_ATLAS_UPLOAD_DIR: optional(z.string().trim().min(1)),
    // Loads this process runs at once; 0 (with DATABASE_URL) makes an API-only replica (api/jobs).
    VARIATION_ATLAS_WORKERS: optional(z.coerce.number().int().min(0).max(64)),
    // Loads allowed to wait; one more confirmation is a 429 with Retry-After.
    VARIATION_ATLAS_QUEUE_LIMIT: optional(z.coerce.number().int().min(1).max(100_000)),
    // PostgreSQL: how often a worker looks for loads left running by a worker that died, to run them again.
    VARIATION_ATLAS_DEAD_WORKER_CHECK_SECONDS: optional(z.coerce.number().int().min(1).max(3600)),
  })
  .superRefine((env, context) => {
    const needed = ['VARIATION_ATLAS_OIDC_CLIENT_ID', 'VARIATION_ATLAS_PUBLIC_URL'] as const;
    if (env.VARIATION_ATLAS_OIDC_ISSUER === undefined) {
      for (const name of [...needed, 'VARIATION_ATLAS_OIDC_CLIENT_SECRET'] as const) {
        if (env[name] !== undefined) context.addIssue({ code: 'custom', path: [name], message: 'is set but VARIATION_ATLAS_OIDC_ISSUER is not: sign-in needs the issuer too' });
      }
      return;
    }
    for (const name of needed) {
      if (env[name] === undefined) context.addIssue({ code: 'custom', path: [name], message: 'is required when VARIATION_ATLAS_OIDC_ISSUER is set' });
    }
  });

export type ServerConfig = z.infer<typeof serverEnv>;

/** Validates the server's environment at start-up, so a bad PORT or half an OIDC configuration fails with a clear message. */
export function serverConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = serverEnv.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid environment variable ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * The Host names answered: those configured, or this machine's, HOST's and the public URL's. HOST is always
 * among them: the dashboard's server reaches the API at it (web/server.ts), and no other site's page can send it.
 */
function allowedHostsOf(config: ServerConfig): string[] {
  const listening = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  const publicHost = config.VARIATION_ATLAS_PUBLIC_URL === undefined ? [] : [new URL(config.VARIATION_ATLAS_PUBLIC_URL).hostname];
  const hosts = config.VARIATION_ATLAS_ALLOWED_HOSTS ?? [...loopbackHostNames, ...publicHost];
  return hostAllowed(listening, hosts) ? hosts : [...hosts, listening];
}

/** The job queue's share (api/jobs): loads run here at once, the waiting allowed, and the check for dead workers' jobs. */
export function jobQueueConfigOf(config: ServerConfig) {
  return {
    workers: config.VARIATION_ATLAS_WORKERS ?? 1,
    maxWaiting: config.VARIATION_ATLAS_QUEUE_LIMIT ?? defaultQueueLimits.maxWaiting,
    retryAfterSeconds: defaultQueueLimits.retryAfterSeconds,
    deadWorkerCheckSeconds: config.VARIATION_ATLAS_DEAD_WORKER_CHECK_SECONDS ?? 15,
  };
}

/** The API's share of the server's configuration; the HTTP edge's (web/server.ts) too. */
export function apiConfigOf(config: ServerConfig): Partial<ApiConfig> & Pick<ApiConfig, 'trustedProxies' | 'allowedHosts'> {
  const { VARIATION_ATLAS_OIDC_ISSUER: issuer, VARIATION_ATLAS_OIDC_CLIENT_ID: clientId, VARIATION_ATLAS_PUBLIC_URL: publicUrl } = config;
  const disclosure = {
    suppressionFloor: config.VARIATION_ATLAS_SUPPRESSION_MIN ?? defaultApiConfig.suppressionFloor,
    suppressionLoweringRoles: config.VARIATION_ATLAS_SUPPRESSION_LOWERING_ROLES ?? defaultApiConfig.suppressionLoweringRoles,
  };
  const edge = {
    trustedProxies: config.VARIATION_ATLAS_TRUSTED_PROXIES ?? defaultApiConfig.trustedProxies,
    allowedHosts: allowedHostsOf(config),
    analysisCacheBytes: config.VARIATION_ATLAS_ANALYSIS_CACHE_MB === undefined ? defaultApiConfig.analysisCacheBytes : config.VARIATION_ATLAS_ANALYSIS_CACHE_MB * 1024 * 1024,
    localSignIn: listensOnLoopbackOnly(config.HOST),
    renderPool: { threads: config.VARIATION_ATLAS_RENDER_THREADS ?? defaultApiConfig.renderPool.threads, queue: config.VARIATION_ATLAS_RENDER_QUEUE ?? defaultApiConfig.renderPool.queue },
    ...(config.VARIATION_ATLAS_CASE_POLICY === undefined ? {} : { casePolicy: config.VARIATION_ATLAS_CASE_POLICY }),
    ...(config.VARIATION_ATLAS_UPLOAD_DIR === undefined ? {} : { uploadDir: config.VARIATION_ATLAS_UPLOAD_DIR }),
  };
  if (issuer === undefined || clientId === undefined || publicUrl === undefined) return { auth: config.VARIATION_ATLAS_AUTH, ...disclosure, ...edge };
  return {
    auth: config.VARIATION_ATLAS_AUTH,
    ...disclosure,
    ...edge,
    signIn: {
      issuer,
      clientId,
      clientSecret: config.VARIATION_ATLAS_OIDC_CLIENT_SECRET,
      publicUrl,
      roleClaims: {
        viewer: config.VARIATION_ATLAS_OIDC_ROLE_VIEWER ?? defaultRoleClaims.viewer,
        analyst: config.VARIATION_ATLAS_OIDC_ROLE_ANALYST ?? defaultRoleClaims.analyst,
        admin: config.VARIATION_ATLAS_OIDC_ROLE_ADMIN ?? defaultRoleClaims.admin,
      },
    },
  };
}
