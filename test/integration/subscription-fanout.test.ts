import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { eventually, RunningServer } from '../support/server.js';
import { subscribeSse, subscribeWs } from '../support/subscribe.js';

/** A subscription's raw `data` texts (SSE) or `payload` texts (graphql-ws), as the wire carried them. */
interface Raw {
  texts: string[];
  events: string[];
  close(): void;
}

async function rawSse(url: string, query: string, method: 'GET' | 'POST'): Promise<Raw> {
  const controller = new AbortController();
  const response =
    method === 'GET'
      ? await fetch(`${url}?query=${encodeURIComponent(query)}`, { headers: { accept: 'text/event-stream' }, signal: controller.signal })
      : await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
          body: JSON.stringify({ query }),
          signal: controller.signal,
        });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  const raw: Raw = { texts: [], events: [], close: () => controller.abort() };
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          raw.events.push(event);
          if (event.startsWith('event: next\ndata: ')) raw.texts.push(event.slice('event: next\ndata: '.length));
        }
      }
    } catch {
      // aborted
    }
  })();
  return raw;
}

async function rawWs(url: string, query: string): Promise<Raw> {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const raw: Raw = { texts: [], events: [], close: () => socket.close() };
  await new Promise<void>((resolve, reject) => {
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('error', reject);
    socket.on('message', (data: Buffer) => {
      const text = data.toString();
      raw.events.push(text);
      if (text === '{"type":"connection_ack"}') {
        socket.send(JSON.stringify({ id: 'sub-1', type: 'subscribe', payload: { query } }));
        resolve();
      }
      const prefix = '{"id":"sub-1","type":"next","payload":';
      if (text.startsWith(prefix)) raw.texts.push(text.slice(prefix.length, -1));
    });
  });
  return raw;
}

const METRICS = 'subscription { metrics(model: "fan") { samplesLearned lastEventId metrics { name value text } } }';
const VERSIONS = 'subscription { versions(model: "fan") { number reason } }';
const learn = (i: number) => `mutation { learn(model: "fan", features: { x: ${i % 7} }, label: ${i % 2 === 0}) { eventId } }`;
const seen = (raw: Raw) => raw.texts.map((t) => (JSON.parse(t) as { data: { metrics: { samplesLearned: number } } }).data.metrics.samplesLearned);

describe('subscription fan-out', () => {
  let server: RunningServer;

  beforeAll(async () => {
    // A long interval makes the coalescing visible without timing anything.
    server = await RunningServer.start({ workers: 2, args: ['--subscription-interval', '1000', '--checkpoint-interval', '60000'] });
    await server.data('mutation { createModel(name: "fan", spec: { type: "GaussianNB" }, metrics: ["Accuracy"]) { name } }');
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('sends every subscriber of a document the same bytes, SSE (POST and GET) and WebSocket, coalesced per model', async () => {
    const subs: Raw[] = [];
    for (let i = 0; i < 4; i++) {
      subs.push(await rawSse(server.url, METRICS, 'POST'), await rawSse(server.url, METRICS, 'GET'), await rawWs(server.url, METRICS));
    }
    try {
      const total = 20;
      const started = Date.now();
      for (let i = 0; i < total; i++) await server.data(learn(i));
      const elapsedMs = Date.now() - started;
      for (const sub of subs) await eventually(async () => (seen(sub).at(-1) === total ? true : undefined), 10_000, 'the last label');
      // At most one update per second per model, the newest last; every subscriber the same texts.
      for (const sub of subs) {
        expect(sub.texts.length).toBeLessThanOrEqual(Math.ceil(elapsedMs / 1000) + 2);
        expect(sub.texts).toEqual(subs[0].texts);
      }
      expect(subs[0].events[0]).toBe(':');
    } finally {
      for (const sub of subs) sub.close();
    }
  });

  it('delivers every version in order, never coalesced', async () => {
    const sse = await rawSse(server.url, VERSIONS, 'POST');
    const ws = await rawWs(server.url, VERSIONS);
    try {
      const numbers: number[] = [];
      for (let i = 0; i < 4; i++) {
        await server.data(learn(i));
        numbers.push((await server.data('mutation { checkpoint(model: "fan") { number } }')).checkpoint.number);
      }
      for (const sub of [sse, ws]) {
        await eventually(async () => (sub.texts.length >= numbers.length ? true : undefined), 10_000, 'every version');
        expect(sub.texts.map((t) => JSON.parse(t).data.versions)).toEqual(numbers.map((number) => ({ number, reason: 'MANUAL' })));
      }
    } finally {
      sse.close();
      ws.close();
    }
  });

  it('ends open subscriptions with "complete" when eddy shuts down', async () => {
    const sse = await rawSse(server.url, METRICS, 'POST');
    const ws = await rawWs(server.url, METRICS);
    await server.data(learn(1));
    await eventually(async () => (sse.texts.length > 0 && ws.texts.length > 0 ? true : undefined), 10_000, 'an update');
    expect(await server.stop()).toBe(0);
    expect(sse.events.at(-1)).toBe('event: complete\ndata:');
    expect(ws.events.at(-1)).toBe('{"id":"sub-1","type":"complete"}');
  });
});

describe('--subscriptions yoga (the per-subscriber path, kept to compare)', () => {
  it('still delivers over SSE and WebSocket', async () => {
    const server = await RunningServer.start({ workers: 1, args: ['--subscriptions', 'yoga'] });
    try {
      await server.data('mutation { createModel(name: "fan", spec: { type: "GaussianNB" }) { name } }');
      const sse = await subscribeSse<{ metrics: { samplesLearned: number } }>(server.url, METRICS);
      const ws = await subscribeWs<{ metrics: { samplesLearned: number } }>(server.url, METRICS);
      await server.data(learn(1));
      for (const sub of [sse, ws]) {
        await eventually(async () => (sub.received.at(-1)?.metrics.samplesLearned === 1 ? true : undefined), 10_000, 'an update');
        sub.close();
      }
    } finally {
      await server.stop();
    }
  });
});
