import { cpus, loadavg, platform, release, totalmem } from 'node:os';

/** The machine a benchmark ran on, printed beside its figures (they mean nothing without it). */
export function machine(): string {
  const cpu = cpus();
  const model = cpu[0]?.model.trim() ?? 'unknown CPU';
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return [
    `CPU: ${model}, ${cpu.length} cores`,
    `Node ${process.version}, V8 ${process.versions.v8}`,
    `OS: ${platform()} ${release()}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    `load average (1/5/15 min): ${load}`,
  ].join('\n');
}

/** The 1-minute load average, to quote next to a figure measured while others used the CPU. */
export function load1(): number {
  return loadavg()[0];
}

/** A flag like `--quick` is present. */
export function flag(name: string, argv = process.argv.slice(2)): boolean {
  return argv.includes(`--${name}`);
}

/** The value after `--name` (or in `--name=value`), if given. */
export function option(name: string, argv = process.argv.slice(2)): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === `--${name}`) return argv[i + 1];
    if (argv[i].startsWith(`--${name}=`)) return argv[i].slice(name.length + 3);
  }
  return undefined;
}

/** Left-pads or right-pads cells into an aligned text table. */
export function table(rows: string[][], rightAligned: (col: number) => boolean = (c) => c > 0): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) => r.map((cell, c) => (rightAligned(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd())
    .join('\n');
}
