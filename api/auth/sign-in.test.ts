import { describe, expect, it } from 'vitest';
import { defaultRoleClaims } from '../context';
import { isLocalPath, roleFromClaim } from './sign-in';

describe('sign-in', () => {
  it('sends the browser back only to a path on this site', () => {
    for (const path of ['/', '/networks/KB-CANCER?period=2025%2F26%20Q2', '/indicators/VA-SHMI#funnel']) expect(isLocalPath(path), path).toBe(true);
    // Each of these a browser would follow to another site, or could split a header with.
    for (const path of ['//evil.example', '/\\evil.example', '\\\\evil.example', 'https://evil.example/', 'evil', '', '/a\r\nSet-Cookie: x=1', 'javascript:alert(1)']) {
      expect(isLocalPath(path), path).toBe(false);
    }
  });

  it('takes the highest role the roles claim grants, and none from an absent or foreign claim', () => {
    expect(roleFromClaim(['VariationAtlas.Viewer', 'VariationAtlas.Admin'], defaultRoleClaims)).toBe('admin');
    expect(roleFromClaim(['VariationAtlas.Analyst'], defaultRoleClaims)).toBe('analyst');
    expect(roleFromClaim(['Other.App.Role'], defaultRoleClaims)).toBeUndefined();
    expect(roleFromClaim(undefined, defaultRoleClaims)).toBeUndefined();
    expect(roleFromClaim('VariationAtlas.Admin', defaultRoleClaims)).toBeUndefined();
    expect(roleFromClaim(['Atlas.Lead'], { ...defaultRoleClaims, analyst: 'Atlas.Lead' })).toBe('analyst');
  });
});
