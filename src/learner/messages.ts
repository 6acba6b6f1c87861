import type { MetricValue, VersionSummary } from '../store/types.js';

/** What the learner tells the server processes. */
export type LearnerMessage =
  | {
      type: 'progress';
      /** Every event with id <= cursor has been applied (or skipped as another model's). */
      cursor: number;
      models: ModelProgress[];
    }
  | { type: 'version'; model: string; version: VersionSummary }
  | { type: 'stopped'; reason: string };

export interface ModelProgress {
  modelId: number;
  model: string;
  samplesLearned: number;
  lastEventId: number;
  metrics: MetricValue[];
  /** When the learner published this progress, in ms since the Unix epoch (fractional): subscribers measure delivery from it. */
  publishedAt: number;
}
