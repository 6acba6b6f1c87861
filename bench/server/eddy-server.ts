import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { freePort, MAIN, ROOT, sleep, tempDb } from '../../test/support/server.js';

/**
 * A real `eddy serve` for the benchmark, as `test/support/server.ts` starts one (temp SQLite file,
 * free port), but with extra node flags (`--cpu-prof …`), which cluster workers inherit.
 */
export class EddyServer {
  readonly url: string;
  output = '';
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly process: ChildProcess,
    readonly db: string,
    port: number,
  ) {
    this.url = `http://127.0.0.1:${port}/graphql`;
    process.stdout?.on('data', (d: Buffer) => this.keep(d));
    process.stderr?.on('data', (d: Buffer) => this.keep(d));
    this.exited = new Promise((resolve) => process.once('exit', (code) => resolve(code)));
  }

  static async start(options: { workers: number; args?: string[]; nodeArgs?: string[] }): Promise<EddyServer> {
    const port = await freePort();
    const db = tempDb();
    const child = spawn(
      process.execPath,
      [...(options.nodeArgs ?? []), MAIN, 'serve', '--port', String(port), '--db', db, '--workers', String(options.workers), ...(options.args ?? [])],
      { cwd: ROOT, env: { ...process.env, EDDY_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const server = new EddyServer(child, db, port);
    await server.waitUntilReady();
    return server;
  }

  /** Keeps the start of the log (for errors) without growing for the whole run. */
  private keep(d: Buffer): void {
    if (this.output.length < 200_000) this.output += d.toString();
  }

  private async waitUntilReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.process.exitCode !== null) throw new Error(`eddy exited early:\n${this.output}`);
      if (this.output.includes('learner started')) {
        try {
          if ((await this.gql('{ models { name } }')).data) return;
        } catch {
          // not listening yet
        }
      }
      await sleep(100);
    }
    throw new Error(`eddy did not become ready:\n${this.output}`);
  }

  async gql<T>(query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: unknown[] }> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: T; errors?: unknown[] };
  }

  /** The data, or a thrown error listing the GraphQL errors. */
  async data<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const r = await this.gql<T>(query, variables);
    if (r.errors || !r.data) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
    return r.data;
  }

  /** SIGTERM (eddy's ordered shutdown, which lets profiles be written), SIGKILL after 15 s; removes the temp database. */
  async stop(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      this.process.kill('SIGTERM');
      const timer = setTimeout(() => this.process.kill('SIGKILL'), 15_000);
      await this.exited;
      clearTimeout(timer);
    }
    rmSync(dirname(this.db), { recursive: true, force: true });
  }
}
