/**
 * The best point so far, with NaN as the worst value: shared by the base class and the faces.
 * Values are kept in the minimised sign (f, or −f when maximising).
 */
export class Archive {
  /** best value so far (minimised sign); +Infinity before the first offer */
  f = Infinity;
  readonly x: Float64Array;

  constructor(d: number) {
    this.x = new Float64Array(d).fill(NaN);
  }

  /** Keeps row x when f is better than the best so far (NaN never is). Returns true when it was. */
  offer(x: ArrayLike<number>, f: number): boolean {
    if (!(f < this.f)) return false;
    this.f = f;
    this.x.set(x);
    return true;
  }
}
