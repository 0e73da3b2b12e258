import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Measurement {
  suite: string;
  metric: string;
  value: number;
  unit: string;
  /** The raw baseline measured in the same run, when the target is a ratio. */
  baseline?: number;
  /** A human-readable goal, e.g. "< 1000 ms" or "≥ 50 % of raw". */
  goal?: string;
  met?: boolean;
}

export interface Suite {
  name: string;
  run(): Promise<Measurement[]>;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

export const median = (values: number[]): number => percentile(values, 50);

const fmt = (n: number | undefined): string =>
  n === undefined || Number.isNaN(n) ? '' : Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2);

/** Prints the table and writes bench-results/<stamp>.json and bench-results/latest.json. */
export function report(results: Measurement[], dir = 'bench-results'): string {
  const rows = results.map((r) => [
    r.suite,
    r.metric,
    `${fmt(r.value)} ${r.unit}`,
    r.baseline === undefined ? '' : `${fmt(r.baseline)} ${r.unit}`,
    r.goal ?? '',
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  ]);
  const header = ['suite', 'metric', 'value', 'baseline', 'goal', 'met'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const row of rows) console.log(line(row));

  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const payload = JSON.stringify(
    { date: new Date().toISOString(), node: process.version, platform: `${process.platform}-${process.arch}`, results },
    null,
    2,
  );
  const file = join(dir, `bench-${stamp}.json`);
  writeFileSync(file, payload);
  writeFileSync(join(dir, 'latest.json'), payload);
  return file;
}
