import type { LearnerMessage, ModelProgress } from '../../learner/messages.js';
import type { EncodedEvent } from '../../store/encoded-event.js';
import type { AppendOutcome } from '../../store/types.js';

/** Messages between the primary and its processes over node:cluster IPC. */
export type ToPrimary =
  | { type: 'ready'; role: 'server' | 'learner' }
  | { type: 'holder'; holder: string }
  | { type: 'learner'; message: LearnerMessage }
  | { type: 'append'; id: number; batches: EncodedEvent[][]; urgent: boolean };

export type FromPrimary =
  | { type: 'nudge'; maxEventId: number }
  | { type: 'learner'; message: LearnerMessage }
  | { type: 'appended'; id: number; outcomes: AppendOutcome[][] }
  | { type: 'append-failed'; id: number; message: string; code?: string }
  | { type: 'shutdown' };

export function send(message: ToPrimary): void {
  process.send?.(message);
}

/** Keeps the newest progress of every model, so a (re)started server process can catch up. */
export class ProgressCache {
  private cursor = 0;
  private readonly models = new Map<number, ModelProgress>();

  update(message: LearnerMessage): void {
    if (message.type !== 'progress') return;
    this.cursor = Math.max(this.cursor, message.cursor);
    for (const m of message.models) this.models.set(m.modelId, m);
  }

  snapshot(): LearnerMessage {
    return { type: 'progress', cursor: this.cursor, models: [...this.models.values()] };
  }
}
