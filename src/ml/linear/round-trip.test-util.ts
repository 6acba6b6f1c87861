import { canonicalJson } from '../base/canonical-json.js';
import type { Features, Label } from '../base/types.js';
import type { Pipeline } from '../compose/pipeline.js';

/**
 * Learns a stream straight through, and again with a stop at `at` where the state goes through
 * canonical JSON into a fresh clone; returns both final states and both runs' predictions.
 */
export function replayWithRestore(
  make: () => Pipeline,
  stream: ReadonlyArray<readonly [Features, Label]>,
  at: number,
): { straight: string; resumed: string; straightPredictions: unknown[]; resumedPredictions: unknown[] } {
  const run = (model: Pipeline, from: number, to: number, out: unknown[]) => {
    for (let i = from; i < to; i++) {
      const [x, y] = stream[i];
      out.push(model.isClassifier ? [...model.predictProbaOne(x)] : model.predictOne(x));
      model.learnOne(x, y);
    }
  };
  const straightPredictions: unknown[] = [];
  const straight = make();
  run(straight, 0, stream.length, straightPredictions);

  const resumedPredictions: unknown[] = [];
  const first = make();
  run(first, 0, at, resumedPredictions);
  const resumed = first.clone();
  resumed.setState(JSON.parse(canonicalJson(first.getState())));
  run(resumed, at, stream.length, resumedPredictions);
  return {
    straight: canonicalJson(straight.getState()),
    resumed: canonicalJson(resumed.getState()),
    straightPredictions,
    resumedPredictions,
  };
}
