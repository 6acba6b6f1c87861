#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error.js';
import { registerAudit } from './audit.js';
import { registerBackup } from './backup.js';
import { registerDemo } from './demo.js';
import { registerEvaluate } from './evaluate.js';
import { registerKeys } from './keys.js';
import { registerImport } from './import.js';
import { registerRollback } from './rollback.js';
import { registerServe } from './serve.js';
import { registerVersions } from './versions.js';

/**
 * The `eddy` command line: a thin dispatcher. Each command lives in its own file and registers
 * itself on the program (`registerX(program)`); this file only wires errors and exit codes so
 * every command reports failures the same way: one line on stderr, `eddy <command>: <message>`,
 * exit code 2 for usage and input errors, 1 for internal errors (stack with EDDY_DEBUG=1).
 */
const program = new Command('eddy')
  .description('An online-learning model server: River-style incremental models, versioned.')
  .exitOverride()
  .showSuggestionAfterError();

registerEvaluate(program);
registerKeys(program);
registerServe(program);
registerImport(program);
registerVersions(program);
registerRollback(program);
registerAudit(program);
registerDemo(program);
registerBackup(program);

/** The command being run, for error lines; set before each action runs. */
let current = 'eddy';
program.hook('preAction', (_program, action) => {
  const names: string[] = [];
  for (let c: Command | null = action; c !== null && c !== program; c = c.parent) names.unshift(c.name());
  current = ['eddy', ...names].join(' ');
});

function report(prefix: string, message: string): void {
  process.stderr.write(`${prefix}: ${message.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')}\n`);
}

/** Commander's own errors (unknown option, missing argument) come out as one line too. */
function configure(command: Command, prefix: string): void {
  command.exitOverride().configureOutput({ outputError: (text) => report(prefix, text) });
  for (const sub of command.commands) configure(sub, `${prefix} ${sub.name()}`);
}
configure(program, 'eddy');

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Already printed by outputError; help and version are not failures.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof CliError) {
    report(current, error.message);
    process.exitCode = error.exitCode;
  } else {
    const message = error instanceof Error ? error.message : String(error);
    report(current, `internal error: ${message}`);
    if (process.env.EDDY_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  }
}
