import type { ModelRecord, Store, VersionRecord } from '../store/types.js';
import { applyLearn, createState, restoreState, serializeState, sha256, type ModelState } from './model-state.js';

export interface AuditResult {
  ok: boolean;
  version: number;
  expectedSha256: string;
  replayedSha256: string;
  eventsReplayed: number;
  /**
   * The version the replay started from: the parent, or, when the parent's stored state does not
   * match its sha256, the nearest ancestor whose does; null for a fresh model (the spec).
   */
  replayedFrom: number | null;
  detail: string | null;
}

/**
 * Proves a version by replay: start from its parent's state (a fresh model for the first
 * version), apply the model's events after the parent up to the version's last event, and compare
 * the hash of the result with the stored one. Also checks the stored bytes against their hash, so
 * a tampered row fails even if its hash was left alone. A damaged parent does not fail its
 * children: the replay starts from the nearest good ancestor instead (the learner, which skips
 * damaged versions the same way, wrote the child by applying the same events). Returns undefined
 * for a missing version.
 */
export async function auditVersion(store: Store, record: ModelRecord, number: number): Promise<AuditResult | undefined> {
  const version = await store.getVersion(record.id, number);
  if (version === undefined) return undefined;
  const storedOk = sha256(version.state) === version.sha256;

  const damaged: number[] = [];
  let start: VersionRecord | undefined;
  for (let parent = version.parent; parent !== null; ) {
    const candidate = await store.getVersion(record.id, parent);
    if (candidate === undefined) {
      return {
        ok: false,
        version: number,
        expectedSha256: version.sha256,
        replayedSha256: '',
        eventsReplayed: 0,
        replayedFrom: null,
        detail: `ancestor version ${parent} is missing`,
      };
    }
    if (sha256(candidate.state) === candidate.sha256) {
      start = candidate;
      break;
    }
    damaged.push(parent);
    parent = candidate.parent;
  }
  let state: ModelState = start === undefined ? createState(record.spec, record.metrics) : restoreState(start.state, record.metrics);
  const from = start?.lastEventId ?? 0;

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
  else if (damaged.length > 0) {
    const origin = start === undefined ? 'the spec' : `version ${start.number}`;
    const which = damaged.length === 1 ? `ancestor ${damaged[0]} does` : `ancestors ${damaged.join(', ')} do`;
    detail = `replayed from ${origin}: damaged ${which} not match the sha256 stored with it`;
  }
  return {
    ok,
    version: number,
    expectedSha256: version.sha256,
    replayedSha256: replayed,
    eventsReplayed: events.length,
    replayedFrom: start?.number ?? null,
    detail,
  };
}
