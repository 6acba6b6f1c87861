import type { ServedModel } from '../../serving/model-registry.js';
import type { EddyContext } from '../context.js';

export const Query = {
  models: async (_: unknown, __: unknown, { service }: EddyContext) => {
    const records = await service.listModels();
    const served = await Promise.all(records.map((r) => service.registry.get(r.name)));
    return served.filter((m): m is ServedModel => m !== undefined);
  },
  model: (_: unknown, { name }: { name: string }, { service }: EddyContext) => service.registry.get(name),
  prediction: (_: unknown, { id }: { id: string }, { service }: EddyContext) => service.prediction(id),
  predict: (_: unknown, a: { model: string; features: unknown; version?: number | null }, { service }: EddyContext) =>
    service.predict(a.model, a.features, a.version),
  predictMany: (_: unknown, a: { model: string; features: unknown[]; version?: number | null }, { service }: EddyContext) =>
    service.predictMany(a.model, a.features, a.version),
};
