import type { Task } from '../../ml/base/types.js';
import type { ServedModel } from '../../serving/model-registry.js';
import type { VersionSummary } from '../../store/types.js';
import type { EddyContext } from '../context.js';

const TASKS: Record<string, Task> = { BINARY: 'binary', MULTICLASS: 'multiclass', REGRESSION: 'regression' };
const REASONS = { CREATED: 'created', CHECKPOINT: 'checkpoint', MANUAL: 'manual', ROLLBACK: 'rollback', IMPORT: 'import' };

/** Field resolvers of Model and ModelVersion: the parent of a Model is the served model. */
export const modelTypes = {
  Task: TASKS,
  VersionReason: REASONS,
  Model: {
    name: (m: ServedModel) => m.record.name,
    spec: (m: ServedModel) => m.record.spec,
    task: (m: ServedModel) => m.record.task,
    createdAt: (m: ServedModel) => new Date(m.record.createdAt),
    version: (m: ServedModel, _: unknown, { service }: EddyContext) => service.registry.peek(m.record.name)?.version ?? m.version,
    samplesLearned: (m: ServedModel, _: unknown, { service }: EddyContext) => service.statusOf(m).samplesLearned,
    metrics: (m: ServedModel, _: unknown, { service }: EddyContext) => service.statusOf(m).metrics,
    lag: (m: ServedModel, _: unknown, { service }: EddyContext) => service.lag(m),
    versions: (m: ServedModel, args: { first: number; before?: number | null }, { service }: EddyContext) =>
      service.versions(m, args.first, args.before),
  },
  ModelVersion: {
    createdAt: (v: VersionSummary) => new Date(v.createdAt),
  },
};
