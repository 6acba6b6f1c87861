import type { AuditResult } from '../learner/audit.js';
import { CliError } from './cli-error.js';
import type { EddyAccess } from './eddy-access.js';
import { GraphQLClient, RemoteError } from './graphql-client.js';
import { fromRemote, type RemoteVersion, VERSION_FIELDS, type VersionView } from './version-view.js';

const VERSIONS = `query($model: String!, $first: Int!, $before: Int) {
  model(name: $model) { versions(first: $first, before: $before) { ${VERSION_FIELDS} } }
}`;
const LATEST = 'query($model: String!) { model(name: $model) { version } }';
const ROLLBACK = `mutation($model: String!, $version: Int!) { rollback(model: $model, version: $version) { ${VERSION_FIELDS} } }`;
const AUDIT = `mutation($model: String!, $version: Int!) {
  audit(model: $model, version: $version) { ok version expectedSha256 replayedSha256 eventsReplayed replayedFrom detail }
}`;

/** eddy through a running server's GraphQL API: the server's learner does the writing. */
export class RemoteEddy implements EddyAccess {
  readonly client: GraphQLClient;

  constructor(url: string, apiKey?: string) {
    this.client = new GraphQLClient(url, apiKey);
  }

  async versions(model: string, first: number, before?: number): Promise<VersionView[]> {
    const data = await this.client.request<{ model: { versions: RemoteVersion[] } | null }>(VERSIONS, { model, first, before });
    if (data.model === null) throw new CliError(`model ${model} not found`);
    return data.model.versions.map(fromRemote);
  }

  async latestVersion(model: string): Promise<number> {
    const data = await this.client.request<{ model: { version: number } | null }>(LATEST, { model });
    if (data.model === null) throw new CliError(`model ${model} not found`);
    return data.model.version;
  }

  async rollback(model: string, version: number): Promise<VersionView> {
    const data = await this.withVersion(model, version, () =>
      this.client.request<{ rollback: RemoteVersion }>(ROLLBACK, { model, version }),
    );
    return fromRemote(data.rollback);
  }

  async audit(model: string, version: number): Promise<AuditResult> {
    const data = await this.withVersion(model, version, () => this.client.request<{ audit: AuditResult }>(AUDIT, { model, version }));
    return data.audit;
  }

  /** VERSION_NOT_FOUND in the words the file mode uses. */
  private async withVersion<T>(model: string, version: number, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof RemoteError && error.code === 'VERSION_NOT_FOUND') {
        throw new CliError(`model ${model} has no version ${version}`);
      }
      throw error;
    }
  }

  async close(): Promise<void> {}
}
