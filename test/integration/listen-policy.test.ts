import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, runEddy } from '../support/keys.js';
import { eventually, RunningServer, tempDb } from '../support/server.js';

/** Secure by default: what `eddy serve` does when the database has no API keys. */
describe('eddy serve without API keys', () => {
  it('refuses a non-loopback address before listening: exit code 2 and one line', async () => {
    const db = tempDb();
    try {
      const run = await runEddy(['serve', '--host', '0.0.0.0', '--port', '1', '--db', db, '--workers', '1']);
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/^eddy serve: refusing to listen on 0\.0\.0\.0 without API keys: .* or pass --insecure$/m);
      expect(run.stdout).not.toContain('learner started');
    } finally {
      rmSync(dirname(db), { recursive: true, force: true });
    }
  });

  describe('on another loopback address (127.0.0.2)', () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await RunningServer.start({ host: '127.0.0.2', workers: 1, args: ['--rate-limit-predict', '3'] });
    });
    afterAll(async () => {
      await server?.stop();
      rmSync(dirname(server.db), { recursive: true, force: true });
    });

    it('starts, says auth is off and it is loopback only, and lets everyone be admin', async () => {
      expect(server.output).toMatch(/auth is off \(no API keys in the database.*\): listening on loopback 127\.0\.0\.2 only/);
      const d = await server.data('mutation { createModel(name: "open", spec: { type: "GaussianNB" }) { name } }');
      expect(d.createModel.name).toBe('open');
    });

    it('rate-limits by client address', async () => {
      const predict = '{ predict(model: "open", features: { x: 1 }) { id } }';
      const rs = await Promise.all(Array.from({ length: 12 }, () => server.gql(predict)));
      const limited = rs.filter((r) => r.errors?.[0]?.extensions?.code === 'RATE_LIMITED');
      expect(limited.length).toBeGreaterThan(0);
      expect(limited[0].errors?.[0].extensions?.retryAfterMs).toBeGreaterThan(0);
    });

    it('requires a key within about a second of the first one being created', async () => {
      const key = await createKey(server.db, 'predict');
      const r = await eventually(
        async () => {
          const r = await server.gql('{ models { name } }');
          return r.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED' ? r : undefined;
        },
        3000,
        'UNAUTHENTICATED',
      );
      expect(r.errors?.[0].message).toContain('an API key is required');
      expect((await server.data('{ models { name } }', {}, { key })).models).toEqual([{ name: 'open' }]);
    });
  });
});
