import { describe, expect, it } from 'vitest';
import { canSeeNetwork, hasRole, localViewer, type Identity } from './identity';

const member = (role: Identity['role'], networkIds: number[]): Identity => ({
  kind: 'token', userId: 1, subject: 'u', role, scopes: ['read'], networkIds: new Set(networkIds), tokenId: 1,
});

describe('identity', () => {
  it('ranks roles so an admin passes an analyst guard and a viewer does not', () => {
    expect(hasRole(member('admin', []), 'analyst')).toBe(true);
    expect(hasRole(member('analyst', []), 'analyst')).toBe(true);
    expect(hasRole(member('viewer', []), 'analyst')).toBe(false);
    expect(hasRole(localViewer, 'viewer')).toBe(true);
  });

  it('shows a restricted network only to its members and admins', () => {
    const restricted = { id: 7, restricted: true };
    expect(canSeeNetwork(localViewer, restricted)).toBe(false);
    expect(canSeeNetwork(member('analyst', [3]), restricted)).toBe(false);
    expect(canSeeNetwork(member('viewer', [7]), restricted)).toBe(true);
    expect(canSeeNetwork(member('admin', []), restricted)).toBe(true);
    expect(canSeeNetwork(localViewer, { id: 7, restricted: false })).toBe(true);
  });
});
