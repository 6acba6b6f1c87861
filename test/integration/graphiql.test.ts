/**
 * GraphiQL at /graphql, served by eddy itself: its page names no other origin, every asset it
 * names is there, and in a real browser (Debian's Chromium, when installed) it renders and runs
 * an operation without reaching the internet.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunningServer } from '../support/server.js';

const CHROMIUM = '/usr/bin/chromium';

async function page(url: string): Promise<{ status: number; type: string; html: string }> {
  const response = await fetch(url, { headers: { accept: 'text/html' } });
  return { status: response.status, type: response.headers.get('content-type') ?? '', html: await response.text() };
}

/** The same-origin URLs a page names in `src` and `href`, and whether it names any other. */
function assetsOf(html: string): { local: string[]; foreign: string[] } {
  const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
  return { local: urls.filter((u) => u.startsWith('/')), foreign: urls.filter((u) => !u.startsWith('/')) };
}

describe('GraphiQL', () => {
  let server: RunningServer;
  let origin: string;

  beforeAll(async () => {
    server = await RunningServer.start({ workers: 1 });
    origin = new URL(server.url).origin;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('is a page whose every asset eddy serves itself, cached by version', async () => {
    const { status, type, html } = await page(server.url);
    expect(status).toBe(200);
    expect(type).toContain('text/html');
    expect(html).not.toMatch(/https?:\/\//);
    const { local, foreign } = assetsOf(html);
    expect(foreign).toEqual([]);
    expect(local.length).toBeGreaterThanOrEqual(3);
    const workers = /getWorkerUrl: \(_id, label\) => '([^']+)' \+ workers\[label\]/.exec(html)?.[1];
    const workerFiles = ['editor.worker.js', 'json.worker.js', 'graphql.worker.js'].map((f) => `${workers}${f}`);
    for (const path of [...local, ...workerFiles]) {
      const response = await fetch(`${origin}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control'), path).toContain('immutable');
      expect((await response.arrayBuffer()).byteLength, path).toBeGreaterThan(1000);
    }
    expect((await fetch(`${origin}/graphql/graphiql/0.0.0/graphiql.js`)).status).toBe(404);
    // Gzipped for a client that takes it (fetch does, and unpacks it), whole for one that does not.
    const js = local.find((u) => u.endsWith('.js')) ?? '';
    const packed = await fetch(`${origin}${js}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(packed.headers.get('content-encoding')).toBe('gzip');
    const whole = await fetch(`${origin}${js}`, { headers: { 'accept-encoding': 'identity' } });
    expect(whole.headers.get('content-encoding')).toBeNull();
    expect(Number(packed.headers.get('content-length'))).toBeLessThan(Number(whole.headers.get('content-length')) / 2);
    expect(await packed.text()).toBe(await whole.text());
  });

  it.runIf(existsSync(CHROMIUM))('renders and runs an operation in Chromium, asking nothing of any other origin', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const tab = await browser.newPage();
      const elsewhere: string[] = [];
      const errors: string[] = [];
      tab.on('request', (r) => {
        const url = r.url();
        if (!url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')) elsewhere.push(url);
      });
      tab.on('pageerror', (e) => errors.push(e.message));
      await tab.goto(server.url, { waitUntil: 'load' });
      await tab.waitForSelector('.graphiql-container', { timeout: 30_000 });
      // The default document has three operations: run the first, Create.
      await tab.click('.graphiql-execute-button');
      await tab.getByRole('menuitem', { name: 'Create' }).click();
      await tab.waitForFunction(() => (document.querySelector('.graphiql-response')?.textContent ?? '').includes('"task"'), null, { timeout: 30_000 });
      const response = await tab.evaluate(() => document.querySelector('.graphiql-response')?.textContent ?? '');
      expect(response.replace(/\s+/g, '')).toContain('"createModel":{"name":"phishing","task":"BINARY","version":1}');
      expect(elsewhere).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('with --no-graphiql', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await RunningServer.start({ workers: 1, args: ['--no-graphiql'] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('serves neither the page nor its assets', async () => {
    const { html } = await page(server.url);
    expect(html).not.toContain('renderYogaGraphiQL');
    const origin = new URL(server.url).origin;
    const { version } = createRequire(import.meta.url)('@graphql-yoga/render-graphiql/package.json') as { version: string };
    expect((await fetch(`${origin}/graphql/graphiql/${version}/graphiql.js`)).status).not.toBe(200);
  });
});
