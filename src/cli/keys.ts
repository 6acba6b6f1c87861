import { existsSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { type Command, Option } from 'commander';
import { generateApiKey, parseApiKey, ROLES } from '../serving/api-key.js';
import type { ApiKeyRecord, ApiKeyRole } from '../store/types.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { CliError } from './cli-error.js';

/** Model names as createModel accepts them. */
const MODEL_NAME = /^[A-Za-z0-9_.:-]{1,128}$/;

function dbOption(): Option {
  return new Option('--db <file>', 'SQLite database file').env('EDDY_DB').default('./eddy.db');
}

function repeat(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Who ran the command, for the key audit log. */
function actor(): string | null {
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    return null;
  }
}

/** Opens the database for key management, bringing its schema up to date first. */
async function withStore<T>(db: string, create: boolean, work: (store: SqliteStore) => Promise<T>): Promise<T> {
  if (!create && !existsSync(db)) throw new CliError(`no database at ${db} (give --db, or create a key first)`);
  SqliteStore.migrate(db);
  const store = new SqliteStore(db);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

function iso(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function scopeOf(models: string[] | null): string {
  return models === null ? '*' : models.join(',');
}

/** A key as `keys list --json` shows it: everything but the salt and hash. */
function publicView(k: ApiKeyRecord) {
  return {
    id: k.id,
    role: k.role,
    models: k.models,
    note: k.note,
    createdAt: new Date(k.createdAt).toISOString(),
    createdBy: k.createdBy,
    revokedAt: k.revokedAt === null ? null : new Date(k.revokedAt).toISOString(),
    revokedBy: k.revokedBy,
  };
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd()).join('\n');
}

/**
 * `eddy keys create | list | revoke | log`: API keys on the database file. A key is printed once,
 * on stdout alone (`KEY=$(eddy keys create --role predict)`); the database keeps only a salted
 * hash. Running servers see a new or revoked key within a second.
 */
export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('manage API keys (the database stores only salted hashes)');

  keys
    .command('create')
    .description('create an API key and print it once')
    .addOption(new Option('--role <role>', 'predict (queries, subscriptions), learn (+ learn), admin (+ createModel, checkpoint, rollback, audit)').choices(ROLES).makeOptionMandatory())
    .option('--model <name>', 'scope the key to this model (repeatable; default: every model)', repeat, [])
    .option('--note <text>', 'what the key is for')
    .addOption(dbOption())
    .action(async (o: { role: ApiKeyRole; model: string[]; note?: string; db: string }) => {
      const bad = o.model.find((m) => !MODEL_NAME.test(m));
      if (bad !== undefined) throw new CliError(`--model ${JSON.stringify(bad)} is not a model name (1 to 128 of letters, digits, _ . : -)`);
      const models = o.model.length === 0 ? null : [...new Set(o.model)].sort();
      const { key, record } = generateApiKey({ role: o.role, models, note: o.note ?? null, createdBy: actor() });
      await withStore(o.db, true, (store) => store.createApiKey(record));
      process.stdout.write(`${key}\n`);
      process.stderr.write(
        `created key ${record.id} (role ${o.role}, models ${scopeOf(models)}); it is shown only this once, keep it secret\n`,
      );
    });

  keys
    .command('list')
    .description('list API keys (id, role, models, created, revoked, note; never the secret)')
    .option('--json', 'one JSON array')
    .addOption(dbOption())
    .action(async (o: { json?: boolean; db: string }) => {
      const all = await withStore(o.db, false, (store) => store.listApiKeys());
      if (o.json) return void process.stdout.write(`${JSON.stringify(all.map(publicView), null, 2)}\n`);
      if (all.length === 0) {
        process.stdout.write('no API keys: eddy serve runs without authentication, on loopback addresses only\n');
        return;
      }
      const rows = all.map((k) => [k.id, k.role, scopeOf(k.models), iso(k.createdAt), iso(k.revokedAt), k.note ?? '']);
      process.stdout.write(`${table([['ID', 'ROLE', 'MODELS', 'CREATED', 'REVOKED', 'NOTE'], ...rows])}\n`);
    });

  keys
    .command('revoke')
    .description('revoke an API key for good; running servers refuse it within a second')
    .argument('<id>', 'the key id (as keys list shows it), or the key itself')
    .addOption(dbOption())
    .action(async (idOrKey: string, o: { db: string }) => {
      const id = parseApiKey(idOrKey)?.id ?? idOrKey;
      const outcome = await withStore(o.db, false, (store) => store.revokeApiKey(id, actor()));
      if (outcome.status === 'not-found') throw new CliError(`no API key with id ${JSON.stringify(id)}`);
      if (outcome.status === 'already-revoked') {
        process.stdout.write(`key ${id} was already revoked at ${iso(outcome.key.revokedAt)}\n`);
        return;
      }
      process.stdout.write(`revoked key ${id} (role ${outcome.key.role}, models ${scopeOf(outcome.key.models)})\n`);
    });

  keys
    .command('log')
    .description('the append-only audit log of key creations and revocations')
    .option('--json', 'one JSON array')
    .addOption(dbOption())
    .action(async (o: { json?: boolean; db: string }) => {
      const events = await withStore(o.db, false, (store) => store.listApiKeyEvents());
      if (o.json) return void process.stdout.write(`${JSON.stringify(events, null, 2)}\n`);
      const rows = events.map((e) => [iso(e.at), e.kind, e.keyId, e.role, scopeOf(e.models), e.actor ?? '']);
      process.stdout.write(`${table([['AT', 'WHAT', 'KEY', 'ROLE', 'MODELS', 'BY'], ...rows])}\n`);
    });
}
