/** What a subscription follows: a model's metrics or its versions. */
export type TopicKind = 'metrics' | 'versions';

/**
 * What a subscription resolver returns under the fan-out (`context.fanout`): not a stream of its
 * own but the name of what to follow, once access and the model have been checked. It is an
 * (empty) async iterable only because graphql-js's `createSourceEventStream` insists on one; the
 * Broadcaster recognises it and serves every subscriber of the topic from one execution.
 */
export class FanoutTopic implements AsyncIterable<never> {
  constructor(
    readonly kind: TopicKind,
    readonly model: string,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<never> {
    return { next: () => Promise.resolve({ value: undefined, done: true }) };
  }
}
