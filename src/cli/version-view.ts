import type { MetricValue, VersionReason, VersionSummary } from '../store/types.js';

/** A version as the command line shows it, whether read from the file or from a server. */
export type VersionView = Omit<VersionSummary, 'modelId'>;

/** The GraphQL selection that `fromRemote` reads. */
export const VERSION_FIELDS = 'number parent reason rollbackOf createdAt samplesLearned lastEventId sha256 metrics { name value text }';

export type RemoteVersion = Omit<VersionView, 'createdAt' | 'reason'> & { createdAt: string; reason: string };

export function fromRemote(v: RemoteVersion): VersionView {
  return { ...v, reason: v.reason.toLowerCase() as VersionReason, createdAt: Date.parse(v.createdAt) };
}

export function fromStore(v: VersionSummary): VersionView {
  const { modelId: _modelId, ...view } = v;
  return view;
}

/** `2026-11-25 23:50:01Z`: UTC to the second. */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

export function metricsText(metrics: readonly MetricValue[], separator = ', '): string {
  return metrics.map((m) => m.text).join(separator);
}

/** `version 7 (rollback of 3): 1,250 samples, ROCAUC: 95.07%, …, sha256 1a2b3c4d5e6f`. */
export function versionLine(v: VersionView): string {
  const why = v.reason === 'rollback' && v.rollbackOf !== null ? `rollback of ${v.rollbackOf}` : v.reason;
  const metrics = v.metrics.length > 0 ? `, ${metricsText(v.metrics)}` : '';
  return `version ${v.number} (${why}): ${v.samplesLearned.toLocaleString('en-US')} samples${metrics}, sha256 ${v.sha256.slice(0, 12)}`;
}

/** Versions as a table with a header row, columns padded to their widest cell. */
export function versionTable(versions: readonly VersionView[]): string {
  const header = ['VERSION', 'PARENT', 'REASON', 'ROLLBACK OF', 'CREATED', 'SAMPLES', 'LAST EVENT', 'SHA256', 'METRICS'];
  const rows = versions.map((v) => [
    String(v.number),
    v.parent === null ? '-' : String(v.parent),
    v.reason,
    v.rollbackOf === null ? '-' : String(v.rollbackOf),
    formatTime(v.createdAt),
    String(v.samplesLearned),
    String(v.lastEventId),
    v.sha256.slice(0, 12),
    metricsText(v.metrics),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = new Set([0, 1, 3, 5, 6]);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : numeric.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].map((l) => `${l}\n`).join('');
}

/** The JSON form: the same fields, the time as ISO 8601. */
export function versionJson(v: VersionView) {
  return { ...v, createdAt: new Date(v.createdAt).toISOString() };
}
