/**
 * A server process's resident memory while something runs against it (Linux /proc/<pid>/status and
 * clear_refs), and how the runners print it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { type Column, formatNumber, verdict } from './report.js';

/** How much RSS a server may grow by during one transfer: its buffering stays bounded, whatever the size. */
export const rssGrowthBarMiB = 64;

export interface RssGrowth {
  readonly baselineMiB: number;
  readonly peakMiB: number;
  readonly growthMiB: number;
  /** VmRSS samples taken while it ran. */
  readonly samples: number;
}

export interface RssWatch<T> extends RssGrowth {
  readonly result: T;
}

/** VmRSS and VmHWM of a process, in KiB. */
function rssOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rss: Number(/VmRSS:\s+(\d+)/.exec(status)![1]), hwm: Number(/VmHWM:\s+(\d+)/.exec(status)![1]) };
}

/** Resets a process's VmHWM to its current RSS (Linux 4.0+); false where not allowed. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `during` while sampling the process's VmRSS every `intervalMs`. The baseline is VmRSS just
 * before, after `settleMs` in which a server that has just answered checks runs its timers and
 * lazy GC; the peak is the largest sample, or VmHWM after when it could be reset to the baseline
 * (it then also catches a peak between two samples).
 */
export async function watchRss<T>(pid: number, during: () => Promise<T>, { settleMs = 500, intervalMs = 20 } = {}): Promise<RssWatch<T>> {
  await new Promise((settled) => setTimeout(settled, settleMs));
  const peakWasReset = resetPeak(pid);
  const baselineKiB = rssOf(pid).rss;
  let peakKiB = baselineKiB;
  let samples = 0;
  const sampler = setInterval(() => {
    samples++;
    peakKiB = Math.max(peakKiB, rssOf(pid).rss);
  }, intervalMs);
  let result: T;
  try {
    result = await during();
  } finally {
    clearInterval(sampler);
  }
  const after = rssOf(pid);
  peakKiB = Math.max(peakKiB, after.rss, peakWasReset ? after.hwm : 0);
  return { result, baselineMiB: baselineKiB / 1024, peakMiB: peakKiB / 1024, growthMiB: (peakKiB - baselineKiB) / 1024, samples };
}

/** `baseline 70.1 MiB  peak 98.3 MiB  growth 28.2 MiB`, for a line per watched transfer. */
export function describeRss(rss: RssGrowth): string {
  return `baseline ${formatNumber(rss.baselineMiB, 1)} MiB  peak ${formatNumber(rss.peakMiB, 1)} MiB  growth ${formatNumber(rss.growthMiB, 1)} MiB`;
}

/** Two table columns: `<what>: RSS baseline → peak` and `growth`, of the RSS `of` a row gives. */
export function rssColumns<Row>(what: string, of: (row: Row) => RssGrowth): Column<Row>[] {
  return [
    { title: `${what}: RSS baseline → peak`, numeric: true, cell: (row) => `${formatNumber(of(row).baselineMiB, 1)} → ${formatNumber(of(row).peakMiB, 1)} MiB` },
    { title: 'growth', numeric: true, cell: (row) => `**${formatNumber(of(row).growthMiB, 1)} MiB**` },
  ];
}

/** `<what>: RSS growth 28.2 MiB (bar < 64 MiB: met)`. */
export function rssBarLine(what: string, rss: RssGrowth): string {
  return `${what}: RSS growth ${formatNumber(rss.growthMiB, 1)} MiB (bar < ${rssGrowthBarMiB} MiB: ${verdict(rss.growthMiB < rssGrowthBarMiB)})`;
}
