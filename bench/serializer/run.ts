/**
 * Marshal's codec against class-transformer on the same object graph (see README.md and model.ts):
 *
 *   pnpm --filter @marshal/bench serializer -- --rounds 5 --duration 1
 *
 * encode: a Project instance graph → a JSON-ready plain object (codec.encode / instanceToPlain);
 * decode: the JSON.parse'd output of that library's own encode → class instances
 *         (codec.decode / plainToInstance).
 * JSON.stringify and JSON.parse are outside the timed loops; with --text they are inside (encode ends
 * with JSON.stringify, decode starts from the JSON text), for an end-to-end view.
 *
 * Both libraries are checked before anything is timed: the graph must round-trip through each to a
 * deep-equal copy (prototypes, Dates and subclasses included), twice from the same parsed JSON, and
 * both must put the same data on the wire apart from their polymorphism tags.
 *
 * Each round times marshal and class-transformer back to back for each direction, alternating which
 * goes first, every measurement a fixed time; the summary gives median ops/s over the rounds and
 * the median of the per-round ratios marshal / class-transformer.
 */
import assert from 'node:assert/strict';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { instanceToPlain, plainToInstance } from 'class-transformer';
import { codecFor } from '@marshal/serialization';
import { formatNumber } from '../report.js';
import { median } from '../summary.js';
import { Attachment, FileAttachment, ImageAttachment, LinkAttachment, Project, buildProject, countInstances } from './model.js';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    duration: { type: 'string', default: '1' },
    warmup: { type: 'string', default: '1' },
    tasks: { type: 'string', default: '300' },
    'check-only': { type: 'boolean', default: false },
    text: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const rounds = positive('rounds', Number(args.rounds), true);
const duration = positive('duration', Number(args.duration));
const warmup = Number(args.warmup);
const tasks = positive('tasks', Number(args.tasks), true);

function positive(name: string, value: number, integer = false): number {
  if (!(value > 0) || (integer && !Number.isInteger(value))) throw new Error(`--${name} must be a positive ${integer ? 'integer' : 'number'}`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// The four operations.

const codec = codecFor(Project);
const marshalEncode = (project: Project) => codec.encode(project);
const marshalDecode = (json: unknown) => codec.decode(json);
const ctEncode = (project: Project) => instanceToPlain(project);
const ctDecode = (json: unknown) => plainToInstance(Project, json as Record<string, unknown>);

const roundTrip = (encode: (p: Project) => unknown, project: Project): unknown => JSON.parse(JSON.stringify(encode(project)));

// ---------------------------------------------------------------------------------------------
// Checks: fail loudly before measuring anything.

const subclassOf = (task: number) => [FileAttachment, ImageAttachment, LinkAttachment][task % 3];

function checkInstances(decoded: unknown, library: string): void {
  assert.ok(decoded instanceof Project, `${library}: the root is not a Project`);
  assert.ok(decoded.createdAt instanceof Date, `${library}: Project.createdAt is not a Date`);
  assert.equal(decoded.tasks.length, tasks, `${library}: wrong number of tasks`);
  decoded.tasks.forEach((task, i) => {
    const where = `${library}: tasks[${i}]`;
    assert.ok(task.createdAt instanceof Date, `${where}.createdAt is not a Date`);
    assert.ok(i % 2 !== 0 || task.dueAt instanceof Date, `${where}.dueAt is not a Date`);
    assert.ok(task.attachment instanceof Attachment, `${where}.attachment is not an Attachment`);
    assert.equal(task.attachment.constructor, subclassOf(i), `${where}.attachment is a ${task.attachment.constructor.name}, not a ${subclassOf(i).name}`);
    assert.ok(task.attachment.addedAt instanceof Date, `${where}.attachment.addedAt is not a Date`);
    for (const comment of task.comments) assert.ok(comment.createdAt instanceof Date, `${where}: a comment's createdAt is not a Date`);
  });
}

/** The wire data without either library's polymorphism tags. */
function untagged(json: unknown): unknown {
  if (Array.isArray(json)) return json.map(untagged);
  if (typeof json !== 'object' || json === null) return json;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) if (key !== '@type' && key !== '@subtype' && key !== '__type') out[key] = untagged(value);
  return out;
}

function check(): { marshalJson: unknown; ctJson: unknown } {
  const expected = buildProject({ tasks });

  const marshalJson = roundTrip(marshalEncode, buildProject({ tasks }));
  for (const pass of [1, 2]) {
    const decoded = marshalDecode(marshalJson);
    checkInstances(decoded, 'marshal');
    assert.deepStrictEqual(decoded, expected, `marshal: decode #${pass} is not the original graph`);
  }
  const attachmentJson = (marshalJson as { tasks: Record<string, unknown>[] }).tasks.map((task) => task.attachment as Record<string, unknown>);
  attachmentJson.forEach((json, i) => assert.equal(json['@subtype'], subclassOf(i).name, `marshal: tasks[${i}].attachment has no @subtype tag`));

  const ctJson = roundTrip(ctEncode, buildProject({ tasks }));
  // keepDiscriminatorProperty leaves the tag on the decoded instances (instanceToPlain writes it onto the originals too).
  const expectedCt = buildProject({ tasks });
  for (const task of expectedCt.tasks) Object.assign(task.attachment, { __type: task.attachment.constructor.name });
  for (const pass of [1, 2]) {
    const decoded = ctDecode(ctJson);
    checkInstances(decoded, 'class-transformer');
    assert.deepStrictEqual(decoded, expectedCt, `class-transformer: decode #${pass} is not the original graph`);
  }

  assert.deepStrictEqual(untagged(marshalJson), untagged(ctJson), 'the two libraries put different data on the wire');
  return { marshalJson, ctJson };
}

// ---------------------------------------------------------------------------------------------
// Measurement.

const gc = (globalThis as { gc?: () => void }).gc;
let sink: unknown;

/** The lowest share of a measurement's wall time this process had the CPU (all its threads), over all measurements. */
let lowestCpuShare = Infinity;

/** Runs `op` for `seconds`, checking the clock after every call; returns calls per second. */
function measure(op: () => unknown, seconds: number): number {
  gc?.();
  const budget = BigInt(Math.round(seconds * 1e9));
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  let now = start;
  let ops = 0;
  do {
    sink = op();
    ops++;
    now = process.hrtime.bigint();
  } while (now - start < budget);
  const used = process.cpuUsage(cpu);
  lowestCpuShare = Math.min(lowestCpuShare, ((used.user + used.system) * 1000) / Number(now - start));
  return (ops * 1e9) / Number(now - start);
}

type Name = 'marshal encode' | 'class-transformer encode' | 'marshal decode' | 'class-transformer decode';


function main(): void {
  const { marshalJson, ctJson } = check();
  const instances = countInstances(buildProject({ tasks }));
  const bytes = (json: unknown) => Buffer.byteLength(JSON.stringify(json));
  console.log(
    `graph: 1 Project, ${tasks} tasks, ${instances} DTO instances; JSON ${formatNumber(bytes(marshalJson))} bytes (marshal), ${formatNumber(bytes(ctJson))} bytes (class-transformer)`,
  );
  console.log('checks passed: both libraries round-trip the graph (deep equality, subclasses, Dates), and write the same data');
  if (args['check-only']) return;

  // Separate but identical graphs: instanceToPlain writes `__type` onto the attachments it encodes.
  const marshalGraph = buildProject({ tasks });
  const ctGraph = buildProject({ tasks });
  const marshalText = JSON.stringify(marshalJson);
  const ctText = JSON.stringify(ctJson);
  const ops: Record<Name, () => unknown> = args.text
    ? {
        'marshal encode': () => JSON.stringify(marshalEncode(marshalGraph)),
        'class-transformer encode': () => JSON.stringify(ctEncode(ctGraph)),
        'marshal decode': () => marshalDecode(JSON.parse(marshalText)),
        'class-transformer decode': () => ctDecode(JSON.parse(ctText)),
      }
    : {
        'marshal encode': () => marshalEncode(marshalGraph),
        'class-transformer encode': () => ctEncode(ctGraph),
        'marshal decode': () => marshalDecode(marshalJson),
        'class-transformer decode': () => ctDecode(ctJson),
      };
  const names = Object.keys(ops) as Name[];

  console.log(
    `node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}; ${rounds} rounds × ${duration} s per measurement` +
      `${gc ? ', gc() before each' : ''}; warm-up ${warmup} s each` +
      (args.text ? '; --text: JSON.stringify / JSON.parse inside the timed loops' : ''),
  );
  if (warmup > 0) for (const name of names) measure(ops[name], warmup);
  lowestCpuShare = Infinity;

  const results: Record<Name, number[]> = Object.fromEntries(names.map((name) => [name, []])) as unknown as Record<Name, number[]>;
  const ratios = { encode: [] as number[], decode: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    for (const direction of ['encode', 'decode'] as const) {
      const pair: Name[] = [`marshal ${direction}`, `class-transformer ${direction}`];
      if (round % 2 === 1) pair.reverse();
      const rate = {} as Record<Name, number>;
      for (const name of pair) results[name].push((rate[name] = measure(ops[name], duration)));
      ratios[direction].push(rate[`marshal ${direction}`] / rate[`class-transformer ${direction}`]);
    }
    console.log(
      `round ${round + 1}: ` +
        names.map((name) => `${name} ${formatNumber(results[name][round])}/s`).join(', ') +
        `; ratio encode ${ratios.encode[round].toFixed(2)}×, decode ${ratios.decode[round].toFixed(2)}×` +
        `; lowest CPU share so far ${(lowestCpuShare * 100).toFixed(0)}%`,
    );
  }
  void sink;

  console.log('\nmedians over rounds (ops/s = whole Project graphs per second):\n');
  console.log('| operation | median ops/s | min–max ops/s | median ms/op |');
  console.log('|---|---:|---:|---:|');
  for (const name of names) {
    const values = results[name];
    console.log(`| ${name} | ${formatNumber(median(values))} | ${formatNumber(Math.min(...values))}–${formatNumber(Math.max(...values))} | ${(1000 / median(values)).toFixed(3)} |`);
  }
  console.log('\n| ratio marshal / class-transformer | median | min–max | bar (≥ 3×) |');
  console.log('|---|---:|---:|---|');
  for (const direction of ['encode', 'decode'] as const) {
    const values = ratios[direction];
    const m = median(values);
    console.log(`| ${direction} | ${m.toFixed(2)}× | ${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}× | ${m >= 3 ? 'met' : 'NOT met'} |`);
  }
  // Below ~90% the process was waiting for a core during some measurement: another process was busy.
  console.log(
    `\nlowest CPU share of a measurement: ${(lowestCpuShare * 100).toFixed(0)}% of wall time` +
      (lowestCpuShare < 0.9 ? ' (the machine was busy: compare the per-round ratios, or run again)' : ''),
  );
  if (args.json) {
    const summary = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, rounds, duration, tasks, text: args.text, lowestCpuShare };
    console.log(JSON.stringify({ ...summary, results, ratios }));
  }
}

main();
