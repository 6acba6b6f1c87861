import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NudgeThrottle } from './nudge-throttle.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('NudgeThrottle', () => {
  it('sends the first nudge at once, then at most one per interval with the highest id so far', () => {
    const sent: number[] = [];
    const nudges = new NudgeThrottle((max) => sent.push(max), 10);
    nudges.committed(5, false);
    expect(sent).toEqual([5]);
    nudges.committed(7, false);
    nudges.committed(9, false);
    nudges.committed(8, false);
    expect(sent).toEqual([5]);
    vi.advanceTimersByTime(9);
    expect(sent).toEqual([5]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([5, 9]);
    // Quiet for longer than the interval: the next one goes at once again.
    vi.advanceTimersByTime(50);
    nudges.committed(12, false);
    expect(sent).toEqual([5, 9, 12]);
  });

  it('sends an urgent nudge at once, carrying what was held back, and holds nothing after it', () => {
    const sent: number[] = [];
    const nudges = new NudgeThrottle((max) => sent.push(max), 10);
    nudges.committed(1, false);
    nudges.committed(2, false);
    nudges.committed(3, true);
    expect(sent).toEqual([1, 3]);
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([1, 3]);
  });

  it('sends nothing after stop', () => {
    const sent: number[] = [];
    const nudges = new NudgeThrottle((max) => sent.push(max), 10);
    nudges.committed(1, false);
    nudges.committed(2, false);
    nudges.stop();
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([1]);
  });
});
