import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import { RateLimiter } from './rate-limiter.js';

function refusal(f: () => void): DomainError | undefined {
  try {
    f();
    return undefined;
  } catch (error) {
    return error as DomainError;
  }
}

describe('RateLimiter', () => {
  it('lets a client burst one second of calls, then refuses with RATE_LIMITED and the time to the next token', () => {
    let now = 0;
    const limiter = new RateLimiter({ predict: 4, learn: 0 }, () => now);
    for (let i = 0; i < 4; i++) limiter.take('predict', 'key a');
    const error = refusal(() => limiter.take('predict', 'key a'));
    expect(error).toBeInstanceOf(DomainError);
    expect(error?.code).toBe('RATE_LIMITED');
    expect(error?.details).toEqual({ retryAfterMs: 250 });
    now = 100;
    expect(refusal(() => limiter.take('predict', 'key a'))?.details).toEqual({ retryAfterMs: 150 });
    now = 250;
    expect(refusal(() => limiter.take('predict', 'key a'))).toBeUndefined();
  });

  it('keeps a budget per client and per action; 0 means no limit', () => {
    const now = 0;
    const limiter = new RateLimiter({ predict: 1, learn: 0 }, () => now);
    limiter.take('predict', 'key a');
    expect(refusal(() => limiter.take('predict', 'key a'))?.code).toBe('RATE_LIMITED');
    expect(refusal(() => limiter.take('predict', 'key b'))).toBeUndefined();
    for (let i = 0; i < 1000; i++) limiter.take('learn', 'key a');
  });

  it('never holds more than one second of tokens, however long a client was idle', () => {
    let now = 0;
    const limiter = new RateLimiter({ predict: 2, learn: 0 }, () => now);
    limiter.take('predict', 'c');
    now = 60_000;
    limiter.take('predict', 'c');
    limiter.take('predict', 'c');
    expect(refusal(() => limiter.take('predict', 'c'))?.code).toBe('RATE_LIMITED');
  });
});
