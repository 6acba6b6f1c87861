import type { LearnInput } from '../../serving/eddy-service.js';
import type { EddyContext } from '../context.js';

export const Mutation = {
  createModel: async (
    _: unknown,
    a: { name: string; spec: unknown; metrics?: string[] | null },
    { service }: EddyContext,
  ) => {
    const record = await service.createModel(a.name, a.spec, a.metrics);
    return service.model(record.name);
  },
  learn: (_: unknown, a: LearnInput & { model: string; wait?: boolean | null }, { service }: EddyContext) =>
    service.learn(a.model, a, a.wait === true),
  learnMany: (_: unknown, a: { model: string; examples: LearnInput[]; wait?: boolean | null }, { service }: EddyContext) =>
    service.learnMany(a.model, a.examples, a.wait === true),
  checkpoint: (_: unknown, a: { model: string }, { service }: EddyContext) => service.checkpoint(a.model),
  rollback: (_: unknown, a: { model: string; version: number }, { service }: EddyContext) =>
    service.rollback(a.model, a.version),
  audit: (_: unknown, a: { model: string; version: number }, { service }: EddyContext) => service.audit(a.model, a.version),
};
