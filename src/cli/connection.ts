import { type Command, InvalidArgumentError, Option } from 'commander';
import { CliError } from './cli-error.js';

/** Where a command finds eddy: a running server, or the database file itself. */
export type Connection = { kind: 'url'; url: string; apiKey?: string } | { kind: 'db'; path: string };

/** `eddy serve`'s default database, and so the commands' default when no server is named. */
export const DEFAULT_DB = './eddy.db';

/**
 * Adds `--url` (also `EDDY_URL`) and `--db` (also `EDDY_DB`) to a command that can work either
 * through a running server or on the database file directly.
 */
export function addConnectionOptions(command: Command): Command {
  return command
    .addOption(new Option('--url <url>', "a running server's GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql").env('EDDY_URL'))
    .addOption(new Option('--db <file>', `the SQLite database, used directly (default: ${DEFAULT_DB} when no --url)`).env('EDDY_DB'))
    .addOption(apiKeyOption());
}

/** `--api-key` (also `EDDY_API_KEY`): sent to a server as `Authorization: Bearer <key>`. */
export function apiKeyOption(): Option {
  return new Option('--api-key <key>', 'the API key to send a server that requires keys (as Authorization: Bearer)').env('EDDY_API_KEY');
}

/**
 * Which of `--url` / `--db` a command was given. A flag on the command line beats an environment
 * variable; with neither flag, `EDDY_URL` beats `EDDY_DB`, and the fallback is `./eddy.db`.
 */
export function connectionOf(command: Command): Connection {
  const { url, db, apiKey } = command.opts<{ url?: string; db?: string; apiKey?: string }>();
  const urlFlag = command.getOptionValueSource('url') === 'cli';
  const dbFlag = command.getOptionValueSource('db') === 'cli';
  if (urlFlag && dbFlag) throw new CliError('give --url or --db, not both');
  if (url !== undefined && !dbFlag) return { kind: 'url', url: checkUrl(url), apiKey };
  return { kind: 'db', path: db ?? DEFAULT_DB };
}

export function checkUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError(`--url ${JSON.stringify(text)} is not a URL (expected e.g. http://127.0.0.1:4000/graphql)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`--url must be an http:// or https:// URL, not ${JSON.stringify(text)}`);
  }
  return url.href;
}

/** A commander argument parser for whole numbers from `min` to `max`. */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isSafeInteger(n) || n < min || n > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
      throw new InvalidArgumentError(`expected a whole number ${range}`);
    }
    return n;
  };
}

/** Commander's collector for a repeatable option. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
