import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { Principal } from '../../serving/authenticator.js';
import type { Payload, Subscriber } from './broadcaster.js';

/**
 * A graphql-ws subscription served by the Broadcaster. graphql-ws keeps running the protocol
 * (connection, ping, ids, `complete` either way): to it this is the operation's (silent) async
 * iterator, which ends when the Broadcaster ends the subscription and whose `return()` (the client
 * completed, the socket closed) leaves the topic. Updates bypass it: each is the shared payload
 * JSON with the message around it, `{"id":…,"type":"next","payload":<json>}`, as graphql-ws
 * would have serialised it. Without a WebSocket extension (eddy's server negotiates none) a frame
 * is a 2–10 byte header and the text, so the frame is assembled here around the payload's UTF-8
 * bytes (encoded once for all subscribers) and written to the TCP socket in one write, as ws
 * would write it; with an extension, or without access to the socket, `ws.send` does it.
 */
export class WsSubscriber implements Subscriber, AsyncIterableIterator<never> {
  private readonly prefix: string;
  private readonly prefixBytes: Buffer;
  /** The TCP socket under the WebSocket (ws's `_socket`), when frames may be written to it directly. */
  private readonly tcp: Socket | undefined;
  private done = false;
  private wake: ((result: IteratorResult<never>) => void) | undefined;
  private leave: (() => void) | undefined;

  constructor(
    private readonly socket: WebSocket,
    id: string,
    readonly principal: Principal,
  ) {
    this.prefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
    this.prefixBytes = Buffer.from(this.prefix);
    const tcp = (socket as unknown as { _socket?: Socket })._socket;
    this.tcp = socket.extensions === '' && tcp !== undefined && typeof tcp.write === 'function' ? tcp : undefined;
  }

  /** What to call when graphql-ws ends the operation (set once joined). */
  onLeave(leave: () => void): void {
    if (this.done) leave();
    else this.leave = leave;
  }

  buffered(): number {
    return this.socket.bufferedAmount;
  }

  send(payload: Payload): void {
    if (this.done || this.socket.readyState !== this.socket.OPEN) return;
    if (this.tcp === undefined) {
      this.socket.send(`${this.prefix}${payload.json}}`);
      return;
    }
    this.tcp.write(textFrame(this.prefixBytes, payload.utf8));
  }

  end(last?: Payload): void {
    if (last !== undefined) this.send(last);
    this.finish();
  }

  next(): Promise<IteratorResult<never>> {
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  return(): Promise<IteratorResult<never>> {
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<never> {
    return this;
  }

  /** Ends the iterator graphql-ws is waiting on (it then sends `complete`) and leaves the topic. */
  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.wake?.({ value: undefined, done: true });
    this.wake = undefined;
    this.leave?.();
  }
}

/** A final, unmasked text frame (RFC 6455 §5.2, server to client) of `prefix`, `body` and `}`. */
function textFrame(prefix: Buffer, body: Buffer): Buffer {
  const length = prefix.length + body.length + 1;
  const head = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(head + length);
  frame[0] = 0x81;
  if (head === 2) frame[1] = length;
  else if (head === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(0, 2);
    frame.writeUInt32BE(length, 6);
  }
  prefix.copy(frame, head);
  body.copy(frame, head + prefix.length);
  frame[head + length - 1] = 0x7d; // }
  return frame;
}
