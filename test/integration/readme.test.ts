/**
 * The README's walkthrough, as a user copies it: every operation in its ```graphql blocks is valid
 * against schema.graphql, and run in the README's order against a real server, each does what the
 * text around it says. Only what the README cannot know is filled in: the id of the prediction
 * that the late label answers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, type DocumentNode, Kind, type OperationDefinitionNode, parse, print, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, ROOT, RunningServer, sleep } from '../support/server.js';
import { subscribeSse, subscribeWs } from '../support/subscribe.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** Each operation of each ```graphql block. */
const OPERATIONS: readonly OperationDefinitionNode[] = [...README.matchAll(/```graphql\n([\s\S]*?)```/g)].flatMap((m) =>
  parse(m[1]).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION),
);

function document(operation: OperationDefinitionNode): DocumentNode {
  return { kind: Kind.DOCUMENT, definitions: [operation] };
}

/** The first README operation with `field` among its root fields, as text. */
function example(field: string): string {
  const found = OPERATIONS.find((op) => op.selectionSet.selections.some((s) => s.kind === Kind.FIELD && s.name.value === field));
  if (found === undefined) throw new Error(`the README has no example of ${field}`);
  return print(found);
}

describe('the README', () => {
  it('shows only operations that are valid against schema.graphql', () => {
    const schema = buildSchema(readFileSync(join(ROOT, 'schema.graphql'), 'utf8'));
    expect(OPERATIONS.length).toBeGreaterThanOrEqual(9);
    for (const op of OPERATIONS) {
      const errors = validate(schema, document(op));
      expect(errors.map((e) => e.message), print(op)).toEqual([]);
    }
  });

  describe('walkthrough, run in order against a real server', () => {
    let server: RunningServer;

    beforeAll(async () => {
      server = await RunningServer.start({ workers: 2 });
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('creates, teaches, predicts, takes a late label, streams, versions, rolls back and audits', async () => {
      const created = (await server.data(example('createModel'))).createModel;
      expect(created).toMatchObject({ name: 'phishing', task: 'BINARY', version: 1 });
      expect(created.metrics.map((m: { text: string }) => m.text.split(':')[0])).toEqual(['Accuracy', 'ROCAUC', 'LogLoss', 'F1']);

      const taught = (await server.data(example('learn'))).learn;
      expect(taught).toMatchObject({ applied: true });
      expect(taught.metrics.length).toBe(4);

      const predicted = (await server.data(example('predict'))).predict;
      expect(Object.keys(predicted.probabilities).sort()).toEqual(['false', 'true']);
      expect(typeof predicted.label).toBe('boolean');

      // The late label: the README's example id stands for the one the predict returned.
      const lateExample = OPERATIONS.map(print).find((text) => text.includes('predictionId'));
      if (lateExample === undefined) throw new Error('the README has no late-label example');
      const placeholder = /predictionId: "([^"]+)"/.exec(lateExample)?.[1] ?? '';
      const late = await server.data(lateExample.replace(placeholder, predicted.id));
      expect(late.learn.eventId).toBeGreaterThan(taught.eventId);
      const twice = await server.gql(lateExample.replace(placeholder, predicted.id));
      expect(twice.errors?.[0]?.extensions?.code).toBe('ALREADY_LABELLED');

      // Both subscriptions, over both transports; a label and a checkpoint reach them.
      const metrics = await subscribeSse<{ metrics: { samplesLearned: number } }>(server.url, example('metrics'));
      const versions = await subscribeWs<{ versions: { number: number; reason: string } }>(server.url, example('versions'));
      const curlBody = /-d '(\{"query":"subscription[^']*\})'/.exec(README)?.[1];
      if (curlBody === undefined) throw new Error('the README has no curl SSE example');
      const curl = await subscribeSse<{ metrics: { samplesLearned: number } }>(server.url, (JSON.parse(curlBody) as { query: string }).query);
      try {
        // A label and a checkpoint until every stream has had one: a subscription is live a moment
        // after the client has sent it, and nothing says when.
        await eventually(
          async () => {
            if (metrics.received.length > 0 && curl.received.length > 0 && versions.received.some((v) => v.versions.reason === 'MANUAL')) return true;
            await server.data(example('learn'));
            await server.data('mutation { checkpoint(model: "phishing") { number } }');
            await sleep(200);
            return undefined;
          },
          20_000,
          'metrics over SSE (both) and a version over WebSocket',
        );
      } finally {
        metrics.close();
        versions.close();
        curl.close();
      }

      // Enough history for the README's rollback (to 3) and audit (of 7).
      for (let i = 0; i < 6; i++) {
        await server.data(example('learn'));
        await server.data('mutation { checkpoint(model: "phishing") { number } }');
      }
      const model = (await server.data(example('model'))).model;
      expect(model.versions.length).toBe(5);
      expect(model.version).toBeGreaterThanOrEqual(8);

      const three = (await server.data('{ model(name: "phishing") { versions(first: 100) { number sha256 } } }')).model.versions.find(
        (v: { number: number }) => v.number === 3,
      );
      const rolledBack = (await server.data(example('rollback'))).rollback;
      expect(rolledBack).toMatchObject({ reason: 'ROLLBACK', rollbackOf: 3, sha256: three.sha256 });

      const audit = (await server.data(example('audit'))).audit;
      expect(audit.ok).toBe(true);
      expect(audit.replayedSha256).toBe(audit.expectedSha256);
    });

    it("builds the Models section's example spec", async () => {
      const spec = /```json\n([\s\S]*?)```/.exec(README)?.[1];
      if (spec === undefined) throw new Error('the README has no example spec');
      const created = await server.data('mutation ($s: JSON!) { createModel(name: "readme-spec", spec: $s) { task } }', { s: JSON.parse(spec) });
      expect(created.createModel.task).toBe('MULTICLASS');
    });
  });
});
