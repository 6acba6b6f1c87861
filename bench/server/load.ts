import autocannon, { type RequestSpec, type Result } from 'autocannon';

/** What every benchmark request sends: a GraphQL POST with a JSON answer. */
const HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

/**
 * Runs autocannon for `seconds` over `requests` (POSTs, cycled per connection); counts responses
 * carrying GraphQL errors as failed. `onStart` is told when the load begins.
 */
export async function load(url: string, connections: number, requests: RequestSpec[], seconds: number, onBody?: (body: string) => void, onStart?: () => void) {
  let graphqlErrors = 0;
  const specs = requests.map((r) => ({
    method: 'POST',
    headers: HEADERS,
    ...r,
    onResponse: (_status: number, body: string) => {
      if (body.includes('"errors"')) graphqlErrors++;
      onBody?.(body);
    },
  }));
  // autocannon's histograms keep whole milliseconds; its per-response times are finer.
  const times: number[] = [];
  // The load runs from autocannon's 'start' to its callback. Its own `duration` also counts the
  // time it takes beforehand to build every connection's requests (connections × request bodies:
  // 0.7 s for 256 connections cycling 200 bodies), during which nothing is sent; counted, it would
  // lower the rate of a target cycling many bodies (eddy) against one sent a single body (bare).
  let started = 0;
  let stopped = 0;
  const result = await new Promise<Result>((resolve, reject) => {
    const tracker = autocannon({ url, connections, duration: seconds, requests: specs, timeout: 30 }, (error, r) => {
      stopped = performance.now();
      if (error) reject(error);
      else resolve(r);
    });
    tracker.on('start', () => {
      started = performance.now();
      onStart?.();
    });
    tracker.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status < 300) times.push(ms);
    });
  });
  times.sort((a, b) => a - b);
  const ok = result['2xx'] - graphqlErrors;
  const loaded = (stopped - started) / 1000;
  return {
    ok,
    seconds: loaded,
    rate: ok / loaded,
    p50: quantile(times, 0.5),
    p99: quantile(times, 0.99),
    times,
    failed: result.non2xx + result.errors + result.timeouts + graphqlErrors,
  };
}

export type Load = Awaited<ReturnType<typeof load>>;

/** Several runs of `load` as one: requests over seconds, and the quantiles of all their times. */
export function combine(runs: ReadonlyArray<Load>) {
  const ok = runs.reduce((n, r) => n + r.ok, 0);
  const seconds = runs.reduce((n, r) => n + r.seconds, 0);
  const times = runs.flatMap((r) => r.times).sort((a, b) => a - b);
  return { ok, rate: ok / seconds, p50: quantile(times, 0.5), p99: quantile(times, 0.99), failed: runs.reduce((n, r) => n + r.failed, 0) };
}

/** The q-quantile of ascending values, by nearest rank; NaN for none. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}
