/** Roles in rising order of what they may do: viewer reads, analyst also writes, admin also manages. */
export const roles = ['viewer', 'analyst', 'admin'] as const;
export type Role = (typeof roles)[number];

export const scopes = ['read', 'write'] as const;
export type Scope = (typeof scopes)[number];

/**
 * Who is asking. `local` is the anonymous viewer of local mode (the embedded demo): read-only and public
 * networks only. A token's identity carries its owner's role and restricted networks, narrowed by its scopes;
 * a signed-in browser's session carries them with both scopes.
 */
export type Identity =
  | { kind: 'local'; role: 'viewer'; scopes: readonly Scope[]; networkIds: ReadonlySet<number> }
  | { kind: 'token'; userId: number; subject: string; role: Role; scopes: readonly Scope[]; networkIds: ReadonlySet<number>; tokenId: number }
  | { kind: 'session'; userId: number; subject: string; role: Role; scopes: readonly Scope[]; networkIds: ReadonlySet<number>; sessionId: number };

export const localViewer: Identity = { kind: 'local', role: 'viewer', scopes: ['read'], networkIds: new Set() };

export function hasRole(identity: Identity, role: Role): boolean {
  return roles.indexOf(identity.role) >= roles.indexOf(role);
}

/** A restricted network is visible only to its members and to admins; every other network to everyone. */
export function canSeeNetwork(identity: Identity, network: { id: number; restricted: boolean }): boolean {
  return !network.restricted || identity.role === 'admin' || identity.networkIds.has(network.id);
}

/** Who an audit row names: the user's subject, or 'local' for local mode. */
export function actorOf(identity: Identity): { actor: string; userId: number | null } {
  return identity.kind === 'local' ? { actor: 'local', userId: null } : { actor: identity.subject, userId: identity.userId };
}
