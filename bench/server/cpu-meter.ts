import type { EddyServer } from './eddy-server.js';
import { cpuTimes, eddyProcesses } from '../proc.js';

/** CPU seconds so far (user, kernel) of each part of the running eddy and of this process (the load generator). */
function cpuNow(server: EddyServer) {
  const p = eddyProcesses(server.process.pid ?? 0, server.output);
  const sum = (pids: number[]) =>
    pids.reduce((t, pid) => {
      const c = cpuTimes(pid);
      return { user: t.user + c.user, system: t.system + c.system };
    }, { user: 0, system: 0 });
  const self = process.cpuUsage();
  return { servers: sum(p.server), 'supervisor (writer)': sum([p.primary]), learner: sum(p.learner), 'load generator': { user: self.user / 1e6, system: self.system / 1e6 } };
}

/**
 * CPU used by each part of the running eddy and by this process (the load generator) while it
 * is started, summed over start/stop spans. The supervisor's figure includes the machine's event writer.
 */
export class CpuMeter {
  private readonly used = new Map<string, { user: number; system: number }>();
  private since: ReturnType<typeof cpuNow> | null = null;

  constructor(private readonly server: EddyServer) {}

  start(): void {
    this.since = cpuNow(this.server);
  }

  stop(): void {
    if (this.since === null) return;
    const now = cpuNow(this.server);
    for (const k of Object.keys(now) as Array<keyof typeof now>) {
      const sum = this.used.get(k) ?? { user: 0, system: 0 };
      sum.user += now[k].user - this.since[k].user;
      sum.system += now[k].system - this.since[k].system;
      this.used.set(k, sum);
    }
    this.since = null;
  }

  /** "CPU µs/ack (kernel's share): servers 40 (12), …" */
  perOperation(unit: string, count: number): string {
    const n = Math.max(1, count);
    const parts = [...this.used].map(([k, { user, system }]) => `${k} ${Math.round(((user + system) * 1e6) / n)} (${Math.round((system * 1e6) / n)})`);
    return `CPU µs/${unit} (kernel's share): ${parts.join(', ')}`;
  }
}

/** Runs `work` and says where the CPU went, per operation (see CpuMeter). */
export async function withCpu<T>(server: EddyServer, unit: string, work: () => Promise<T>, count: (t: T) => number): Promise<{ value: T; cpu: string }> {
  const meter = new CpuMeter(server);
  meter.start();
  const value = await work();
  meter.stop();
  return { value, cpu: meter.perOperation(unit, count(value)) };
}
