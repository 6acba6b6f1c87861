/**
 * Initial weight of a feature seen for the first time. Only River's default, `Zeros`, exists in
 * eddy: random initialisers would make replay depend on a seed stream.
 */
export class Zeros {
  readonly kind = 'Zeros';
  toSpec() {
    return { type: this.kind };
  }
}
