import type { LearnerMessage } from '../../learner/messages.js';
import type { VersionSummary } from '../../store/types.js';
import { authorize, unlessEnded, whileAuthorized } from '../authorize.js';
import { Channel } from '../channel.js';
import type { EddyContext } from '../context.js';
import { FanoutTopic } from '../fanout/fanout-topic.js';

export interface MetricsUpdate {
  model: string;
  samplesLearned: number;
  lastEventId: number;
  metrics: Array<{ name: string; value: number; text: string }>;
  publishedAt: number;
}

/**
 * Subscriptions hear the learner through the service, whichever process the client reached.
 * Under the fan-out (the default, see fanout/broadcaster.ts) a subscribe only checks access and
 * the model and names its topic; with `--subscriptions yoga` each subscriber gets its own stream.
 */
export const Subscription = {
  metrics: {
    subscribe: async (_: unknown, { model }: { model: string }, context: EddyContext) => {
      authorize(context, 'metrics', model);
      const { service } = context;
      await service.model(model);
      if (context.fanout === true) return new FanoutTopic('metrics', model);
      const channel: Channel<MetricsUpdate> = new Channel(() => unsubscribe(), true);
      const unsubscribe = service.subscribe((m: LearnerMessage) => {
        if (m.type !== 'progress') return;
        for (const p of m.models) {
          if (p.model === model) {
            channel.push({ model, samplesLearned: p.samplesLearned, lastEventId: p.lastEventId, metrics: p.metrics, publishedAt: p.publishedAt });
          }
        }
      });
      return whileAuthorized(context, channel);
    },
    resolve: unlessEnded<MetricsUpdate>,
  },
  versions: {
    subscribe: async (_: unknown, { model }: { model: string }, context: EddyContext) => {
      authorize(context, 'versions', model);
      const { service } = context;
      await service.model(model);
      if (context.fanout === true) return new FanoutTopic('versions', model);
      const channel: Channel<VersionSummary> = new Channel(() => unsubscribe());
      const unsubscribe = service.subscribe((m: LearnerMessage) => {
        if (m.type === 'version' && m.model === model) channel.push(m.version);
      });
      return whileAuthorized(context, channel);
    },
    resolve: unlessEnded<VersionSummary>,
  },
};
