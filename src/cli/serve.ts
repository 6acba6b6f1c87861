import cluster from 'node:cluster';
import type { Command } from 'commander';
import { runLearnerProcess } from './roles/learner-process.js';
import { runPrimary } from './roles/primary.js';
import { runServerProcess } from './roles/server-process.js';
import { addServeOptions, toServeOptions } from './serve-options.js';

/** `eddy serve`: the whole server (what `npm start` runs). */
export function registerServe(program: Command): void {
  addServeOptions(
    program.command('serve').description('serve GraphQL with one learner and N server processes on a SQLite database'),
  ).action(async (raw) => {
    const options = toServeOptions(raw);
    if (cluster.isPrimary) return runPrimary(options);
    if (process.env.EDDY_ROLE === 'learner') return runLearnerProcess(options, process.env.EDDY_TAKEOVER || undefined);
    return runServerProcess(options);
  });

  addServeOptions(
    program.command('learner').description('run only a learner on the database (refused while another learner holds the lease)'),
  ).action(async (raw) => {
    const options = toServeOptions(raw);
    const { SqliteStore } = await import('../store/sqlite/sqlite-store.js');
    SqliteStore.migrate(options.db);
    await runLearnerProcess(options);
  });
}
