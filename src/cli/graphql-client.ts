import { CliError } from './cli-error.js';
import { sseEvents } from './sse-events.js';

interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string; retryAfterMs?: number };
}

interface GraphQLBody<T> {
  data?: T | null;
  errors?: GraphQLErrorShape[];
}

/**
 * A GraphQL error from the server, as a one-line command error: `code` is the server's stable
 * `extensions.code` so a command can act on it (MODEL_EXISTS, MODEL_NOT_FOUND, …).
 */
export class RemoteError extends CliError {
  constructor(
    readonly code: string,
    message: string,
    /** With RATE_LIMITED: when the server will take the next call. */
    readonly retryAfterMs?: number,
  ) {
    super(message, code === 'INTERNAL_SERVER_ERROR' ? 1 : 2);
    this.name = 'RemoteError';
  }
}

/** The server could not be reached (or the connection broke): worth a retry, nothing was answered. */
export class NetworkError extends CliError {
  constructor(message: string) {
    super(message);
    this.name = 'NetworkError';
  }
}

/** Why fetch failed, in a few words (undici hides the socket error in `cause`). */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/**
 * The few GraphQL calls the command line makes to a running server: POST a query, get `data` or
 * a RemoteError; subscribe over graphql-yoga's server-sent events.
 */
export class GraphQLClient {
  constructor(
    readonly url: string,
    /** Sent as `Authorization: Bearer <key>` when the server requires API keys. */
    private readonly apiKey?: string,
  ) {}

  /**
   * Runs one operation. A missing model comes back as `model X not found` (X from
   * `variables.model`). RATE_LIMITED means nothing was done, so the call waits as long as the
   * server says and tries again (for up to a minute).
   */
  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        return await this.requestOnce<T>(query, variables);
      } catch (error) {
        if (!(error instanceof RemoteError && error.code === 'RATE_LIMITED') || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.max(10, error.retryAfterMs ?? 100)));
      }
    }
  }

  private async requestOnce<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const response = await this.post(query, variables, 'application/graphql-response+json, application/json');
    let body: GraphQLBody<T>;
    try {
      body = (await response.json()) as GraphQLBody<T>;
    } catch {
      throw new CliError(`${this.url} did not answer with GraphQL (HTTP ${response.status})`);
    }
    const error = body.errors?.[0];
    if (error !== undefined) throw remoteError(error, variables);
    if (body.data === undefined || body.data === null) throw new CliError(`${this.url} answered HTTP ${response.status} without data`);
    return body.data;
  }

  /**
   * Subscribes over server-sent events (graphql-yoga: POST with `accept: text/event-stream`) and
   * calls `onData` for each payload until `signal` aborts or the server ends the stream. Resolves
   * once the server has accepted the subscription; `ended` settles when the stream does.
   */
  async subscribe<T>(
    query: string,
    variables: Record<string, unknown>,
    onData: (data: T) => void,
    signal: AbortSignal,
  ): Promise<{ ended: Promise<void> }> {
    const response = await this.post(query, variables, 'text/event-stream', signal);
    if (!response.ok || response.body === null) throw new CliError(`${this.url} refused the subscription (HTTP ${response.status})`);
    const body = response.body;
    const ended = (async () => {
      try {
        for await (const event of sseEvents(body)) {
          if (event.data.trim() === '') continue;
          const payload = JSON.parse(event.data) as GraphQLBody<T>;
          if (payload.errors?.[0]) throw remoteError(payload.errors[0], variables);
          if (payload.data) onData(payload.data);
        }
      } catch (error) {
        if (!signal.aborted) throw error;
      }
    })();
    return { ended };
  }

  private async post(query: string, variables: Record<string, unknown>, accept: string, signal?: AbortSignal): Promise<Response> {
    try {
      return await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept,
          ...(this.apiKey === undefined ? {} : { authorization: `Bearer ${this.apiKey}` }),
        },
        body: JSON.stringify({ query, variables }),
        signal,
      });
    } catch (error) {
      throw new NetworkError(`cannot reach eddy at ${this.url} (${networkReason(error)}); is \`eddy serve\` running?`);
    }
  }
}

function remoteError(error: GraphQLErrorShape, variables: Record<string, unknown>): RemoteError {
  const code = error.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
  if (code === 'MODEL_NOT_FOUND' && typeof variables.model === 'string') {
    return new RemoteError(code, `model ${variables.model} not found`);
  }
  return new RemoteError(code, `${error.message} (${code})`, error.extensions?.retryAfterMs);
}
