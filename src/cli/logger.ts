import { pino, type Logger } from 'pino';

/** JSON lines on stdout (pino); `EDDY_LOG_LEVEL` sets the level. Each process names its role. */
export function createLogger(role: string): Logger {
  return pino({ level: process.env.EDDY_LOG_LEVEL ?? 'info', base: { role, pid: process.pid } });
}
