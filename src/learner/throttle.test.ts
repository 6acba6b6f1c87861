import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Throttle } from './throttle.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Throttle', () => {
  it('flushes a request after a quiet interval at once, and the requests within an interval once, at its end', () => {
    let flushes = 0;
    const throttle = new Throttle(() => flushes++, 10);
    throttle.request();
    expect(flushes).toBe(1);
    throttle.request();
    throttle.request();
    vi.advanceTimersByTime(9);
    expect(flushes).toBe(1);
    vi.advanceTimersByTime(1);
    expect(flushes).toBe(2);
    vi.advanceTimersByTime(100);
    expect(flushes).toBe(2);
    throttle.request();
    expect(flushes).toBe(3);
  });

  it('flushes at once on now(), which also settles a pending request; cancel() drops it', () => {
    let flushes = 0;
    const throttle = new Throttle(() => flushes++, 10);
    throttle.request();
    throttle.request();
    throttle.now();
    expect(flushes).toBe(2);
    vi.advanceTimersByTime(100);
    expect(flushes).toBe(2);
    throttle.request();
    throttle.request();
    throttle.cancel();
    vi.advanceTimersByTime(100);
    expect(flushes).toBe(3);
  });
});
