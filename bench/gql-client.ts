import { Agent, request } from 'node:http';

export interface GqlResult<T> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
  /** From sending the request to the end of the response. */
  ms: number;
}

/**
 * GraphQL over keep-alive node:http connections, for benchmark drivers that time every request
 * (fetch costs more per request and hides its connection pool).
 */
export class GqlClient {
  private readonly agent: Agent;

  constructor(
    private readonly url: string,
    connections = 8,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: connections });
  }

  post<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>> {
    const body = JSON.stringify({ query, variables });
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = request(this.url, {
        method: 'POST',
        agent: this.agent,
        headers: { 'content-type': 'application/json', accept: 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const ms = performance.now() - started;
          try {
            const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<GqlResult<T>, 'status' | 'ms'>;
            resolve({ status: res.statusCode ?? 0, ...parsed, ms });
          } catch (error) {
            reject(error);
          }
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** The data, or a thrown error naming the GraphQL errors. */
  async data<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const r = await this.post<T>(query, variables);
    if (r.errors !== undefined || r.data === undefined) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
    return r.data;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Calls `tick` `perSecond` times a second, evenly spaced, until stopped; ticks do not wait for each other. */
export function every(perSecond: number, tick: (n: number) => void): { stop: () => void } {
  const interval = 1000 / perSecond;
  const start = performance.now();
  let n = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const loop = () => {
    if (stopped) return;
    const due = Math.floor((performance.now() - start) / interval) + 1;
    // A late timer (a busy machine) catches up, but never with a burst of more than a second's worth.
    n = Math.max(n, due - perSecond);
    while (n < due) tick(n++);
    timer = setTimeout(loop, Math.max(0, start + n * interval - performance.now()));
  };
  loop();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
