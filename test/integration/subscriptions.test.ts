import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, RunningServer, sleep } from '../support/server.js';
import { type Subscription, subscribeSse, subscribeWs } from '../support/subscribe.js';

let server: RunningServer;

beforeAll(async () => {
  server = await RunningServer.start({ workers: 2, args: ['--checkpoint-interval', '100'] });
  await server.data('mutation { createModel(name: "live", spec: { type: "GaussianNB" }, metrics: ["Accuracy"]) { name } }');
});

afterAll(async () => {
  await server?.stop();
});

const METRICS = 'subscription { metrics(model: "live") { model samplesLearned lastEventId metrics { name value text } } }';
const VERSIONS = 'subscription { versions(model: "live") { number reason sha256 } }';

interface MetricsPayload {
  metrics: { samplesLearned: number; metrics: Array<{ name: string; value: number }> };
}
interface VersionsPayload {
  versions: { number: number; reason: string; sha256: string };
}

describe('subscriptions', () => {
  it('deliver every update to every subscriber over SSE and WebSocket, whichever process each reached', async () => {
    // Several connections of each kind: node:cluster spreads them over both server processes.
    const subs: Array<Subscription<MetricsPayload>> = [];
    const versionSubs: Array<Subscription<VersionsPayload>> = [];
    for (let i = 0; i < 4; i++) {
      subs.push(await subscribeSse<MetricsPayload>(server.url, METRICS));
      subs.push(await subscribeWs<MetricsPayload>(server.url, METRICS));
    }
    versionSubs.push(await subscribeSse<VersionsPayload>(server.url, VERSIONS));
    versionSubs.push(await subscribeWs<VersionsPayload>(server.url, VERSIONS));
    await sleep(300);

    const total = 40;
    for (let i = 0; i < total; i++) {
      await server.data(
        'mutation($f: JSON!, $l: JSON!) { learn(model: "live", features: $f, label: $l) { eventId } }',
        { f: { x: i % 5, y: (i * 7) % 3 }, l: i % 3 === 0 ? 'a' : 'b' },
      );
    }
    for (const [i, sub] of subs.entries()) {
      await eventually(
        async () => (sub.received.at(-1)?.metrics.samplesLearned === total ? true : undefined),
        10_000,
        `subscriber ${i} to see all ${total} labels`,
      );
      expect(sub.received.at(-1)?.metrics.metrics[0].name).toBe('Accuracy');
      const counts = sub.received.map((r) => r.metrics.samplesLearned);
      expect([...counts].sort((a, b) => a - b)).toEqual(counts);
    }
    for (const sub of versionSubs) {
      await eventually(async () => (sub.received.length > 0 ? true : undefined), 10_000, 'a version');
      expect(sub.received[0].versions.reason).toBe('CHECKPOINT');
    }
    for (const sub of [...subs, ...versionSubs]) sub.close();
  });

  it('refuses a subscription to an unknown model with MODEL_NOT_FOUND', async () => {
    const controller = new AbortController();
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { metrics(model: "nope") { model } }' }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('MODEL_NOT_FOUND')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(text).toContain('MODEL_NOT_FOUND');
  });
});
