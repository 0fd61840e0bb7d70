/**
 * How the benchmark runners write what they measured: numbers, markdown tables (pasted into
 * README.md as they are), the machine they ran on, and the JSON file of --json.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';

/** With thousands separators and `digits` decimals; n/a for NaN (a figure the machine could not give, such as CPU time without /proc). */
export function formatNumber(value: number, digits = 0): string {
  return Number.isNaN(value) ? 'n/a' : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** `part` as a whole percentage of `whole`: a process's CPU seconds over wall seconds. */
export function formatPercent(part: number, whole: number): string {
  return `${formatNumber((100 * part) / whole)}%`;
}

/** A size in MiB, or in GiB when it is a whole number of them (1 GiB rather than 1024 MiB). */
export function formatMiB(bytes: number): string {
  return bytes % 1024 ** 3 === 0 ? `${bytes / 1024 ** 3} GiB` : `${bytes / 1024 ** 2} MiB`;
}

/** `met` or `MISSED`, after a bar's figure. */
export function verdict(met: boolean): string {
  return met ? 'met' : 'MISSED';
}

export interface Column<Row> {
  readonly title: string;
  /** Right-aligned, as numbers are. */
  readonly numeric?: boolean;
  readonly cell: (row: Row) => string;
}

/** A markdown table, one line per row, after a blank line. */
export function printTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): void {
  console.log(`\n| ${columns.map((column) => column.title).join(' | ')} |`);
  console.log(`|${columns.map((column) => (column.numeric ? '---:' : '---')).join('|')}|`);
  for (const row of rows) console.log(`| ${columns.map((column) => column.cell(row)).join(' | ')} |`);
}

const machine = { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model.trim() };

/** The line under a run's title: node, the CPUs, and how busy the machine was as the run began. */
export function describeMachine(): string {
  return `node ${machine.node}, ${machine.cpus} × ${machine.cpu}, load average ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}`;
}

/** Writes `results` (options, measurements, summary…) to `file` as JSON, with the date and the machine. */
export function writeResults(file: string, results: Readonly<Record<string, unknown>>): void {
  writeFileSync(resolve(file), `${JSON.stringify({ date: new Date().toISOString(), ...machine, ...results }, null, 2)}\n`);
}
