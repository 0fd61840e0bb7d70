/** A server process's resident memory while something runs: Linux /proc/<pid>/status and clear_refs. */
import { readFileSync, writeFileSync } from 'node:fs';

export interface RssWatch<T> {
  readonly result: T;
  readonly baselineKiB: number;
  readonly peakKiB: number;
  readonly samples: number;
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
 * before; the peak is the largest sample, or VmHWM after when it could be reset to the baseline
 * (it then also catches a peak between two samples).
 */
export async function watchRss<T>(pid: number, during: () => Promise<T>, intervalMs = 20): Promise<RssWatch<T>> {
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
  return { result, baselineKiB, peakKiB, samples };
}
