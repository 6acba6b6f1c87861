import type { Socket } from 'node:net';
import type { ServerResponse } from 'node:http';
import type { Principal } from '../../serving/authenticator.js';
import type { Payload, Subscriber } from './broadcaster.js';

const COMPLETE = 'event: complete\ndata:\n\n';

/**
 * An SSE response serving a subscription from the Broadcaster. Once its headers are out, a
 * chunked HTTP/1.1 response is just chunks on the socket, so each update is the payload's
 * ready-made chunk written straight to the socket: one write of shared bytes, no per-subscriber
 * encoding or framing (HTTP/1.0 responses, which are not chunked, go through `res.write`).
 */
export class SseSubscriber implements Subscriber {
  private readonly socket: Socket | null;

  constructor(
    private readonly res: ServerResponse,
    readonly principal: Principal,
  ) {
    this.socket = res.chunkedEncoding ? res.socket : null;
  }

  buffered(): number {
    return this.socket?.writableLength ?? this.res.writableLength;
  }

  send(payload: Payload): void {
    if (this.res.writableEnded || this.res.destroyed) return;
    if (this.socket !== null) this.socket.write(payload.sseChunk);
    else this.res.write(payload.sseFrame);
  }

  end(last?: Payload): void {
    if (this.res.writableEnded) return;
    if (last !== undefined) this.send(last);
    this.res.end(COMPLETE);
  }
}
