import type { Logger } from 'pino';
import { restoreState, sha256, type ModelState } from '../learner/model-state.js';
import type { ModelRecord, Store, VersionRecord } from '../store/types.js';

/** A model as a server process serves it: one version's state, read-only. */
export interface ServedModel {
  record: ModelRecord;
  version: number;
  state: ModelState;
}

const OLD_VERSIONS_CACHED = 16;

/**
 * The models a server process predicts from. Each is the newest good version held in memory and
 * replaced atomically (a new object swapped in) when the learner announces a newer one. A version
 * whose bytes do not match its sha256 is refused and the newest older good one served instead.
 */
export class ModelRegistry {
  private readonly current = new Map<string, ServedModel>();
  private readonly loading = new Map<string, Promise<ServedModel | undefined>>();
  private readonly old = new Map<string, ServedModel>();

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
  ) {}

  /** The newest served version of a model, loading it on first use. */
  async get(name: string): Promise<ServedModel | undefined> {
    const served = this.current.get(name);
    if (served !== undefined) return served;
    let pending = this.loading.get(name);
    if (pending === undefined) {
      pending = this.loadNewest(name).finally(() => this.loading.delete(name));
      this.loading.set(name, pending);
    }
    return pending;
  }

  /** Served from memory only, for the hot path. */
  peek(name: string): ServedModel | undefined {
    return this.current.get(name);
  }

  /** A specific version (for `predict(version:)`), from a small cache. */
  async getVersion(name: string, number: number): Promise<ServedModel | undefined> {
    const newest = await this.get(name);
    if (newest === undefined) return undefined;
    if (newest.version === number) return newest;
    const key = `${name}@${number}`;
    const cached = this.old.get(key);
    if (cached !== undefined) return cached;
    const version = await this.store.getVersion(newest.record.id, number);
    if (version === undefined || !this.verify(newest.record, version)) return undefined;
    const served = { record: newest.record, version: number, state: restoreState(version.state, newest.record.metrics) };
    if (this.old.size >= OLD_VERSIONS_CACHED) this.old.delete(this.old.keys().next().value as string);
    this.old.set(key, served);
    return served;
  }

  /** The learner wrote `number`: load it and swap it in, unless something newer is already served. */
  async onVersion(name: string, number: number): Promise<void> {
    const served = this.current.get(name);
    if (served === undefined || served.version >= number) return;
    const version = await this.store.getVersion(served.record.id, number);
    if (version === undefined || !this.verify(served.record, version)) return;
    const latest = this.current.get(name);
    if (latest !== undefined && latest.version >= number) return;
    this.current.set(name, { record: served.record, version: number, state: restoreState(version.state, served.record.metrics) });
  }

  /** Forgets nothing but makes the next `get` look at the database (a model created elsewhere). */
  private async loadNewest(name: string): Promise<ServedModel | undefined> {
    const record = await this.store.getModel(name);
    if (record === undefined) return undefined;
    let version = await this.store.latestVersion(record.id);
    while (version !== undefined && !this.verify(record, version)) {
      version = version.number > 1 ? await this.store.getVersion(record.id, version.number - 1) : undefined;
    }
    if (version === undefined) return undefined;
    const served = { record, version: version.number, state: restoreState(version.state, record.metrics) };
    const existing = this.current.get(name);
    if (existing !== undefined && existing.version >= served.version) return existing;
    this.current.set(name, served);
    return served;
  }

  private verify(record: ModelRecord, version: VersionRecord): boolean {
    if (sha256(version.state) === version.sha256) return true;
    this.log.error(
      { model: record.name, version: version.number },
      'version state does not match its sha256 (tampered or corrupt); refusing to load it',
    );
    return false;
  }
}
