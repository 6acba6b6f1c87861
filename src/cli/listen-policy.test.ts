import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { checkExposure, isLoopbackAddress, isLoopbackHost } from './listen-policy.js';
import { addServeOptions, toServeOptions } from './serve-options.js';

describe('isLoopbackAddress', () => {
  it('takes 127.0.0.0/8, ::1 and IPv4-mapped 127.x as loopback, nothing else', () => {
    for (const a of ['127.0.0.1', '127.0.0.2', '127.255.255.254', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) {
      expect(isLoopbackAddress(a), a).toBe(true);
    }
    for (const a of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.10', '128.0.0.1', '::ffff:10.0.0.1', 'localhost', '']) {
      expect(isLoopbackAddress(a), a).toBe(false);
    }
  });

  it('resolves names: localhost is loopback', async () => {
    expect(await isLoopbackHost('localhost')).toBe(true);
    expect(await isLoopbackHost('0.0.0.0')).toBe(false);
    expect(await isLoopbackHost('no-such-host.invalid')).toBe(false);
  });
});

function serveOptions(args: string[]) {
  const command = addServeOptions(new Command('serve').exitOverride());
  command.parse(args, { from: 'user' });
  return toServeOptions(command.opts());
}

describe('checkExposure', () => {
  it('without keys: loopback is fine, another address is refused unless --insecure', async () => {
    expect(await checkExposure(serveOptions([]), false)).toMatchObject({ level: 'info', message: expect.stringContaining('auth is off') });
    expect(await checkExposure(serveOptions(['--host', '::1']), false)).toMatchObject({ level: 'info' });
    await expect(checkExposure(serveOptions(['--host', '0.0.0.0']), false)).rejects.toThrow(/refusing to listen on 0\.0\.0\.0/);
    await expect(checkExposure(serveOptions(['--host', '::']), false)).rejects.toThrow(/--insecure/);
    const insecure = await checkExposure(serveOptions(['--host', '0.0.0.0', '--insecure']), false);
    expect(insecure).toEqual({ level: 'warn', message: expect.stringContaining('anyone who can connect is admin') });
  });

  it('with keys: any address', async () => {
    expect(await checkExposure(serveOptions(['--host', '0.0.0.0']), true)).toMatchObject({ level: 'info', message: expect.stringContaining('auth is on') });
  });

  it('reads the rate limits and --no-introspection', () => {
    const o = serveOptions(['--rate-limit-predict', '100', '--rate-limit-learn', '10', '--no-introspection']);
    expect(o).toMatchObject({ rateLimits: { predict: 100, learn: 10 }, introspection: false, insecure: false });
    expect(serveOptions([])).toMatchObject({ rateLimits: { predict: 0, learn: 0 }, introspection: true });
  });
});
