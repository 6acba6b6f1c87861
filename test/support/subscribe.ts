import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { sseEvents } from '../../src/cli/sse-events.js';

/** A live subscription's received payloads. */
export interface Subscription<T> {
  received: T[];
  /** Errors the server sent (SSE payloads with `errors`). */
  errors: Array<{ message: string; extensions?: { code?: string } }>;
  close(): void;
}

/** Subscribes over graphql-yoga's SSE transport (POST, `accept: text/event-stream`), sending `headers` too. */
export async function subscribeSse<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Subscription<T>> {
  const controller = new AbortController();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: controller.signal,
  });
  if (!response.ok || !response.body) throw new Error(`SSE subscribe failed: ${response.status}`);
  const received: T[] = [];
  const errors: Subscription<T>['errors'] = [];
  const body = response.body;
  void (async () => {
    try {
      for await (const event of sseEvents(body)) {
        if (event.data.trim() === '') continue;
        const payload = JSON.parse(event.data) as { data?: T; errors?: Subscription<T>['errors'] };
        if (payload.data) received.push(payload.data);
        if (payload.errors) errors.push(...payload.errors);
      }
    } catch {
      // aborted
    }
  })();
  return { received, errors, close: () => controller.abort() };
}

/** Subscribes over WebSocket with graphql-ws, sending `connectionParams` (e.g. `{ Authorization }`). */
export async function subscribeWs<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  connectionParams?: Record<string, unknown>,
): Promise<Subscription<T>> {
  const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, lazy: false, connectionParams });
  const received: T[] = [];
  const errors: Subscription<T>['errors'] = [];
  await new Promise<void>((resolve, reject) => {
    const off = client.on('connected', () => {
      off();
      resolve();
    });
    client.on('error', reject);
  });
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (r) => {
        if (r.data) received.push(r.data as T);
        if (r.errors) errors.push(...(r.errors as Subscription<T>['errors']));
      },
      error: (e) => Array.isArray(e) && errors.push(...(e as Subscription<T>['errors'])),
      complete: () => undefined,
    },
  );
  return {
    received,
    errors,
    close: () => {
      dispose();
      void client.dispose();
    },
  };
}
