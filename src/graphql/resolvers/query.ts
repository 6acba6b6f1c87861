import type { ServedModel } from '../../serving/model-registry.js';
import { authorize, mayUse } from '../authorize.js';
import type { EddyContext } from '../context.js';

export const Query = {
  models: async (_: unknown, __: unknown, context: EddyContext) => {
    authorize(context, 'models');
    const { service, principal } = context;
    const records = (await service.listModels()).filter((r) => mayUse(principal, r.name));
    const served = await Promise.all(records.map((r) => service.registry.get(r.name)));
    return served.filter((m): m is ServedModel => m !== undefined);
  },
  model: (_: unknown, { name }: { name: string }, context: EddyContext) => {
    authorize(context, 'model', name);
    return context.service.registry.get(name);
  },
  prediction: async (_: unknown, { id }: { id: string }, context: EddyContext) => {
    authorize(context, 'prediction');
    const prediction = await context.service.prediction(id);
    // Outside the key's scope, a prediction is as absent as one never served.
    return prediction !== undefined && mayUse(context.principal, prediction.model) ? prediction : null;
  },
  predict: (_: unknown, a: { model: string; features: unknown; version?: number | null }, context: EddyContext) => {
    authorize(context, 'predict', a.model);
    return context.service.predict(a.model, a.features, a.version);
  },
  predictMany: (_: unknown, a: { model: string; features: unknown[]; version?: number | null }, context: EddyContext) => {
    authorize(context, 'predictMany', a.model);
    return context.service.predictMany(a.model, a.features, a.version);
  },
};
