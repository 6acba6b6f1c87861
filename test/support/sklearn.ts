import type { Features, Label } from '../../src/ml/base/types.js';
import { RandomState } from './numpy-random.js';

/**
 * scikit-learn 1.2's dataset generators as River's PA docstrings call them, rebuilt bit for bit
 * from numpy's legacy global generator (test/support/numpy-random.ts). Test support only.
 */

export type Sample<Y extends Label = Label> = [Features, Y];

/** numpy's global RandomState after `np.random.seed(seed)`: legacy Gaussian (polar Box-Muller, one value cached) and shuffle. */
class LegacyNumpy {
  private cached: number | null = null;
  readonly rng: RandomState;

  constructor(seed: number) {
    this.rng = new RandomState(seed);
  }

  gauss(): number {
    if (this.cached !== null) {
      const g = this.cached;
      this.cached = null;
      return g;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.rng.rand() - 1;
      x2 = 2 * this.rng.rand() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.cached = f * x1;
    return f * x2;
  }

  /** `np.random.shuffle(np.arange(n))`. */
  permutation(n: number): number[] {
    const a = Array.from({ length: n }, (_, i) => i);
    for (let i = a.length - 1; i >= 1; i--) {
      const j = this.rng.randint(i + 1);
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  }
}

/** Rows of a numpy array as River's `stream.iter_array` gives them: keyed `0, 1, …` by column. */
const record = (row: number[]): Features => Object.fromEntries(row.map((v, j) => [String(j), v]));

/**
 * scikit-learn 1.2's `make_regression(n_samples, n_features)` (every other argument at its default)
 * after `np.random.seed(seed)`, as River's PARegressor docstring draws it.
 */
export function makeRegression(options: { seed: number; nSamples: number; nFeatures: number }): Array<Sample<number>> {
  const { seed, nSamples, nFeatures } = options;
  const np = new LegacyNumpy(seed);
  const X = Array.from({ length: nSamples }, () => Array.from({ length: nFeatures }, () => np.gauss()));
  const truth = Array.from({ length: Math.min(nFeatures, 10) }, () => 100 * np.rng.rand());
  const y = X.map((row) => row.reduce((s, v, j) => s + v * truth[j], 0));
  const rows = np.permutation(nSamples);
  const cols = np.permutation(nFeatures);
  return rows.map((r) => [record(cols.map((c) => X[r][c])), y[r]]);
}

/**
 * River's PAClassifier docstring data, and only that configuration: scikit-learn 1.2's
 * `make_classification(n_samples=5000, n_features=4, n_informative=2, n_redundant=0,
 * n_repeated=0, n_classes=2, n_clusters_per_class=2)` after `np.random.seed(seed)`, split by
 * `train_test_split(test_size=0.35, random_state=seed)` into 3250 training and 1750 test rows.
 * With 4 clusters on a 2-d hypercube the centroids need no draw.
 */
export function makeClassification(options: { seed: number }): { train: Array<Sample<boolean>>; test: Array<Sample<boolean>> } {
  const np = new LegacyNumpy(options.seed);
  const n = 5000;
  const centroids = [[-1, -1], [-1, 1], [1, -1], [1, 1]];
  const X = Array.from({ length: n }, () => [np.gauss(), np.gauss(), 0, 0]);
  const y = new Array<number>(n).fill(0);
  centroids.forEach((centroid, k) => {
    const A = [0, 1].map(() => [0, 1].map(() => 2 * np.rng.rand() - 1));
    for (let i = k * 1250; i < (k + 1) * 1250; i++) {
      y[i] = k % 2;
      const [a, b] = X[i];
      X[i][0] = a * A[0][0] + b * A[1][0] + centroid[0];
      X[i][1] = a * A[0][1] + b * A[1][1] + centroid[1];
    }
  });
  for (const row of X) [row[2], row[3]] = [np.gauss(), np.gauss()];
  const flip = X.map(() => np.rng.rand() < 0.01);
  flip.forEach((f, i) => {
    if (f) y[i] = np.rng.randint(2);
  });
  const rows = np.permutation(n);
  const cols = np.permutation(4);
  const data = rows.map((r): Sample<boolean> => [record(cols.map((c) => X[r][c])), y[r] === 1]);
  const split = new LegacyNumpy(options.seed).permutation(n);
  return { test: split.slice(0, 1750).map((i) => data[i]), train: split.slice(1750).map((i) => data[i]) };
}

