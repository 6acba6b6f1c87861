import cluster from 'node:cluster';
import type { Command } from 'commander';
import { addServeOptions, toServeOptions } from './serve-options.js';

// Each role loads only what it runs (the primary needs no GraphQL, the learner no HTTP): this
// keeps every other command, and every restart, quick to start.

/** `eddy serve`: the whole server (what `npm start` runs). */
export function registerServe(program: Command): void {
  addServeOptions(
    program.command('serve').description('serve GraphQL with one learner and N server processes on a SQLite database'),
  ).action(async (raw) => {
    const options = toServeOptions(raw);
    if (cluster.isPrimary) return (await import('./roles/primary.js')).runPrimary(options);
    if (process.env.EDDY_ROLE === 'learner') {
      const { runLearnerProcess } = await import('./roles/learner-process.js');
      return runLearnerProcess(options, process.env.EDDY_TAKEOVER || undefined);
    }
    return (await import('./roles/server-process.js')).runServerProcess(options);
  });

  addServeOptions(
    program.command('learner').description('run only a learner on the database (refused while another learner holds the lease)'),
  ).action(async (raw) => {
    const options = toServeOptions(raw);
    const { SqliteStore } = await import('../store/sqlite/sqlite-store.js');
    SqliteStore.migrate(options.db);
    const { runLearnerProcess } = await import('./roles/learner-process.js');
    await runLearnerProcess(options);
  });
}
