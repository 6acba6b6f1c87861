import type { Features, Label } from '../../src/ml/base/types.js';
import { agrawalTake, type AgrawalOptions } from '../support/agrawal.js';
import { imageSegments, phishing, trumpApproval } from '../support/datasets.js';
import { makeClassification, makeRegression } from '../support/sklearn.js';
import { PythonRandom } from '../support/python-random.js';

/**
 * The data River's docstrings run on, in scope as `datasets` in every TSDoc `@example` of
 * `src/ml` (see examples.test.ts). Test support, not part of the library: River ships its datasets
 * and generators, eddy reads files and tests rebuild the generators bit for bit.
 */

type Sample<Y extends Label = Label> = [Features, Y];

export const datasets = {
  /** River's `datasets.Phishing()`: 1250 samples, 9 numeric features, `is_phishing` as a boolean. */
  phishing: phishing as () => Array<Sample>,
  /** River's `datasets.TrumpApproval()`: 1001 samples, 6 numeric features, a number to predict. */
  trumpApproval: trumpApproval as () => Array<Sample<number>>,
  /** River's `datasets.ImageSegments()`: 2310 samples, 18 numeric features, 7 string classes. */
  imageSegments: imageSegments as () => Array<Sample>,
  /** The first `n` samples of River 0.22's `datasets.synth.Agrawal(**options)`; labels 0 and 1. */
  agrawal: (n: number, options: AgrawalOptions) => agrawalTake(n, options) as unknown as Array<Sample<number>>,
  /** Python's `random.Random(seed)`: `random()`, `uniform(a, b)`, `choice(seq)`, `choices(seq, k)`. */
  pythonRandom: (seed: number) => new PythonRandom(seed),
  makeRegression,
  makeClassification,
};
