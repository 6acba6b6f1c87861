import type { AppendOutcome } from './types.js';

/** The highest id the requests' appends were given (0 if none was appended): what the learner is told to read up to. */
export function maxAppendedId(outcomes: ReadonlyArray<readonly AppendOutcome[]>): number {
  let max = 0;
  for (const request of outcomes) for (const o of request) if (o.status === 'appended' && o.id > max) max = o.id;
  return max;
}
