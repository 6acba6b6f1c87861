import { execFile } from 'node:child_process';
import { ROOT } from './server.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real command line (`node dist/cli/main.js …`, built by test/global-setup.ts) to completion. */
export function runEddy(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['dist/cli/main.js', ...args],
      { cwd: ROOT, env: { ...process.env, ...env } },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr }),
    );
  });
}

/** `eddy keys create` on `db`: the printed key. */
export async function createKey(db: string, role: string, models: string[] = [], note?: string): Promise<string> {
  const args = ['keys', 'create', '--db', db, '--role', role, ...models.flatMap((m) => ['--model', m])];
  const run = await runEddy(note === undefined ? args : [...args, '--note', note]);
  if (run.code !== 0) throw new Error(`eddy keys create failed (${run.code}): ${run.stderr}`);
  return run.stdout.trim();
}
