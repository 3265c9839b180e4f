import type { Database, DatabaseKind } from '../db';
import type { Identity, Role } from './auth/identity';

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
  /** Counts from 1 to this − 1 are withheld from every output; 0 switches suppression off. */
  suppressionThreshold: number;
  /** local: anonymous requests read the public networks (the embedded demo); required: every request needs a session or a token. */
  auth: 'local' | 'required';
  /** Absent: no sign-in page, tokens only. */
  signIn?: SignInConfig;
}

/** What every route handler is given: injected, never imported as a singleton. */
export interface AppDependencies {
  db: Database;
  databaseKind: DatabaseKind;
  config?: Partial<ApiConfig>;
}

export interface AppEnv {
  Variables: { deps: AppDependencies & { config: ApiConfig }; identity: Identity };
}

export const defaultApiConfig: ApiConfig = { suppressionThreshold: 5, auth: 'local' };

/** Entra ID app roles as they would be declared in the app registration's manifest. */
export const defaultRoleClaims: Record<Role, string> = {
  viewer: 'VariationAtlas.Viewer',
  analyst: 'VariationAtlas.Analyst',
  admin: 'VariationAtlas.Admin',
};
