import type { ModelRecord, Store } from '../store/types.js';
import { applyLearn, createState, restoreState, serializeState, sha256, type ModelState } from './model-state.js';

export interface AuditResult {
  ok: boolean;
  version: number;
  expectedSha256: string;
  replayedSha256: string;
  eventsReplayed: number;
  detail: string | null;
}

/**
 * Proves a version by replay: start from its parent's state (a fresh model for the first
 * version), apply the model's events after the parent up to the version's last event, and compare
 * the hash of the result with the stored one. Also checks the stored bytes against their hash, so
 * a tampered row fails even if its hash was left alone. Returns undefined for a missing version.
 */
export async function auditVersion(store: Store, record: ModelRecord, number: number): Promise<AuditResult | undefined> {
  const version = await store.getVersion(record.id, number);
  if (version === undefined) return undefined;
  const storedOk = sha256(version.state) === version.sha256;

  let state: ModelState;
  let from: number;
  if (version.parent === null) {
    state = createState(record.spec, record.metrics);
    from = 0;
  } else {
    const parent = await store.getVersion(record.id, version.parent);
    if (parent === undefined || sha256(parent.state) !== parent.sha256) {
      return {
        ok: false,
        version: number,
        expectedSha256: version.sha256,
        replayedSha256: '',
        eventsReplayed: 0,
        detail: `parent version ${version.parent} is missing or does not match its own sha256`,
      };
    }
    state = restoreState(parent.state, record.metrics);
    from = parent.lastEventId;
  }

  const events = await store.readModelEvents(record.id, from, version.lastEventId);
  for (const event of events) {
    if (event.kind === 'learn') applyLearn(state, event);
    else if (event.kind === 'rollback') {
      const target = await store.getVersion(record.id, event.targetVersion);
      // As the learner does: a rollback to a missing or tampered version is ignored.
      if (target !== undefined && sha256(target.state) === target.sha256) state = restoreState(target.state, record.metrics);
    }
  }
  const replayed = serializeState(state).sha256;
  const ok = storedOk && replayed === version.sha256;
  let detail: string | null = null;
  if (!storedOk) detail = 'the stored state does not match its sha256: the row was changed outside eddy';
  else if (!ok) detail = 'replaying the events does not reproduce the stored state';
  return { ok, version: number, expectedSha256: version.sha256, replayedSha256: replayed, eventsReplayed: events.length, detail };
}
