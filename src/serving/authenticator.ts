import type { ApiKeyRecord, ApiKeyRole, Store } from '../store/types.js';
import { parseApiKey, secretMatches } from './api-key.js';
import { DomainError } from './errors.js';

/** Who is asking, as far as access control is concerned. */
export interface Principal {
  /** The key's public id; null when eddy runs without keys. */
  keyId: string | null;
  role: ApiKeyRole;
  /** The models it may see and use; null for every model. */
  models: ReadonlySet<string> | null;
  /** What rate limits count against: the key, or without keys the client's address. */
  client: string;
}

export interface AuthenticatorOptions {
  store: Store;
  /**
   * How long a verified key, and the fact that the database has no keys, are trusted before the
   * database is read again: a revoked key stops working, and a first key turns authentication on,
   * within this time in every server process. @default 500
   */
  recheckMs?: number;
  now?: () => number;
}

interface Verified {
  principal: Principal;
  at: number;
}

/** More verified keys than this in memory means something is off; start over rather than grow. */
const MAX_VERIFIED = 10_000;

const BEARER = /^\s*Bearer\s+(\S+)\s*$/i;

/** Everyone, while the database has never had a key. */
function openPrincipal(address: string | undefined): Principal {
  return { keyId: null, role: 'admin', models: null, client: `address ${address ?? 'unknown'}` };
}

function unauthenticated(message: string): DomainError {
  return new DomainError('UNAUTHENTICATED', message);
}

/**
 * Turns a request's `Authorization` value into a Principal, in a server process. While the
 * database has never had a key, everyone is admin (the local default; `eddy serve` then listens
 * on loopback only). Once it has one, every request needs a valid, unrevoked key.
 *
 * Verified keys are remembered for `recheckMs`, so the hot path costs a Map lookup; a miss reads
 * the key's row by its id (a primary-key lookup) and hashes the secret once. Only successful
 * verifications are remembered, so wrong keys cannot fill the cache.
 */
export class Authenticator {
  private readonly recheckMs: number;
  private readonly now: () => number;
  private readonly verified = new Map<string, Verified>();
  private readonly rows = new Map<string, { record: ApiKeyRecord; at: number }>();
  private keysExist = false;
  private keysCheckedAt = Number.NEGATIVE_INFINITY;
  private keysPending: Promise<boolean> | undefined;

  constructor(private readonly o: AuthenticatorOptions) {
    this.recheckMs = o.recheckMs ?? 500;
    this.now = o.now ?? Date.now;
  }

  /**
   * The principal behind `authorization` (`Bearer <key>`), or UNAUTHENTICATED. `address` is the
   * client's, which rate limits count against when there are no keys.
   */
  async authenticate(authorization: string | undefined, address: string | undefined): Promise<Principal> {
    const remembered = this.cachedPrincipal(authorization, address);
    if (remembered !== undefined) return remembered;
    if (!(await this.enabled())) return openPrincipal(address);
    if (authorization === undefined || authorization.trim() === '') {
      throw unauthenticated('an API key is required: send the header Authorization: Bearer <key>');
    }
    const match = BEARER.exec(authorization);
    if (match === null) throw unauthenticated('the Authorization value must be "Bearer <key>"');
    const text = match[1];
    const now = this.now();
    const principal = await this.verify(text);
    if (this.verified.size >= MAX_VERIFIED) this.verified.clear();
    this.verified.set(text, { principal, at: now });
    return principal;
  }

  /**
   * The principal behind `authorization` when what is remembered answers without reading the
   * database and the request is let in; otherwise undefined, and `authenticate` decides (the
   * hot path then skips a promise per request).
   */
  cachedPrincipal(authorization: string | undefined, address: string | undefined): Principal | undefined {
    const now = this.now();
    if (!this.keysExist) {
      return now - this.keysCheckedAt < this.recheckMs ? openPrincipal(address) : undefined;
    }
    if (authorization === undefined) return undefined;
    const match = BEARER.exec(authorization);
    if (match === null) return undefined;
    const cached = this.verified.get(match[1]);
    return cached !== undefined && now - cached.at < this.recheckMs ? cached.principal : undefined;
  }

  /**
   * Whether a principal authenticated earlier still holds: its key is not revoked, or, for the
   * everyone-is-admin principal, the database still has no keys. Long-lived subscriptions ask
   * this before each update, so while the answer is cached it comes without a promise.
   */
  stillValid(principal: Principal): boolean | Promise<boolean> {
    const now = this.now();
    if (principal.keyId === null) {
      if (this.keysExist) return false;
      if (now - this.keysCheckedAt < this.recheckMs) return true;
      return this.enabled().then((enabled) => !enabled);
    }
    const cached = this.rows.get(principal.keyId);
    if (cached !== undefined && now - cached.at < this.recheckMs) return cached.record.revokedAt === null;
    return this.row(principal.keyId).then((record) => record !== undefined && record.revokedAt === null);
  }

  /** Whether keys are required: once the database has a key it always will (keys are never deleted). */
  async enabled(): Promise<boolean> {
    if (this.keysExist) return true;
    if (this.now() - this.keysCheckedAt < this.recheckMs) return false;
    this.keysPending ??= this.o.store.hasApiKeys().finally(() => {
      this.keysCheckedAt = this.now();
      this.keysPending = undefined;
    });
    this.keysExist = await this.keysPending;
    return this.keysExist;
  }

  private async verify(text: string): Promise<Principal> {
    const parsed = parseApiKey(text);
    if (parsed === undefined) throw unauthenticated('invalid API key');
    const record = await this.row(parsed.id, true);
    if (record === undefined || !secretMatches(record, parsed.secret)) throw unauthenticated('invalid API key');
    if (record.revokedAt !== null) throw unauthenticated('this API key has been revoked');
    return {
      keyId: record.id,
      role: record.role,
      models: record.models === null ? null : new Set(record.models),
      client: `key ${record.id}`,
    };
  }

  /** A key's row, read again once older than `recheckMs` (or now, `fresh`); only rows that exist are kept. */
  private async row(id: string, fresh = false): Promise<ApiKeyRecord | undefined> {
    const now = this.now();
    const cached = this.rows.get(id);
    if (!fresh && cached !== undefined && now - cached.at < this.recheckMs) return cached.record;
    const record = await this.o.store.getApiKey(id);
    if (record === undefined) this.rows.delete(id);
    else this.rows.set(id, { record, at: now });
    return record;
  }
}
