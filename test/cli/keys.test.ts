import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret, parseApiKey } from '../../src/serving/api-key.js';
import { runEddy } from '../support/keys.js';
import { tempDb } from '../support/server.js';

const db = tempDb();
afterAll(() => rmSync(dirname(db), { recursive: true, force: true }));

interface ListedKey {
  id: string;
  role: string;
  models: string[] | null;
  note: string | null;
  createdAt: string;
  revokedAt: string | null;
}

async function listJson(): Promise<ListedKey[]> {
  const run = await runEddy(['keys', 'list', '--json', '--db', db]);
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as ListedKey[];
}

let admin: string;
let scoped: string;

beforeAll(async () => {
  // The first create makes and migrates the database; the second runs on it.
  const first = await runEddy(['keys', 'create', '--role', 'admin', '--db', db, '--note', 'ops team']);
  expect(first.code, first.stderr).toBe(0);
  admin = first.stdout.trim();
  const second = await runEddy(['keys', 'create', '--role', 'predict', '--model', 'b', '--model', 'a', '--db', db]);
  expect(second.code, second.stderr).toBe(0);
  scoped = second.stdout.trim();
});

describe('eddy keys create', () => {
  it('prints only the key on stdout, eddy_<12 hex id>_<43 base64url>, and says on stderr it is shown once', async () => {
    expect(admin).toMatch(/^eddy_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(scoped).toMatch(/^eddy_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(admin).not.toBe(scoped);
    const run = await runEddy(['keys', 'create', '--role', 'learn', '--db', db]);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/created key [0-9a-f]{12} \(role learn, models \*\); it is shown only this once/);
  });

  it('refuses an unknown role, a bad model name and a missing role with exit code 2 and one line', async () => {
    const runs = await Promise.all(
      [['--role', 'root'], ['--role', 'predict', '--model', 'no spaces'], []].map((args) =>
        runEddy(['keys', 'create', '--db', db, ...args]),
      ),
    );
    for (const run of runs) {
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/^eddy keys create: /);
    }
  });
});

describe('eddy keys list', () => {
  it('shows id, role, models, created, revoked and note, never the secret or its hash', async () => {
    const [run, listed] = await Promise.all([runEddy(['keys', 'list', '--db', db]), listJson()]);
    expect(run.code).toBe(0);
    const [header, ...rows] = run.stdout.trimEnd().split('\n');
    expect(header.split(/\s+/)).toEqual(['ID', 'ROLE', 'MODELS', 'CREATED', 'REVOKED', 'NOTE']);
    const adminId = parseApiKey(admin)?.id as string;
    const scopedId = parseApiKey(scoped)?.id as string;
    expect(rows.find((r) => r.startsWith(adminId))).toMatch(/admin\s+\*\s+\d{4}-\d\d-\d\dT\S+Z\s+-\s+ops team$/);
    expect(rows.find((r) => r.startsWith(scopedId))).toMatch(/predict\s+a,b\s+\S+\s+-$/);
    for (const key of [admin, scoped]) {
      expect(run.stdout).not.toContain(parseApiKey(key)?.secret);
    }
    expect(listed.find((k) => k.id === scopedId)).toMatchObject({ role: 'predict', models: ['a', 'b'], revokedAt: null });
    expect(JSON.stringify(listed)).not.toMatch(/salt|hash/);
  });

  it('refuses a database that does not exist rather than creating one', async () => {
    const missing = `${dirname(db)}/missing.db`;
    const run = await runEddy(['keys', 'list', '--db', missing]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no database at');
    expect(existsSync(missing)).toBe(false);
  });
});

describe('eddy keys revoke', () => {
  it('revokes by id (or by the key itself), once; an unknown id is exit code 2', async () => {
    const id = parseApiKey(scoped)?.id as string;
    const [run, unknown] = await Promise.all([
      runEddy(['keys', 'revoke', id, '--db', db]),
      runEddy(['keys', 'revoke', 'ffffffffffff', '--db', db]),
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`revoked key ${id}`);

    const [again, listed] = await Promise.all([runEddy(['keys', 'revoke', scoped, '--db', db]), listJson()]);
    expect(listed.find((k) => k.id === id)?.revokedAt).toMatch(/^\d{4}-/);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already revoked');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe('eddy keys revoke: no API key with id "ffffffffffff"');
  });

  it('is recorded in the append-only key audit log (eddy keys log), which the database refuses to change', async () => {
    const run = await runEddy(['keys', 'log', '--json', '--db', db]);
    const events = JSON.parse(run.stdout) as Array<{ keyId: string; kind: string; role: string }>;
    const id = parseApiKey(scoped)?.id;
    expect(events.filter((e) => e.keyId === id).map((e) => e.kind)).toEqual(['created', 'revoked']);
    expect(events.filter((e) => e.kind === 'created')).toHaveLength(3);

    const sqlite = new Database(db);
    try {
      expect(() => sqlite.prepare('DELETE FROM api_key_events').run()).toThrow(/append-only/);
      expect(() => sqlite.prepare("UPDATE api_key_events SET kind = 'created'").run()).toThrow(/append-only/);
      expect(() => sqlite.prepare('DELETE FROM api_keys').run()).toThrow(/never deleted/);
      expect(() => sqlite.prepare("UPDATE api_keys SET role = 'admin'").run()).toThrow(/only be revoked/);
      expect(() => sqlite.prepare('UPDATE api_keys SET revoked_at = NULL WHERE id = ?').run(id)).toThrow(/only be revoked/);
    } finally {
      sqlite.close();
    }
  });
});

describe('storage', () => {
  it('keeps only a salted sha256 of each secret: the plaintext is nowhere in the database files', () => {
    const bytes = Buffer.concat(
      [db, `${db}-wal`, `${db}-shm`, `${db}-journal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)),
    );
    const sqlite = new Database(db, { readonly: true });
    try {
      for (const key of [admin, scoped]) {
        const { id, secret } = parseApiKey(key) as { id: string; secret: string };
        expect(bytes.includes(Buffer.from(secret))).toBe(false);
        expect(bytes.includes(Buffer.from(key))).toBe(false);
        const row = sqlite.prepare('SELECT salt, hash FROM api_keys WHERE id = ?').get(id) as { salt: string; hash: string };
        expect(row.salt).toMatch(/^[0-9a-f]{32}$/);
        expect(row.hash).toBe(hashSecret(row.salt, secret));
      }
    } finally {
      sqlite.close();
    }
  });
});
