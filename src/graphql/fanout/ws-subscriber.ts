import type { WebSocket } from 'ws';
import type { Principal } from '../../serving/authenticator.js';
import type { Payload, Subscriber } from './broadcaster.js';

/**
 * A graphql-ws subscription served by the Broadcaster. graphql-ws keeps running the protocol
 * (connection, ping, ids, `complete` either way): to it this is the operation's (silent) async
 * iterator, which ends when the Broadcaster ends the subscription and whose `return()` (the client
 * completed, the socket closed) leaves the topic. Updates bypass it: each is the shared payload
 * JSON with the message around it, `{"id":…,"type":"next","payload":<json>}`, as graphql-ws
 * would have serialised it, written straight to the socket.
 */
export class WsSubscriber implements Subscriber, AsyncIterableIterator<never> {
  private readonly prefix: string;
  private done = false;
  private wake: ((result: IteratorResult<never>) => void) | undefined;
  private leave: (() => void) | undefined;

  constructor(
    private readonly socket: WebSocket,
    id: string,
    readonly principal: Principal,
  ) {
    this.prefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
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
    this.socket.send(`${this.prefix}${payload.json}}`);
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
