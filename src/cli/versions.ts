import type { Command } from 'commander';
import { addConnectionOptions, connectionOf, integer } from './connection.js';
import { openEddy } from './eddy-access.js';
import { versionJson, versionTable } from './version-view.js';

interface VersionsOptions {
  model: string;
  first: number;
  before?: number;
  json?: boolean;
}

/**
 * `eddy versions`: a model's versions, newest first, from a running server or the database
 * file: number, parent, why it was written, the version a rollback copied, when, how many labels
 * it has learnt, the last event it covers, its sha256 and its metrics.
 */
export function registerVersions(program: Command): void {
  addConnectionOptions(
    program
      .command('versions')
      .description("list a model's versions, newest first (through a server with --url, or on the database file)")
      .requiredOption('--model <name>', 'the model')
      .option('--first <n>', 'how many versions to list', integer(1, 1000), 20)
      .option('--before <n>', 'list only versions numbered below N (the next page)', integer(1))
      .option('--json', 'print a JSON array instead of a table'),
  ).action(async (options: VersionsOptions, command: Command) => {
    const eddy = await openEddy(connectionOf(command), 'read');
    try {
      const versions = await eddy.versions(options.model, options.first, options.before);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(versions.map(versionJson), null, 2)}\n`);
        return;
      }
      process.stdout.write(versionTable(versions));
      const oldest = versions.at(-1)?.number;
      if (oldest !== undefined && oldest > 1) {
        process.stdout.write(`(${oldest - 1} older: --before ${oldest})\n`);
      }
    } finally {
      await eddy.close();
    }
  });
}
