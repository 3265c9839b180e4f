import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes (256 bits) as base64url after a recognisable `va_` prefix, so a leaked token is easy to spot. */
export function newToken(): { token: string; hash: string; prefix: string } {
  const token = `va_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token), prefix: token.slice(0, 10) };
}

/** Tokens are stored only as this hash: a high-entropy secret needs no slow hash, only a one-way one. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
