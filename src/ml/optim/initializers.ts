/**
 * Initial weight of a feature seen for the first time. Only River's default, `Zeros`, exists in
 * eddy: random initialisers would make replay depend on a seed stream.
 *
 * @example
 * // River's docstring calls the initializer for a weight (0.0); eddy's GLMs start every new
 * // feature's weight at 0, so Zeros only names that choice in a spec.
 * new optim.Zeros().toSpec(); // => { type: 'Zeros' } (ours)
 */
export class Zeros {
  readonly kind = 'Zeros';
  toSpec() {
    return { type: this.kind };
  }
}
