import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Linux's clock ticks per second for /proc/<pid>/stat times (`getconf CLK_TCK`; 100 on every common kernel). */
const TICKS = 100;

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; NaN if it is gone. */
export function cpuSeconds(pid: number): number {
  const { user, system } = cpuTimes(pid);
  return user + system;
}

/** CPU seconds a process has spent in user space and in the kernel so far; NaN if it is gone. */
export function cpuTimes(pid: number): { user: number; system: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(fields[11]) / TICKS, system: Number(fields[12]) / TICKS };
  } catch {
    return { user: Number.NaN, system: Number.NaN };
  }
}

/** Resident set size in MiB (VmRSS in /proc/<pid>/status); NaN if the process is gone. */
export function rssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match === null ? Number.NaN : Number(match[1]) / 1024;
  } catch {
    return Number.NaN;
  }
}

/** The soft limit on open files of this process (what each of its sockets takes one of). */
export function openFilesLimit(): number {
  try {
    const match = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return match === null || match[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(match[1]);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * The processes of a running `eddy serve` by role: from its log lines (JSON with `role` and `pid`:
 * the learner logs `learner started`, a server process `server process listening`), and, for any
 * a log does not name (yet), from /proc, where its cluster workers sit under the primary with
 * `EDDY_ROLE` (learner or server) in their environment. Only processes still alive are returned.
 */
export function eddyProcesses(primary: number, log = ''): { primary: number; learner: number[]; server: number[] } {
  const found = { primary, learner: [] as number[], server: [] as number[] };
  const alive = (pid: number) => existsSync(`/proc/${pid}`);
  for (const line of log.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const { role, pid } = JSON.parse(line) as { role?: string; pid?: number };
      if ((role === 'learner' || role === 'server') && pid !== undefined && !found[role].includes(pid) && alive(pid)) found[role].push(pid);
    } catch {
      // not a log line
    }
  }
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== primary) continue;
      const role = /(?:^|\0)EDDY_ROLE=(\w+)/.exec(readFileSync(`/proc/${entry}/environ`, 'utf8'))?.[1];
      if ((role === 'learner' || role === 'server') && !found[role].includes(Number(entry))) found[role].push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  found.learner.sort((a, b) => a - b);
  found.server.sort((a, b) => a - b);
  return found;
}
