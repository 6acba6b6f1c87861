import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** A live subscription's received payloads. */
export interface Subscription<T> {
  received: T[];
  close(): void;
}

/** Subscribes over graphql-yoga's SSE transport (POST, `accept: text/event-stream`). */
export async function subscribeSse<T>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<Subscription<T>> {
  const controller = new AbortController();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query, variables }),
    signal: controller.signal,
  });
  if (!response.ok || !response.body) throw new Error(`SSE subscribe failed: ${response.status}`);
  const received: T[] = [];
  const reader = response.body.getReader();
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
          const chunk = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          for (const line of chunk.split('\n')) {
            if (line.startsWith('data:')) {
              const payload = JSON.parse(line.slice(5)) as { data?: T };
              if (payload.data) received.push(payload.data);
            }
          }
        }
      }
    } catch {
      // aborted
    }
  })();
  return { received, close: () => controller.abort() };
}

/** Subscribes over WebSocket with graphql-ws. */
export async function subscribeWs<T>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<Subscription<T>> {
  const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, lazy: false });
  const received: T[] = [];
  await new Promise<void>((resolve, reject) => {
    const off = client.on('connected', () => {
      off();
      resolve();
    });
    client.on('error', reject);
  });
  const dispose = client.subscribe<T>(
    { query, variables },
    { next: (r) => r.data && received.push(r.data as T), error: () => undefined, complete: () => undefined },
  );
  return {
    received,
    close: () => {
      dispose();
      void client.dispose();
    },
  };
}
