/**
 * Interns feature names to small integer ids so that per-feature state lives in flat arrays
 * instead of hash maps. One vocabulary is shared by every step of a pipeline; ids are never
 * persisted (snapshots are keyed by name), so they may differ between processes.
 */
export class Vocabulary {
  private readonly ids = new Map<string, number>();
  readonly names: string[] = [];

  /** The id of `name`, adding it if it is new. */
  intern(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }

  /** The id of `name`, or -1 when it has never been interned. Never grows the vocabulary. */
  lookup(name: string): number {
    return this.ids.get(name) ?? -1;
  }

  get size(): number {
    return this.names.length;
  }
}
