import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { CliError } from './cli-error.js';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Whether an IP address is loopback: 127.0.0.0/8, ::1, or an IPv4-mapped 127.x (::ffff:127.0.0.1). */
export function isLoopbackAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return LOOPBACK.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Whether `--host` reaches only this machine: a loopback address, or a name (`localhost`) that
 * resolves to loopback addresses only. `0.0.0.0` and `::` are every interface, not loopback.
 */
export async function isLoopbackHost(host: string): Promise<boolean> {
  if (isIP(host) !== 0) return isLoopbackAddress(host);
  try {
    const addresses = await lookup(host, { all: true });
    return addresses.length > 0 && addresses.every((a) => isLoopbackAddress(a.address));
  } catch {
    return false;
  }
}

/** What `eddy serve` says about access control at start. */
export interface ExposureNotice {
  level: 'info' | 'warn';
  message: string;
}

/**
 * Secure by default. With API keys in the database, any address: every request needs a key.
 * Without keys everyone is admin, so eddy listens only on loopback addresses unless told
 * `--insecure`; asked for another address it refuses to start (exit 2) before listening.
 */
export async function checkExposure(o: { host: string; insecure: boolean }, keysExist: boolean): Promise<ExposureNotice> {
  if (keysExist) return { level: 'info', message: 'auth is on: every request needs an API key (Authorization: Bearer <key>)' };
  if (await isLoopbackHost(o.host)) {
    return {
      level: 'info',
      message: `auth is off (no API keys in the database; create one with eddy keys create): listening on loopback ${o.host} only`,
    };
  }
  if (!o.insecure) {
    throw new CliError(
      `refusing to listen on ${o.host} without API keys: anyone who can connect could retrain every model. ` +
        'Create a key (eddy keys create --role admin), listen on 127.0.0.1, or pass --insecure',
    );
  }
  return {
    level: 'warn',
    message: `auth is off and listening on ${o.host} (--insecure): anyone who can connect is admin of every model`,
  };
}
