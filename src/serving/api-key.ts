import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRecord, ApiKeyRole, NewApiKey } from '../store/types.js';

export type { ApiKeyRole } from '../store/types.js';

/** The roles, weakest first: each may do everything the ones before it may. */
export const ROLES: readonly ApiKeyRole[] = ['predict', 'learn', 'admin'];

/** Whether a key of role `has` may do what needs role `needs`. */
export function roleAllows(has: ApiKeyRole, needs: ApiKeyRole): boolean {
  return ROLES.indexOf(has) >= ROLES.indexOf(needs);
}

export function isRole(text: string): text is ApiKeyRole {
  return (ROLES as readonly string[]).includes(text);
}

/** `eddy_<id>_<secret>`: a 12-hex-digit public id, then 32 random bytes in base64url (43 characters). */
const KEY_PATTERN = /^eddy_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/**
 * The stored hash of a secret: sha256(salt ‖ secret), not scrypt. A slow KDF protects guessable
 * passwords; these secrets are 256 random bits, so no hash speed makes guessing feasible, and a
 * fast hash lets a server verify a key on a cache miss in microseconds instead of tens of
 * milliseconds of CPU an attacker could make it spend per request. The per-key salt keeps two
 * keys' hashes unrelated.
 */
export function hashSecret(salt: string, secret: string): string {
  return createHash('sha256').update(Buffer.from(salt, 'hex')).update(secret, 'utf8').digest('hex');
}

/** A new key: the text to hand out once, and the row to store (no secret in it). */
export function generateApiKey(o: {
  role: ApiKeyRole;
  models: string[] | null;
  note: string | null;
  createdBy: string | null;
}): { key: string; record: NewApiKey } {
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16).toString('hex');
  return {
    key: `eddy_${id}_${secret}`,
    record: { id, role: o.role, models: o.models, salt, hash: hashSecret(salt, secret), note: o.note, createdBy: o.createdBy },
  };
}

/** The id and secret of a key's text, or undefined if it is not shaped like an eddy key. */
export function parseApiKey(text: string): { id: string; secret: string } | undefined {
  const match = KEY_PATTERN.exec(text);
  return match === null ? undefined : { id: match[1], secret: match[2] };
}

/** Whether `secret` is the one whose hash `record` holds (constant time). */
export function secretMatches(record: Pick<ApiKeyRecord, 'salt' | 'hash'>, secret: string): boolean {
  const expected = Buffer.from(record.hash, 'hex');
  const actual = Buffer.from(hashSecret(record.salt, secret), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
