/**
 * The summary of a benchmark's rounds, per server: the median rate over the rounds, and the median
 * of the per-round ratios against raw. A ratio compares two servers measured in the same round,
 * turn by turn, so a noisy machine's drift between rounds cancels out of it where it does not out
 * of the rates. The same for the server's CPU time per unit of work.
 *
 * Generic over the unit: a runner says how to read its rate (req/s, items/s, MB/s) and its CPU per
 * unit (µs/req, µs/item, s/GB) from a measurement.
 */
import { type Column, formatNumber, verdict } from './report.js';

/** The server every ratio is against; the runners make it the first of --servers. */
export const baseline = 'raw';

/** One server's figures from one round (of one scenario). */
export interface RoundMeasurement {
  /** The server. */
  readonly name: string;
  readonly round: number;
}

/** How a runner reads a measurement, in the units it prints. */
export interface Reading<M> {
  /** Work per second; more is better. */
  readonly rate: (measurement: M) => number;
  /** Server CPU time per unit of work (perUnit); NaN where unknown. */
  readonly cpuPerUnit: (measurement: M) => number;
}

export interface ServerSummary {
  readonly server: string;
  readonly medianRate: number;
  readonly minRate: number;
  readonly maxRate: number;
  /** Of the server's rate over raw's in the same round. */
  readonly medianRatio: number;
  readonly minRatio: number;
  readonly maxRatio: number;
  readonly medianCpuPerUnit: number;
  /** Of raw's CPU per unit over the server's in the same round: above 1, the server spends less. */
  readonly medianCpuRatio: number;
}

export function median(numbers: readonly number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** `amount` (CPU seconds, page faults) per unit of work, times `scale` (1e9 for seconds per GB of bytes); NaN where unknown. */
export function perUnit(amount: number | undefined, units: number, scale: number): number {
  return amount === undefined ? Number.NaN : (amount / units) * scale;
}

/** A summary per server of `servers`, in that order, from the measurements of one scenario. */
export function summarize<M extends RoundMeasurement>(measurements: readonly M[], servers: readonly string[], reading: Reading<M>): ServerSummary[] {
  const rawByRound = new Map(measurements.filter((m) => m.name === baseline).map((m) => [m.round, m]));
  return servers.map((server) => {
    const runs = measurements.filter((m) => m.name === server);
    const rates = runs.map(reading.rate);
    const ratios = runs.map((m) => reading.rate(m) / reading.rate(rawByRound.get(m.round)!));
    const cpuRatios = runs.map((m) => reading.cpuPerUnit(rawByRound.get(m.round)!) / reading.cpuPerUnit(m));
    return {
      server,
      medianRate: median(rates),
      minRate: Math.min(...rates),
      maxRate: Math.max(...rates),
      medianRatio: median(ratios),
      minRatio: Math.min(...ratios),
      maxRatio: Math.max(...ratios),
      medianCpuPerUnit: median(runs.map(reading.cpuPerUnit)),
      medianCpuRatio: median(cpuRatios),
    };
  });
}

/** A unit for a whole column, named in its title (MB/s), or one per row, named in each cell (items/s on one, MB/s on the next). */
export type UnitOf<Row> = string | ((row: Row) => string);

export interface SummaryUnits<Row> {
  readonly rate: UnitOf<Row>;
  readonly cpu: UnitOf<Row>;
  /** Decimals of CPU per unit. */
  readonly cpuDigits: number;
}

/**
 * The summary table's columns from the server's label on: median and range of the rate, median and
 * range of the ratios against raw, CPU per unit and its ratio. Raw's own row says 1.000 and —.
 */
export function summaryColumns<Row extends ServerSummary & { readonly label: string }>(units: SummaryUnits<Row>): Column<Row>[] {
  const inTitle = (unit: UnitOf<Row>) => (typeof unit === 'string' ? ` ${unit}` : '');
  const inCell = (unit: UnitOf<Row>, row: Row) => (typeof unit === 'string' ? '' : ` ${unit(row)}`);
  const isRaw = (row: Row) => row.server === baseline;
  return [
    { title: 'server', cell: (s) => s.label },
    { title: `median ${typeof units.rate === 'string' ? units.rate : 'rate'}`, numeric: true, cell: (s) => `${formatNumber(s.medianRate)}${inCell(units.rate, s)}` },
    { title: `min–max${inTitle(units.rate)}`, numeric: true, cell: (s) => `${formatNumber(s.minRate)}–${formatNumber(s.maxRate)}` },
    { title: `×raw${inTitle(units.rate)} (median of rounds)`, numeric: true, cell: (s) => (isRaw(s) ? '1.000' : formatNumber(s.medianRatio, 3)) },
    { title: '×raw min–max', numeric: true, cell: (s) => (isRaw(s) ? '—' : `${formatNumber(s.minRatio, 3)}–${formatNumber(s.maxRatio, 3)}`) },
    {
      title: `server CPU ${typeof units.cpu === 'string' ? units.cpu : 'per unit'}`,
      numeric: true,
      cell: (s) => `${formatNumber(s.medianCpuPerUnit, units.cpuDigits)}${inCell(units.cpu, s)}`,
    },
    { title: `×raw by CPU${inTitle(units.cpu)}`, numeric: true, cell: (s) => (isRaw(s) ? '1.000' : formatNumber(s.medianCpuRatio, 3)) },
  ];
}

/** For each server but raw whose scenario has a bar: `<scenario> <server>/raw = 0.950 (bar ≥ 0.9: met)`, after a blank line. */
export function printRatioBars<Row extends ServerSummary & { readonly scenario: string }>(rows: readonly Row[], barOf: (row: Row) => number | undefined): void {
  const lines: string[] = [];
  for (const row of rows) {
    const bar = barOf(row);
    if (row.server === baseline || bar === undefined) continue;
    lines.push(`${row.scenario} ${row.server}/raw = ${formatNumber(row.medianRatio, 3)} (bar ≥ ${bar}: ${verdict(row.medianRatio >= bar)})`);
  }
  if (lines.length > 0) console.log(`\n${lines.join('\n')}`);
}
