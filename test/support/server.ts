import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The command line as users run it: compiled to dist/ (test/global-setup.ts builds it). */
export const MAIN = join(ROOT, 'dist/cli/main.js');

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const tempDirs: string[] = [];
// Temporary databases go when the test process does (a kept database is one path away: copy it).
process.once('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

export function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-test-'));
  tempDirs.push(dir);
  return join(dir, 'eddy.db');
}

/** Runs `eddy <args>` as `npm run eddy` does. */
export function eddy(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, ['--enable-source-maps', MAIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, EDDY_LOG_LEVEL: 'info', EDDY_EXIT_WITH_PARENT: String(process.pid), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string; [k: string]: unknown } }>;
}

/** A real `eddy serve` on a fresh port and (by default) a fresh SQLite file. */
export class RunningServer {
  readonly url: string;
  output = '';
  private exited: Promise<number | null>;

  private constructor(
    readonly process: ChildProcess,
    readonly port: number,
    readonly db: string,
    /** The API key `gql` and `data` send unless told otherwise. */
    readonly key?: string,
    host = '127.0.0.1',
  ) {
    this.url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/graphql`;
    process.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    process.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((resolve) => process.once('exit', (code) => resolve(code)));
  }

  static async start(
    options: { db?: string; workers?: number; args?: string[]; env?: NodeJS.ProcessEnv; key?: string; host?: string } = {},
  ) {
    const port = await freePort();
    const db = options.db ?? tempDb();
    const host = options.host === undefined ? [] : ['--host', options.host];
    const child = eddy(
      ['serve', '--port', String(port), '--db', db, '--workers', String(options.workers ?? 2), ...host, ...(options.args ?? [])],
      options.env,
    );
    const server = new RunningServer(child, port, db, options.key, options.host);
    await server.waitUntilReady();
    return server;
  }

  /** Ready once every server process answers and the learner has started. */
  private async waitUntilReady(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.process.exitCode !== null) throw new Error(`eddy exited early:\n${this.output}`);
      if (this.output.includes('learner started')) {
        try {
          const r = await this.gql('{ models { name } }');
          if (r.data) return;
        } catch {
          // not listening yet
        }
      }
      await sleep(100);
    }
    throw new Error(`eddy did not become ready:\n${this.output}`);
  }

  /** Sends `key` (default: the server's) as `Authorization: Bearer`; `key: null` sends none. */
  async gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    options: { key?: string | null } = {},
  ): Promise<GraphQLResponse<T>> {
    const key = options.key === undefined ? this.key : options.key;
    const response = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(key === undefined || key === null ? {} : { authorization: `Bearer ${key}` }),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLResponse<T>;
  }

  /** The data, or a thrown error listing the GraphQL errors. */
  async data<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, options: { key?: string | null } = {}): Promise<T> {
    const r = await this.gql<T>(query, variables, options);
    if (r.errors || !r.data) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
    return r.data;
  }

  /** PIDs of the processes by role, read from their log lines. */
  pids(role: 'learner' | 'server' | 'primary'): number[] {
    const pids = new Set<number>();
    for (const line of this.output.split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const entry = JSON.parse(line) as { role?: string; pid?: number };
        if (entry.role === role && entry.pid) pids.add(entry.pid);
      } catch {
        // not a log line
      }
    }
    return [...pids];
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.process.exitCode === null) this.process.kill(signal);
    return this.exited;
  }

  waitForExit(): Promise<number | null> {
    return this.exited;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
