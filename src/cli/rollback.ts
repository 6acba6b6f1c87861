import type { Command } from 'commander';
import { addConnectionOptions, connectionOf, integer } from './connection.js';
import { openEddy } from './eddy-access.js';
import { versionLine } from './version-view.js';

/**
 * `eddy rollback`: appends a new version whose state is a copy of an older one. Through a server
 * (`--url`) this is the `rollback` mutation; on the database file it appends a rollback event and
 * runs the learner in this process until it has written the version (refused while a server's
 * learner holds the lease). History stays: the events since remain in the log for audit.
 */
export function registerRollback(program: Command): void {
  addConnectionOptions(
    program
      .command('rollback')
      .description("append a version that copies an older version's state (history is kept)")
      .requiredOption('--model <name>', 'the model')
      .requiredOption('--version <n>', 'the version to copy', integer(1)),
  ).action(async (options: { model: string; version: number }, command: Command) => {
    const eddy = await openEddy(connectionOf(command), 'write');
    try {
      const version = await eddy.rollback(options.model, options.version);
      process.stdout.write(`${versionLine(version)}\n`);
    } finally {
      await eddy.close();
    }
  });
}
