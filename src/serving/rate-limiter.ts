import { DomainError } from './errors.js';

/** The operations that are rate limited, each with its own budget. */
export type RateLimitedAction = 'predict' | 'learn';

export interface RateLimits {
  /** predict / predictMany calls per second per client; 0 for no limit. @default 0 */
  predict: number;
  /** learn / learnMany calls per second per client; 0 for no limit. @default 0 */
  learn: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets kept before idle (full) ones are swept, so random client addresses cannot grow it. */
const SWEEP_AT = 50_000;

/**
 * Token buckets per client (an API key, or a client address when eddy runs without keys) and
 * action: `rate` tokens a second, holding at most one second's worth (`max(1, rate)`), so a
 * client may burst a second of requests and then goes at the rate. One call of a limited field
 * takes one token (an aliased query asking twice takes two).
 *
 * Per process: with `--workers N`, a client spread over all N server processes can reach N times
 * the rate. A client on one connection (HTTP keep-alive, one WebSocket) stays on one process.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly rates: RateLimits,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes a token from `client`'s bucket for `action`, or throws RATE_LIMITED with `retryAfterMs`. */
  take(action: RateLimitedAction, client: string): void {
    const rate = this.rates[action];
    if (!(rate > 0)) return;
    const burst = Math.max(1, rate);
    const now = this.now();
    const id = `${action}\u0000${client}`;
    let bucket = this.buckets.get(id);
    if (bucket === undefined) {
      if (this.buckets.size >= SWEEP_AT) this.sweep(now);
      bucket = { tokens: burst, at: now };
      this.buckets.set(id, bucket);
    } else {
      bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * rate);
      bucket.at = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return;
    }
    const retryAfterMs = Math.ceil(((1 - bucket.tokens) / rate) * 1000);
    throw new DomainError('RATE_LIMITED', `more than ${rate} ${action} requests a second; retry in ${retryAfterMs} ms`, {
      retryAfterMs,
    });
  }

  /** Forgets buckets that have refilled: a fresh bucket is the same thing. */
  private sweep(now: number): void {
    for (const [id, bucket] of this.buckets) {
      const rate = this.rates[id.startsWith('predict') ? 'predict' : 'learn'];
      if (bucket.tokens + ((now - bucket.at) / 1000) * rate >= Math.max(1, rate)) this.buckets.delete(id);
    }
  }
}
