import type { LearnerMessage } from '../learner/messages.js';

/**
 * How a server process talks to the learner: it nudges it when events are committed and hears
 * its announcements. Over node:cluster IPC on one machine; the same interface can sit on Redis or
 * PostgreSQL LISTEN/NOTIFY across hosts.
 */
export interface LearnerLink {
  /**
   * Tells the learner that events up to `maxEventId` are committed; `urgent`: someone waits for
   * them to be applied, otherwise the nudge may be late by a round. A link whose events go to a
   * writer that tells the learner itself (the supervisor's, under `eddy serve`) has none.
   */
  nudge?(maxEventId: number, urgent: boolean): void;
  onMessage(listener: (message: LearnerMessage) => void): void;
}

/** A link inside one process (tests, `eddy import`): messages are delivered synchronously. */
export class LocalLink implements LearnerLink {
  private readonly listeners: Array<(message: LearnerMessage) => void> = [];
  nudgeTarget: ((maxEventId: number) => void) | null = null;

  nudge(maxEventId: number): void {
    this.nudgeTarget?.(maxEventId);
  }

  onMessage(listener: (message: LearnerMessage) => void): void {
    this.listeners.push(listener);
  }

  publish(message: LearnerMessage): void {
    for (const l of this.listeners) l(message);
  }
}
