/**
 * A subscriber process of bench/subscribers (forked by run.ts; bench/soak uses it too): opens
 * `sse` SSE and `ws` graphql-ws subscriptions to one GraphQL document and records, for every
 * update, how long after the learner published it (`publishedAt` in the payload) it arrived here.
 * It speaks both protocols on bare TCP sockets and reads only what it needs — the HTTP status, the
 * WebSocket frames' headers (to answer pings), and the timestamp, found in the bytes with
 * `Buffer.indexOf` — so that thousands of connections on the same two cores measure the server
 * rather than this client. (The integration tests check the protocols with real clients.)
 *
 * Messages from run.ts: `{ type: 'open', url, query, variables, sse, ws }`, then `{ type: 'reset' }`
 * (start of the measured window) and `{ type: 'report' }`; it answers `opened` and `report`.
 */
import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import { Histogram } from '../histogram.js';

interface Open {
  type: 'open';
  url: string;
  query: string;
  variables: Record<string, unknown>;
  sse: number;
  ws: number;
  /** The fraction of subscribers that read as updates arrive and measure them; the others drain once a second. */
  sample?: number;
}
type FromRun = Open | { type: 'reset' } | { type: 'report' } | { type: 'close' };

const now = () => performance.timeOrigin + performance.now();
const MARK = Buffer.from('"publishedAt":');

/** Timestamps of the subscribers that do not measure (they read late on purpose). */
const unmeasured = new Histogram();
/**
 * Subscribers standing in for clients on other machines: each socket is read once a second, a
 * tenth of them every 100 ms, so that reading them does not come in bursts that would delay the
 * measuring subscribers in this process.
 */
const drained = new Set<Socket>();
let drainTurn = 0;
setInterval(() => {
  let i = 0;
  for (const socket of drained) if (i++ % 10 === drainTurn) socket.resume();
  drainTurn = (drainTurn + 1) % 10;
}, 100).unref();
let sseLatency = new Histogram();
let wsLatency = new Histogram();
/** Updates each subscriber received in the measured window. */
const received: number[] = [];
const errors: string[] = [];
let closedEarly = 0;
const sockets: Socket[] = [];

function note(error: string): void {
  if (errors.length < 20) errors.push(error);
}

/**
 * Records every complete timestamp in `bytes`; returns how many, and where the bytes a later read
 * must complete begin (a timestamp, or a marker, cut at the end of this read).
 */
function stamps(bytes: Buffer, into: Histogram): { n: number; keepFrom: number } {
  let n = 0;
  let done = 0;
  for (let at = bytes.indexOf(MARK); at >= 0; at = bytes.indexOf(MARK, done)) {
    let end = at + MARK.length;
    while (end < bytes.length && ((bytes[end] >= 0x30 && bytes[end] <= 0x39) || bytes[end] === 0x2e)) end++;
    if (end === bytes.length) return { n, keepFrom: at };
    into.record(now() - Number(bytes.toString('latin1', at + MARK.length, end)));
    n++;
    done = end;
  }
  return { n, keepFrom: Math.max(done, bytes.length - (MARK.length - 1)) };
}

/** How long a subscription may take to be acknowledged before it counts as failed. */
const OPEN_TIMEOUT_MS = 30_000;
let opened = 0;

/**
 * Settles `resolve` once: when the subscription is acknowledged (`ok`), or fails, is closed or
 * times out first (noted as an error).
 */
function settle(socket: Socket, kind: string, resolve: () => void): (ok: boolean, why?: string) => void {
  let settled = false;
  const timer = setTimeout(() => done(false, `no answer in ${OPEN_TIMEOUT_MS / 1000} s`), OPEN_TIMEOUT_MS);
  const done = (ok: boolean, why?: string) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    if (ok) opened++;
    else {
      note(`${kind} ${why ?? 'failed'}`);
      socket.destroy();
    }
    resolve();
  };
  socket.once('close', () => done(false, 'closed before it was acknowledged'));
  return done;
}

/**
 * A TCP connection. One that does not measure holds at most one read in its stream (a 1-byte
 * high-water mark), so while it is paused libuv stops reading and updates wait in the kernel, to
 * be taken in one read when it is resumed once a second.
 */
function open(port: number, host: string, measure: boolean): Socket {
  // Duplex options reach the stream; @types/node's SocketConstructorOpts does not list them.
  const socket = new Socket((measure ? {} : { readableHighWaterMark: 1 }) as ConstructorParameters<typeof Socket>[0]);
  return socket.connect(port, host);
}

function endpoint(url: string): { host: string; port: number; path: string } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port), path: u.pathname };
}

/** An SSE subscription: a POST with `accept: text/event-stream`, then events counted as they stream in. */
function openSse(o: Open, index: number, measure: boolean): Promise<void> {
  const { host, port, path } = endpoint(o.url);
  const body = JSON.stringify({ query: o.query, variables: o.variables });
  return new Promise((resolve) => {
    const socket = open(port, host, measure);
    sockets.push(socket);
    socket.setNoDelay(true);
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    const done = settle(socket, 'SSE', resolve);
    let head = true;
    let carry: Buffer | undefined;
    socket.on('data', (chunk: Buffer) => {
      const bytes = carry === undefined ? chunk : Buffer.concat([carry, chunk]);
      if (head) {
        head = false;
        const status = bytes.toString('latin1', 0, 12);
        done(status.startsWith('HTTP/1.1 200'), status);
      }
      const { n, keepFrom } = stamps(bytes, measure ? sseLatency : unmeasured);
      received[index] += n;
      carry = keepFrom < bytes.length ? Buffer.from(bytes.subarray(keepFrom)) : undefined;
      if (!measure && !head) {
        drained.add(socket);
        socket.pause();
      }
    });
    socket.on('error', (error) => done(false, error.message));
    socket.on('close', () => closedEarly++);
  });
}

/** A client-to-server WebSocket text frame (masked, as RFC 6455 requires of clients). */
function clientFrame(text: string, opcode = 0x1): Buffer {
  const payload = Buffer.from(text);
  const head = payload.length < 126 ? 2 : 4;
  const frame = Buffer.alloc(head + 4 + payload.length);
  frame[0] = 0x80 | opcode;
  if (head === 2) frame[1] = 0x80 | payload.length;
  else {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(payload.length, 2);
  }
  const mask = randomBytes(4);
  mask.copy(frame, head);
  for (let i = 0; i < payload.length; i++) frame[head + 4 + i] = payload[i] ^ mask[i & 3];
  return frame;
}

/** A graphql-ws subscription: the upgrade, connection_init, subscribe, then frames read by their headers. */
function openWs(o: Open, index: number, measure: boolean): Promise<void> {
  const { host, port, path } = endpoint(o.url);
  return new Promise((resolve) => {
    const socket = open(port, host, measure);
    sockets.push(socket);
    socket.setNoDelay(true);
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n`,
    );
    const done = settle(socket, 'WS', resolve);
    let upgraded = false;
    let acked = false;
    let buffer: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length > 0 ? Buffer.concat([buffer, chunk]) : chunk;
      if (!upgraded) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        if (!buffer.toString('latin1', 0, 12).startsWith('HTTP/1.1 101')) return done(false, buffer.toString('latin1', 0, 12));
        upgraded = true;
        buffer = buffer.subarray(end + 4);
        socket.write(clientFrame('{"type":"connection_init","payload":{}}'));
      }
      // Server frames are unmasked: a 2, 4 or 10 byte header, then the payload.
      let at = 0;
      while (buffer.length - at >= 2) {
        const opcode = buffer[at] & 0x0f;
        let length = buffer[at + 1] & 0x7f;
        let head = 2;
        if (length === 126) {
          if (buffer.length - at < 4) break;
          length = buffer.readUInt16BE(at + 2);
          head = 4;
        } else if (length === 127) {
          if (buffer.length - at < 10) break;
          length = buffer.readUInt32BE(at + 6);
          head = 10;
        }
        if (buffer.length - at < head + length) break;
        const payload = buffer.subarray(at + head, at + head + length);
        at += head + length;
        if (opcode === 0x9) socket.write(clientFrame(payload.toString('latin1'), 0xa));
        else if (opcode === 0x8) socket.end();
        else if (!acked) {
          if (payload.toString('latin1').startsWith('{"type":"connection_ack"')) {
            acked = true;
            socket.write(clientFrame(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: o.query, variables: o.variables } })));
            done(true);
          }
        } else if (stamps(payload, measure ? wsLatency : unmeasured).n > 0) received[index]++;
        else if (!payload.toString('latin1').includes('"type":"pong"')) note(`WS message without publishedAt: ${payload.toString().slice(0, 200)}`);
      }
      buffer = at === buffer.length ? Buffer.alloc(0) : buffer.subarray(at);
      if (!measure && acked) {
        drained.add(socket);
        socket.pause();
      }
    });
    socket.on('error', (error) => done(false, error.message));
    socket.on('close', () => closedEarly++);
  });
}

/** Opens connections `concurrency` at a time, so the server's accept queue is not flooded. */
async function openAll(o: Open, concurrency = 100): Promise<void> {
  const kinds: Array<'sse' | 'ws'> = [];
  for (let i = 0; i < Math.max(o.sse, o.ws); i++) {
    if (i < o.sse) kinds.push('sse');
    if (i < o.ws) kinds.push('ws');
  }
  // Measuring subscribers are spread evenly through the connection order (and so through each
  // server process's delivery order), so that their latencies stand for everyone's.
  const stride = Math.max(1, Math.round(1 / (o.sample ?? 1)));
  let next = 0;
  const worker = async () => {
    while (next < kinds.length) {
      const index = next++;
      received[index] = 0;
      const measure = Math.floor(index / 2) % stride === 0; // kinds alternate: sse, ws, sse, …
      await (kinds[index] === 'sse' ? openSse(o, index, measure) : openWs(o, index, measure));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

process.on('message', (m: FromRun) => {
  if (m.type === 'open') {
    void openAll(m).then(() => process.send?.({ type: 'opened', opened, errors }));
  } else if (m.type === 'reset') {
    sseLatency = new Histogram();
    wsLatency = new Histogram();
    received.fill(0);
    closedEarly = 0;
  } else if (m.type === 'report') {
    process.send?.({ type: 'report', sse: sseLatency.toJSON(), ws: wsLatency.toJSON(), received, errors, closedEarly });
  } else if (m.type === 'close') {
    for (const socket of sockets) socket.destroy();
    setTimeout(() => process.exit(0), 100);
  }
});
