/**
 * A subscriber process of bench/subscribers (forked by run.ts): opens `sse` SSE and `ws`
 * graphql-ws subscriptions to one GraphQL document and records, for every update, how long after
 * the learner published it (`publishedAt` in the payload) it arrived here. Parsing is kept to the
 * minimum (the timestamp is read out of the text, not JSON.parse'd) so that thousands of
 * connections in one process measure the server rather than this client.
 *
 * Messages from run.ts: `{ type: 'open', url, query, variables, sse, ws }`, then `{ type: 'reset' }`
 * (start of the measured window) and `{ type: 'report' }`; it answers `opened` and `report`.
 */
import { request, Agent } from 'node:http';
import WebSocket from 'ws';
import { Histogram } from '../histogram.js';

interface Open {
  type: 'open';
  url: string;
  query: string;
  variables: Record<string, unknown>;
  sse: number;
  ws: number;
}
type FromRun = Open | { type: 'reset' } | { type: 'report' } | { type: 'close' };

const now = () => performance.timeOrigin + performance.now();
const MARK = '"publishedAt":';

let sseLatency = new Histogram();
let wsLatency = new Histogram();
/** Updates each subscriber received in the measured window. */
const received: number[] = [];
const errors: string[] = [];
let closedEarly = 0;
const closers: Array<() => void> = [];

function publishedAt(text: string): number | undefined {
  const at = text.indexOf(MARK);
  if (at < 0) return undefined;
  const start = at + MARK.length;
  let end = start;
  while (end < text.length && '0123456789.eE+-'.includes(text[end])) end++;
  return Number(text.slice(start, end));
}

function note(error: string): void {
  if (errors.length < 20) errors.push(error);
}

const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });

function openSse(o: Open, index: number): Promise<void> {
  return new Promise((resolve) => {
    const body = JSON.stringify({ query: o.query, variables: o.variables });
    const req = request(o.url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'content-length': Buffer.byteLength(body) },
    });
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        note(`SSE HTTP ${res.statusCode}`);
        res.resume();
        return resolve();
      }
      res.setEncoding('utf8');
      let buffer = '';
      let first = true;
      res.on('data', (chunk: string) => {
        if (first) {
          first = false;
          resolve();
        }
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!event.startsWith('event: next')) continue;
          const at = publishedAt(event);
          if (at === undefined) note(`SSE event without publishedAt: ${event.slice(0, 200)}`);
          else {
            sseLatency.record(now() - at);
            received[index]++;
          }
        }
      });
      res.on('end', () => closedEarly++);
    });
    req.on('error', (error) => {
      note(`SSE ${error.message}`);
      resolve();
    });
    req.end(body);
    closers.push(() => req.destroy());
  });
}

function openWs(o: Open, index: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = new WebSocket(o.url.replace(/^http/, 'ws'), 'graphql-transport-ws', { perMessageDeflate: false });
    socket.on('open', () => socket.send('{"type":"connection_init","payload":{}}'));
    socket.on('message', (data: Buffer) => {
      const text = data.toString();
      if (text.startsWith('{"type":"connection_ack"')) {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: o.query, variables: o.variables } }));
        resolve();
        return;
      }
      const at = publishedAt(text);
      if (at !== undefined) {
        wsLatency.record(now() - at);
        received[index]++;
      } else if (!text.includes('"type":"pong"')) note(`WS message without publishedAt: ${text.slice(0, 200)}`);
    });
    socket.on('error', (error) => {
      note(`WS ${error.message}`);
      resolve();
    });
    socket.on('close', () => closedEarly++);
    closers.push(() => socket.terminate());
  });
}

/** Opens connections `concurrency` at a time, so the server's accept queue is not flooded. */
async function openAll(o: Open, concurrency = 100): Promise<void> {
  const kinds: Array<'sse' | 'ws'> = [];
  for (let i = 0; i < Math.max(o.sse, o.ws); i++) {
    if (i < o.sse) kinds.push('sse');
    if (i < o.ws) kinds.push('ws');
  }
  let next = 0;
  const worker = async () => {
    while (next < kinds.length) {
      const index = next++;
      received[index] = 0;
      await (kinds[index] === 'sse' ? openSse(o, index) : openWs(o, index));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

process.on('message', (m: FromRun) => {
  if (m.type === 'open') {
    void openAll(m).then(() => process.send?.({ type: 'opened', errors }));
  } else if (m.type === 'reset') {
    sseLatency = new Histogram();
    wsLatency = new Histogram();
    received.fill(0);
    closedEarly = 0;
  } else if (m.type === 'report') {
    process.send?.({ type: 'report', sse: sseLatency.toJSON(), ws: wsLatency.toJSON(), received, errors, closedEarly });
  } else if (m.type === 'close') {
    for (const close of closers) close();
    setTimeout(() => process.exit(0), 100);
  }
});
