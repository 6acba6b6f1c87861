import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addServeOptions, toServeOptions } from './serve-options.js';

const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

/** The README's Configuration table: option → [env, default] as written. */
function documented(): Map<string, { env: string; default: string }> {
  const section = README.slice(README.indexOf('## Configuration'), README.indexOf('## Performance'));
  const rows = new Map<string, { env: string; default: string }>();
  for (const line of section.split('\n')) {
    const m = /^\| `(--[a-z-]+)` \| (?:`([A-Z_]+)`)? *\| *([^|]*?) *\|/.exec(line);
    if (m) rows.set(m[1], { env: m[2] ?? '', default: m[3].trim() });
  }
  return rows;
}

describe("eddy serve's options", () => {
  const command = addServeOptions(new Command('serve'));

  it('are the ones the README documents, with the same environment variables and defaults', () => {
    const rows = documented();
    expect([...rows.keys()].sort()).toEqual(command.options.map((o) => o.long ?? '').sort());
    for (const option of command.options) {
      const row = rows.get(option.long ?? '');
      expect(row?.env, `${option.long}'s environment variable`).toBe(option.envVar ?? '');
      if (option.defaultValue === undefined || option.long === '--workers') continue;
      // "604800 (7 days)", "0 (off)": the value first, then what it means.
      expect(row?.default.split(' ')[0], `${option.long}'s default`).toBe(String(option.defaultValue));
    }
  });

  it('every option that takes a value reads its environment variable', () => {
    const takesValue = command.options.filter((o) => o.required || o.optional);
    expect(takesValue.filter((o) => o.envVar === undefined).map((o) => o.long)).toEqual([]);
    const env = Object.fromEntries(takesValue.map((o) => [o.envVar as string, '70']));
    env.EDDY_SYNCHRONOUS = 'normal';
    env.EDDY_SUBSCRIPTIONS = 'yoga';
    env.EDDY_HOST = '127.0.0.2';
    env.EDDY_DB = '/tmp/x.db';
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    try {
      Object.assign(process.env, env);
      const parsed = toServeOptions(addServeOptions(new Command('serve')).parse([], { from: 'user' }).opts());
      expect(parsed).toMatchObject({ port: 70, host: '127.0.0.2', db: '/tmp/x.db', workers: 70, checkpointIntervalMs: 70, waitTimeoutMs: 70, synchronous: 'normal' });
      expect(parsed.limits).toMatchObject({ maxBodyBytes: 70, maxFeatures: 70, maxBatch: 70, maxFeatureNameLength: 70 });
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
