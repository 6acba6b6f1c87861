import WebSocket from 'ws';
import type { Attack } from './attacks.js';

interface GraphQLPayload {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message?: string; extensions?: { code?: unknown } }>;
}

export interface Outcome {
  /** The HTTP status; over WebSocket, 101. */
  status: number;
  /** Over WebSocket, how the server closed the socket, if it did. */
  close?: { code: number; reason: string };
  /** GraphQL responses in the body (one, or one per SSE `next` event); none for an empty body. */
  payloads: GraphQLPayload[];
  text: string;
}

/** Longest wait for one answer: a request still unanswered then is a finding of its own. */
const ANSWER_WITHIN_MS = 20_000;

function bodyOf(a: Attack): string | Blob {
  if (a.raw !== undefined) return typeof a.raw === 'string' ? a.raw : new Blob([Uint8Array.from(a.raw)]);
  const operationName = a.operationName === undefined ? '' : `,"operationName":${JSON.stringify(a.operationName) ?? 'null'}`;
  const variables = a.variablesJson ?? (a.variables === undefined ? undefined : JSON.stringify(a.variables));
  return `{"query":${JSON.stringify(a.query)}${variables === undefined ? '' : `,"variables":${variables}`}${operationName}}`;
}

function params(a: Attack): URLSearchParams {
  const p = new URLSearchParams({ query: a.query });
  const variables = a.variablesJson ?? (a.variables === undefined ? undefined : JSON.stringify(a.variables));
  if (variables !== undefined) p.set('variables', variables);
  if (a.operationName !== undefined) p.set('operationName', typeof a.operationName === 'string' ? a.operationName : JSON.stringify(a.operationName));
  return p;
}

function request(url: string, a: Attack): [string, RequestInit] {
  const signal = AbortSignal.timeout(ANSWER_WITHIN_MS);
  const json = { 'content-type': 'application/json' };
  switch (a.transport) {
    case 'post-json':
      return [url, { method: 'POST', headers: { ...json, accept: 'application/json' }, body: bodyOf(a), signal }];
    case 'post-graphql-response':
      return [url, { method: 'POST', headers: { ...json, accept: 'application/graphql-response+json' }, body: bodyOf(a), signal }];
    case 'post-sse':
      return [url, { method: 'POST', headers: { ...json, accept: 'text/event-stream' }, body: bodyOf(a), signal }];
    case 'post-graphql':
      return [url, { method: 'POST', headers: { 'content-type': 'application/graphql' }, body: a.query, signal }];
    case 'post-form':
      return [url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: params(a).toString(), signal }];
    case 'get':
    case 'ws':
      return [`${url}?${params(a).toString()}`, { method: 'GET', signal }];
  }
}

/** How long a WebSocket operation may stay silent: a live subscription says nothing until an update. */
const WS_SILENCE_MS = 1500;

/**
 * graphql-ws: connection_init, one subscribe, then the first `next`, `error` or `complete` (or
 * the server closing the socket, or silence: a live subscription).
 */
function overWebSocket(url: string, a: Attack): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const payloads: GraphQLPayload[] = [];
    let text = '';
    const done = (close?: { code: number; reason: string }) => {
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.close();
      resolve({ status: 101, payloads, text, close });
    };
    let timer = setTimeout(() => reject(new Error(`no answer within ${ANSWER_WITHIN_MS} ms`)), ANSWER_WITHIN_MS);
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
    ws.on('close', (code, reason) => done({ code, reason: reason.toString() }));
    ws.on('message', (data) => {
      text = data.toString();
      const message = JSON.parse(text) as { type: string; payload?: unknown };
      if (message.type === 'connection_ack') {
        const variables = a.variablesJson ?? JSON.stringify(a.variables) ?? 'null';
        const operationName = JSON.stringify(a.operationName) ?? 'null';
        ws.send(`{"id":"1","type":"subscribe","payload":{"query":${JSON.stringify(a.query)},"variables":${variables},"operationName":${operationName}}}`);
        if (/\bsubscription\b/.test(a.query)) {
          clearTimeout(timer);
          timer = setTimeout(() => done(), WS_SILENCE_MS);
        }
      } else if (message.type === 'next') {
        payloads.push(message.payload as GraphQLPayload);
        done();
      } else if (message.type === 'error') {
        payloads.push({ errors: message.payload as GraphQLPayload['errors'] });
        done();
      } else if (message.type === 'complete') done();
    });
  });
}

/** Sends an attack over its transport and reads the whole answer. */
export async function send(url: string, a: Attack): Promise<Outcome> {
  if (a.transport === 'ws') return overWebSocket(url, a);
  const response = await fetch(...request(url, a));
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  const payloads: GraphQLPayload[] = [];
  if (type.startsWith('text/event-stream')) {
    for (const event of text.split('\n\n')) {
      if (!/^event: next$/m.test(event)) continue;
      const data = event.split('\n').find((line) => line.startsWith('data:'));
      if (data !== undefined) payloads.push(JSON.parse(data.slice(5)) as GraphQLPayload);
    }
  } else if (text.length > 0) {
    payloads.push(JSON.parse(text) as GraphQLPayload);
  }
  return { status: response.status, payloads, text };
}

/** Everything wrong with an answer; empty when it is as it must be. */
export function violations(a: Attack, o: Outcome): string[] {
  const found: string[] = [];
  if (o.status >= 500) found.push(`HTTP ${o.status}`);
  // 4500 is graphql-ws's internal error; 1011 the WebSocket one. 4400 (a malformed message) is a refusal.
  if (o.close !== undefined && (o.close.code === 4500 || o.close.code === 1011)) found.push(`WebSocket closed ${o.close.code}: ${o.close.reason}`);
  const errors = o.payloads.flatMap((p) => p.errors ?? []);
  for (const e of errors) {
    const code = e.extensions?.code;
    if (typeof code !== 'string') found.push(`an error without a code: ${JSON.stringify(e).slice(0, 300)}`);
    else if (code === 'INTERNAL_SERVER_ERROR') found.push(`INTERNAL_SERVER_ERROR: ${e.message}`);
  }
  if (o.payloads.length === 0 && o.status < 400 && a.transport !== 'ws') found.push(`HTTP ${o.status} with no GraphQL response`);
  if (a.mustReject) {
    const answered = o.payloads.flatMap((p) => Object.entries(p.data ?? {}).filter(([, v]) => v !== null));
    if (answered.length > 0) found.push(`a write that must be refused was answered: ${JSON.stringify(Object.fromEntries(answered)).slice(0, 300)}`);
    else if (errors.length === 0 && o.status < 400) found.push('a write that must be refused got no error');
  }
  for (const p of o.payloads) {
    for (const v of Object.values(p.data ?? {})) {
      if (v !== null && typeof v === 'object' && (v as { ok?: unknown }).ok === false) found.push(`an audit failed: ${JSON.stringify(v)}`);
    }
  }
  return found;
}

/** An attack as a failure report shows it: long payloads cut short. */
export function summary(a: Attack): string {
  const cut = (s: string, n = 400) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);
  const variables = a.variablesJson ?? JSON.stringify(a.variables);
  const raw = a.raw === undefined ? '' : ` raw=${cut(typeof a.raw === 'string' ? JSON.stringify(a.raw) : `bytes[${a.raw.length}]`)}`;
  return `${a.what} via ${a.transport}${a.mustReject ? ' (must be refused)' : ''}: ${cut(a.query)}${variables === undefined ? '' : ` variables=${cut(variables)}`}${raw}`;
}
