import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database, DatabaseKind } from '../db';
import { loopbackHostNames } from './allowed-hosts';
import { trustedProxies, type TrustedProxies } from './client-address';
import type { Identity, Role } from './auth/identity';
import type { BatchEtl } from './batch-etl';
import type { JobQueue } from './jobs/job-queue';
import type { UploadEtl } from './upload-etl';
import { defaultRenderPoolSize, type RenderPool, type RenderPoolSize } from './workers/render-pool';
import { hqipOutlierPolicy, type CasePolicy } from './cases/case-policy';

/**
 * OpenID Connect sign-in (Microsoft Entra ID for NHS organisations): the issuer discovered at the first
 * sign-in, this service's registration there, and the app-role values of the ID token's `roles` claim.
 */
export interface SignInConfig {
  issuer: string;
  clientId: string;
  /** Without one the client is public and PKCE alone binds the code to this server. */
  clientSecret?: string;
  /** Where browsers reach this service; the redirect URI is `${publicUrl}/api/auth/callback`. */
  publicUrl: string;
  /** The `roles` claim value that grants each role; the highest present wins. */
  roleClaims: Record<Role, string>;
}

export interface ApiConfig {
  /** The suppression floor: counts from 1 to this − 1 are withheld from every output, unless a role in `suppressionLoweringRoles` lowers it (audited). */
  suppressionFloor: number;
  /** The roles that may ask for a threshold below the floor, with a reason; nobody when empty. */
  suppressionLoweringRoles: readonly Role[];
  /** local: anonymous requests read the public networks (the embedded demo); required: every request needs a session or a token. */
  auth: 'local' | 'required';
  /** Absent: no sign-in page, tokens only. */
  signIn?: SignInConfig;
  /** Where uploaded files wait, one folder each, until they are loaded or thrown away. */
  uploadDir: string;
  /** The largest upload accepted, in bytes; every other request keeps the 1 MiB cap of security.ts. */
  uploadMaxBytes: number;
  /** Uploads allowed per user in each window; `now` is the clock (injected in tests). */
  uploadRateLimit: { limit: number; windowMs: number; now?: () => number };
  /** The reverse proxies whose X-Forwarded-For is believed (client-address.ts); none by default. */
  trustedProxies: TrustedProxies;
  /** The Host names (optional ports) the API answers to (security.ts); any other is a 421. */
  allowedHosts: readonly string[];
  /** Bytes of analyses kept in memory while the data behind them is unchanged (analysis-cache.ts); 0: none. */
  analysisCacheBytes: number;
  /** The server listens on a loopback address only, so without an identity provider a browser on this machine may sign in (api/auth/local-sign-in.ts). */
  localSignIn: boolean;
  /** Worker threads for charts and packs, and how many tasks may wait for one (api/workers/render-pool.ts). */
  renderPool: RenderPoolSize;
  /** The stages and deadlines outlier cases are worked through (api/cases/case-policy.ts); HQIP's by default. */
  casePolicy: CasePolicy;
}

/** What every route handler is given: injected, never imported as a singleton. */
export interface AppDependencies {
  db: Database;
  databaseKind: DatabaseKind;
  config?: Partial<ApiConfig>;
  /** The ETL's preview and load for uploads (etl/uploads/upload-etl.ts); without it uploads are refused. */
  uploadEtl?: UploadEtl;
  /** The ETL's rollback and its plan for the load history (etl/batches/batch-etl.ts); without it rollbacks are refused. */
  batchEtl?: BatchEtl;
  /** Where charts are drawn and packs written; without one the app makes its own, sized by `config.renderPool`. */
  renderPool?: RenderPool;
  /** Where confirmed loads are queued (api/jobs); without it, a queue of the app's own runs them in this process. */
  jobs?: JobQueue;
}

export interface AppEnv {
  Variables: {
    deps: AppDependencies & { config: ApiConfig; renderPool: RenderPool };
    identity: Identity;
    /** The small-number threshold that applies to this request (api/disclosure.ts): the floor or above, below it only as allowed and audited. */
    suppressionThreshold: number;
  };
}

export const defaultApiConfig: ApiConfig = {
  suppressionFloor: 5,
  suppressionLoweringRoles: ['analyst', 'admin'],
  auth: 'local',
  // Per user, so no one else on the host owns it; each process stages in its own 0700 folder inside.
  uploadDir: join(tmpdir(), `variation-atlas-uploads-${process.getuid?.() ?? 'user'}`),
  uploadMaxBytes: 100 * 1024 * 1024,
  uploadRateLimit: { limit: 20, windowMs: 10 * 60 * 1000 },
  trustedProxies: trustedProxies([]),
  // What `app.request('/api/…')` sends (localhost), so an app made without a configuration still answers.
  allowedHosts: loopbackHostNames,
  analysisCacheBytes: 128 * 1024 * 1024,
  localSignIn: false,
  renderPool: defaultRenderPoolSize,
  casePolicy: hqipOutlierPolicy,
};

/** Entra ID app roles as they would be declared in the app registration's manifest. */
export const defaultRoleClaims: Record<Role, string> = {
  viewer: 'VariationAtlas.Viewer',
  analyst: 'VariationAtlas.Analyst',
  admin: 'VariationAtlas.Admin',
};
