import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDb } from '../../test/support/server.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { generateApiKey } from './api-key.js';
import { Authenticator } from './authenticator.js';

const db = tempDb();
let store: SqliteStore;

beforeAll(() => {
  SqliteStore.migrate(db);
  store = new SqliteStore(db);
});

afterAll(async () => {
  await store.close();
  rmSync(dirname(db), { recursive: true, force: true });
});

async function refusal(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (error) {
    return `${(error as { code: string }).code}: ${(error as Error).message}`;
  }
}

describe('Authenticator', () => {
  let now = 0;
  const auth = () => new Authenticator({ store, recheckMs: 500, now: () => now });

  it('makes everyone admin while the database has no keys, counting rate limits per address', async () => {
    expect(await auth().authenticate(undefined, '10.0.0.7')).toEqual({ keyId: null, role: 'admin', models: null, client: 'address 10.0.0.7' });
  });

  it('requires a valid key once one exists, noticing the first key within recheckMs', async () => {
    const a = auth();
    await a.authenticate(undefined, '::1');
    const { key, record } = generateApiKey({ role: 'learn', models: ['m'], note: null, createdBy: null });
    await store.createApiKey(record);
    expect(await a.authenticate(undefined, '::1')).toMatchObject({ role: 'admin' }); // not yet re-read
    now += 500;
    expect(await refusal(a.authenticate(undefined, '::1'))).toMatch(/^UNAUTHENTICATED: an API key is required/);
    expect(await a.authenticate(`Bearer ${key}`, '::1')).toEqual({
      keyId: record.id,
      role: 'learn',
      models: new Set(['m']),
      client: `key ${record.id}`,
    });
    expect(await a.authenticate(`bearer  ${key} `, '::1')).toMatchObject({ keyId: record.id });
    expect(await refusal(a.authenticate(key, '::1'))).toBe('UNAUTHENTICATED: the Authorization value must be "Bearer <key>"');
    const forged = `${key.slice(0, 18)}${key.slice(18).split('').reverse().join('')}`;
    expect(await refusal(a.authenticate(`Bearer ${forged}`, '::1'))).toBe('UNAUTHENTICATED: invalid API key');
    expect(await refusal(a.authenticate('Bearer eddy_aaaaaaaaaaaa_x', '::1'))).toBe('UNAUTHENTICATED: invalid API key');
  });

  it('stops accepting a revoked key within recheckMs, and says so to subscriptions', async () => {
    const a = auth();
    const { key, record } = generateApiKey({ role: 'predict', models: null, note: null, createdBy: null });
    await store.createApiKey(record);
    const principal = await a.authenticate(`Bearer ${key}`, undefined);
    expect(await a.stillValid(principal)).toBe(true);
    await store.revokeApiKey(record.id, 'test');
    expect(await a.authenticate(`Bearer ${key}`, undefined)).toBe(principal); // cached
    now += 500;
    expect(await refusal(a.authenticate(`Bearer ${key}`, undefined))).toBe('UNAUTHENTICATED: this API key has been revoked');
    expect(await a.stillValid(principal)).toBe(false);
    expect(await a.stillValid({ keyId: null, role: 'admin', models: null, client: 'address x' })).toBe(false);
  });
});
