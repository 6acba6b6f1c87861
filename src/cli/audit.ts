import type { Command } from 'commander';
import type { AuditResult } from '../learner/audit.js';
import { CliError } from './cli-error.js';
import { addConnectionOptions, connectionOf, integer } from './connection.js';
import { openEddy } from './eddy-access.js';

interface AuditOptions {
  model: string;
  version?: number;
  all?: boolean;
}

/** `version 3  ok      sha256 …  (12 events replayed)`, or FAILED with both hashes and why. */
export function auditLine(r: AuditResult): string {
  const events = `(${r.eventsReplayed} event${r.eventsReplayed === 1 ? '' : 's'} replayed)`;
  if (r.ok) return `version ${r.version}  ok      sha256 ${r.expectedSha256}  ${events}${r.detail ? `: ${r.detail}` : ''}`;
  const replayed = r.replayedSha256 === '' ? 'not replayed' : `replayed ${r.replayedSha256}`;
  return `version ${r.version}  FAILED  expected ${r.expectedSha256}  ${replayed}  ${events}${r.detail ? `: ${r.detail}` : ''}`;
}

/**
 * `eddy audit`: proves versions by replay (the version's parent state plus the events in between
 * must hash to the stored sha256), the newest by default, one with `--version`, every one with
 * `--all`. Prints a line per version; exits 1 when any fails.
 */
export function registerAudit(program: Command): void {
  addConnectionOptions(
    program
      .command('audit')
      .description("replay a model's versions from their parents and check their sha256 (exit code 1 if any fails)")
      .requiredOption('--model <name>', 'the model')
      .option('--version <n>', 'the version to audit (default: the newest)', integer(1))
      .option('--all', 'audit every version, oldest first'),
  ).action(async (options: AuditOptions, command: Command) => {
    if (options.all && options.version !== undefined) throw new CliError('give --version or --all, not both');
    const eddy = await openEddy(connectionOf(command), 'read');
    try {
      let numbers: number[];
      if (options.version !== undefined) numbers = [options.version];
      else {
        const newest = await eddy.latestVersion(options.model);
        numbers = options.all ? Array.from({ length: newest }, (_, i) => i + 1) : [newest];
      }
      let failed = 0;
      for (const n of numbers) {
        const result = await eddy.audit(options.model, n);
        if (!result.ok) failed++;
        process.stdout.write(`${auditLine(result)}\n`);
      }
      if (failed > 0) {
        const of = numbers.length === 1 ? `version ${numbers[0]}` : `${failed} of ${numbers.length} versions`;
        throw new CliError(`${of} of ${options.model} FAILED the audit`, 1);
      }
    } finally {
      await eddy.close();
    }
  });
}
