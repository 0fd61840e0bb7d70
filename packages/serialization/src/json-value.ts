import { checkEntryCount, enterContainer, leaveContainer, type DecodeLimits } from './decode-limits.js';
import { atMember, isCollecting } from './issue-collector.js';
import { checkKey } from './collection-codecs.js';
import { type PathSegment, prefixPath, refuse } from './serialization-error.js';

/**
 * Json and JsonObject values are passed through, but still walked: on input for the nesting and
 * size limits, on output because JSON.stringify would silently turn NaN and ±Infinity into null,
 * and both ways for the keys `__proto__`, `constructor` and `prototype`, which are refused as in
 * records (forbiddenKeys): an implementation that copies such a value's keys onto an object
 * cannot reach a prototype. Only containers (and, on output, numbers) are visited.
 */
export function walkJson(value: unknown, limits: DecodeLimits, onOutput: boolean): unknown {
  if (typeof value !== 'object' || value === null) {
    if (onOutput && typeof value === 'number' && !Number.isFinite(value)) refuse('a finite number', value);
    return value;
  }
  enterContainer(limits);
  try {
    walkMembers(value, limits, onOutput, isCollecting() ? visitRecording : visitMember);
  } finally {
    leaveContainer();
  }
  return value;
}

type Visit = (item: unknown, key: PathSegment, limits: DecodeLimits, onOutput: boolean) => void;

function walkMembers(value: object, limits: DecodeLimits, onOutput: boolean, visit: Visit): void {
  if (Array.isArray(value)) {
    checkEntryCount(value.length, limits);
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (typeof item === 'object' || (onOutput && typeof item === 'number')) visit(item, i, limits, onOutput);
    }
    return;
  }
  const record = value as Record<string, unknown>;
  // An object's keys count against maxItems as a record's do. for…in rather than Object.keys: no
  // array per object. Parsed JSON has only own keys, and Object.prototype has no enumerable ones.
  let count = 0;
  for (const key in record) {
    if (++count > limits.maxItems) checkEntryCount(Object.keys(record).length, limits);
    // Three comparisons rather than a Set lookup per key: the walk is on every call's path.
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') checkKey(key);
    const item = record[key];
    if (typeof item === 'object' || (onOutput && typeof item === 'number')) visit(item, key, limits, onOutput);
  }
}

/** The common path: no closure per member; the member's key is added to an error on its way up. */
function visitMember(item: unknown, key: PathSegment, limits: DecodeLimits, onOutput: boolean): void {
  try {
    walkJson(item, limits, onOutput);
  } catch (error) {
    throw prefixPath(error, key);
  }
}

/** While collecting every problem: atMember() records the member's problem and goes on. */
function visitRecording(item: unknown, key: PathSegment, limits: DecodeLimits, onOutput: boolean): void {
  atMember(key, () => walkJson(item, limits, onOutput));
}
