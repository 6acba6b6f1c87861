import Database from 'better-sqlite3';
import { existsSync, fsyncSync, openSync, closeSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { predictionsPath } from '../store/sqlite/prediction-file.js';
import { CliError } from './cli-error.js';
import { DEFAULT_DB } from './connection.js';

interface BackupOptions {
  db: string;
  force?: boolean;
}

/** Pages copied per step: about 4 MB with SQLite's default 4 KiB pages. */
const PAGES_PER_STEP = 1024;

/** What a finished backup holds, for the closing line (and for scripts that read it). */
export interface BackupSummary {
  file: string;
  bytes: number;
  models: number;
  events: number;
  lastEventId: number;
  versions: number;
}

/**
 * Copies a live eddy database to `file` with SQLite's online backup API. The copy is one
 * consistent snapshot: a read transaction is held on the source for the whole copy (WAL lets the
 * server keep writing meanwhile, and the copy does not restart when it does), so the events in
 * the backup are a prefix of the log and every version in it is whole. The copy is written
 * beside `file` and renamed into place once complete and synced, so a failed backup never leaves
 * a half-written file under that name.
 */
export async function backupDatabase(
  source: string,
  file: string,
  onProgress: (copiedBytes: number, totalBytes: number) => void = () => {},
): Promise<BackupSummary> {
  const partial = join(dirname(file), `.${basename(file)}.partial-${process.pid}`);
  rmSync(partial, { force: true });
  const db = new Database(source, { readonly: true, fileMustExist: true, timeout: 10_000 });
  try {
    db.exec('BEGIN');
    const hasModels = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'models'").get() as { n: number };
    if (hasModels.n === 0) throw new CliError(`${source} is not an eddy database (no models table)`);
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    await db.backup(partial, {
      progress: ({ totalPages, remainingPages }) => {
        onProgress((totalPages - remainingPages) * pageSize, totalPages * pageSize);
        return PAGES_PER_STEP;
      },
    });
    db.exec('COMMIT');
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    db.close();
  }
  try {
    const summary = summarize(partial);
    const fd = openSync(partial, 'r');
    fsyncSync(fd);
    closeSync(fd);
    // A stale -wal beside the target would be replayed into the new file by the next open.
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
    renameSync(partial, file);
    await backupPredictions(source, file);
    return { ...summary, file };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

/**
 * The served predictions live in a file of their own beside the database; copy it too, so late
 * labels still find their predictions on the copy. It is not part of the versioned state.
 */
async function backupPredictions(source: string, file: string): Promise<void> {
  const target = predictionsPath(file);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
  if (!existsSync(predictionsPath(source))) return;
  const db = new Database(predictionsPath(source), { readonly: true, fileMustExist: true, timeout: 10_000 });
  try {
    await db.backup(target);
  } finally {
    db.close();
  }
}

function summarize(path: string): Omit<BackupSummary, 'file'> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`the backup failed SQLite's quick_check: ${String(check)}`);
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      bytes: statSync(path).size,
      models: count('SELECT count(*) AS n FROM models'),
      // A batch row holds `count` examples (schema.ts).
      events: count('SELECT coalesce(sum(count), 0) AS n FROM events'),
      lastEventId: count('SELECT coalesce(max(id), 0) AS n FROM events'),
      versions: count('SELECT count(*) AS n FROM model_versions'),
    };
  } finally {
    db.close();
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * `eddy backup FILE`: a consistent copy of the database while eddy runs (no need to stop it),
 * refusing to overwrite FILE unless `--force`. Progress on stderr; one line on stdout at the end.
 * Restore by serving the copy: `eddy serve --db FILE`.
 */
export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('copy the database to FILE while eddy runs: a consistent snapshot (SQLite online backup); serve it with eddy serve --db FILE')
    .argument('<file>', 'where to write the backup')
    .addOption(new Option('--db <file>', `the SQLite database to back up (default: ${DEFAULT_DB})`).env('EDDY_DB'))
    .option('--force', 'overwrite FILE if it exists')
    .action(async (file: string, options: BackupOptions) => {
      const source = resolve(options.db ?? DEFAULT_DB);
      const target = resolve(file);
      if (!existsSync(source)) throw new CliError(`no database at ${source} (give --db FILE)`);
      if (target === source) throw new CliError('FILE is the database itself; give another path');
      if (!existsSync(dirname(target))) throw new CliError(`no directory ${dirname(target)}`);
      if (existsSync(target) && !options.force) throw new CliError(`${file} exists; give --force to overwrite it`);
      const tty = process.stderr.isTTY;
      let shown = -1;
      const summary = await backupDatabase(source, target, (copied, total) => {
        const percent = total === 0 ? 100 : Math.floor((copied / total) * 100);
        if (!tty || percent === shown) return;
        shown = percent;
        process.stderr.write(`\reddy backup: ${megabytes(copied)} of ${megabytes(total)} (${percent}%)`);
      }).catch((error: unknown) => {
        if (error instanceof CliError) throw error;
        throw new CliError(`backup of ${source} failed: ${error instanceof Error ? error.message : String(error)}`, 1);
      });
      if (tty) process.stderr.write('\r\x1b[K'); // the progress line gives way to the summary
      process.stdout.write(
        `backed up ${source} to ${summary.file}: ${megabytes(summary.bytes)} (${summary.bytes} bytes), ` +
          `${summary.models} models, ${summary.events} events (last id ${summary.lastEventId}), ${summary.versions} versions\n`,
      );
    });
}
