import { MSE } from './mse.js';

/**
 * Root mean squared error, `MSE ** 0.5`. Port of river/metrics/mse.py (`RMSE`). `Math.sqrt` is
 * correctly rounded, while River's `** 0.5` goes through glibc's `pow`, which is off by one ulp
 * on about 0.08% of inputs.
 *
 * @example
 * const metric = new metrics.RMSE();
 * const yTrue = [3, -0.5, 2, 7];
 * const yPred = [2.5, 0.0, 2, 8];
 * yTrue.forEach((y, i) => metric.update(y, yPred[i]));
 * metric.get(); // => 0.612372 (River's docstring)
 * String(metric); // => RMSE: 0.612372
 */
export class RMSE extends MSE {
  override readonly kind: string = 'RMSE';

  override get(): number {
    return Math.sqrt(super.get());
  }

  override clone(): RMSE {
    return new RMSE();
  }
}
