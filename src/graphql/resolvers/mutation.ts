import type { LearnInput } from '../../serving/eddy-service.js';
import { authorize } from '../authorize.js';
import type { EddyContext } from '../context.js';

export const Mutation = {
  createModel: async (_: unknown, a: { name: string; spec: unknown; metrics?: string[] | null }, context: EddyContext) => {
    authorize(context, 'createModel', a.name);
    const record = await context.service.createModel(a.name, a.spec, a.metrics);
    return context.service.model(record.name);
  },
  learn: (_: unknown, a: LearnInput & { model: string; wait?: boolean | null }, context: EddyContext) => {
    authorize(context, 'learn', a.model);
    return context.service.learn(a.model, a, a.wait === true);
  },
  learnMany: (_: unknown, a: { model: string; examples: LearnInput[]; wait?: boolean | null }, context: EddyContext) => {
    authorize(context, 'learnMany', a.model);
    return context.service.learnMany(a.model, a.examples, a.wait === true);
  },
  checkpoint: (_: unknown, a: { model: string; reason?: 'MANUAL' | 'IMPORT' | null }, context: EddyContext) => {
    authorize(context, 'checkpoint', a.model);
    return context.service.checkpoint(a.model, a.reason === 'IMPORT' ? 'import' : 'manual');
  },
  rollback: (_: unknown, a: { model: string; version: number }, context: EddyContext) => {
    authorize(context, 'rollback', a.model);
    return context.service.rollback(a.model, a.version);
  },
  audit: (_: unknown, a: { model: string; version: number }, context: EddyContext) => {
    authorize(context, 'audit', a.model);
    return context.service.audit(a.model, a.version);
  },
};
