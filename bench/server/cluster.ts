import cluster from 'node:cluster';
import type { Server } from 'node:http';

/**
 * Runs `serve()` in `workers` cluster processes on `port`, as `eddy serve` does; the primary
 * prints `ready` once every worker listens and stops them all on SIGTERM/SIGINT.
 */
export function runCluster(serve: () => Server): void {
  const port = Number(process.argv[2]);
  const workers = Number(process.argv[3] ?? 2);
  if (cluster.isPrimary) {
    let listening = 0;
    cluster.on('listening', () => {
      if (++listening === workers) console.log('ready');
    });
    let alive = workers;
    cluster.on('exit', (_worker, code, signal) => {
      if (!stopping) {
        console.error(`worker died (${signal ?? code})`);
        process.exit(1);
      }
      if (--alive === 0) process.exit(0);
    });
    let stopping = false;
    const stop = () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
      setTimeout(() => process.exit(0), 5000).unref();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    for (let i = 0; i < workers; i++) cluster.fork();
  } else {
    // Exit normally on SIGTERM, so that `--cpu-prof` gets to write its profile.
    process.on('SIGTERM', () => process.exit(0));
    serve().listen(port, '127.0.0.1');
  }
}
