import type { AuditResult } from '../learner/audit.js';
import type { Connection } from './connection.js';
import { LocalEddy } from './local-eddy.js';
import { RemoteEddy } from './remote-eddy.js';
import type { VersionView } from './version-view.js';

/**
 * What `versions`, `rollback` and `audit` need from eddy, the same through a running server
 * (`RemoteEddy`, GraphQL) and on the database file (`LocalEddy`, the store and an in-process
 * learner). Every method throws `model X not found` / `model X has no version N` as CliErrors.
 */
export interface EddyAccess {
  /** Versions newest first: `first` of them, numbered below `before` when given. */
  versions(model: string, first: number, before?: number): Promise<VersionView[]>;
  /** The newest version's number. */
  latestVersion(model: string): Promise<number>;
  /** Appends a version copying `version`'s state, once the learner has written it. */
  rollback(model: string, version: number): Promise<VersionView>;
  /** Replays `version` from its parent and compares hashes. */
  audit(model: string, version: number): Promise<AuditResult>;
  close(): Promise<void>;
}

/**
 * Opens eddy where the connection says. `write` runs a learner in-process for a file (refused
 * while a server's learner holds the lease); reading a file needs no learner.
 */
export async function openEddy(connection: Connection, mode: 'read' | 'write'): Promise<EddyAccess> {
  if (connection.kind === 'url') return new RemoteEddy(connection.url, connection.apiKey);
  return LocalEddy.open(connection.path, { learner: mode === 'write' });
}
