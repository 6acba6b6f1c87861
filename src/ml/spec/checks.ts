import { z } from 'zod';

/** Number checks whose messages read well after a path: `steps[1].optimizer.lr must be > 0`. */
export const num = {
  positive: () => z.number({ error: 'must be a number' }).gt(0, { error: 'must be > 0' }),
  nonNegative: () => z.number({ error: 'must be a number' }).gte(0, { error: 'must be >= 0' }),
  any: () => z.number({ error: 'must be a number' }),
  probability: () =>
    z
      .number({ error: 'must be a number' })
      .gt(0, { error: 'must be > 0' })
      .lt(1, { error: 'must be < 1' }),
  positiveInt: () =>
    z.number({ error: 'must be a number' }).int({ error: 'must be an integer' }).gte(1, { error: 'must be >= 1' }),
  intAtLeast: (min: number) =>
    z.number({ error: 'must be a number' }).int({ error: 'must be an integer' }).gte(min, { error: `must be >= ${min}` }),
};
