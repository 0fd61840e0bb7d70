import { at, checkCount, enterNested, fail, isCollecting, leaveNested, nested, within, type DecodeLimits } from './codec-context.js';

/**
 * Json and JsonObject values are passed through, but still walked: on input for the nesting and
 * size limits (a parsed body can be arbitrarily deep), on output because JSON.stringify would
 * quietly turn NaN and Infinity into null.
 */
export function walkJson(value: unknown, limits: DecodeLimits, onOutput: boolean): unknown {
  if (typeof value !== 'object' || value === null) {
    if (onOutput && typeof value === 'number' && !Number.isFinite(value)) fail('a finite number', value);
    return value;
  }
  if (isCollecting()) return nested(limits, () => walkMembers(value, limits, onOutput));
  // What nested() and at() do, inline: no closures per container and per member on the common path.
  enterNested(limits);
  try {
    if (Array.isArray(value)) {
      checkCount(value.length, limits);
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (typeof item === 'object' || (onOutput && typeof item === 'number')) {
          try {
            walkJson(item, limits, onOutput);
          } catch (error) {
            throw within(error, i);
          }
        }
      }
    } else {
      const record = value as Record<string, unknown>;
      // An object's keys count against maxItems as a record's do.
      const keys = Object.keys(record);
      checkCount(keys.length, limits);
      for (const key of keys) {
        const item = record[key];
        if (typeof item === 'object' || (onOutput && typeof item === 'number')) {
          try {
            walkJson(item, limits, onOutput);
          } catch (error) {
            throw within(error, key);
          }
        }
      }
    }
  } finally {
    leaveNested();
  }
  return value;
}

/** The members of a container, while collecting every problem (at() records and goes on). */
function walkMembers(value: object, limits: DecodeLimits, onOutput: boolean): unknown {
  if (Array.isArray(value)) {
    checkCount(value.length, limits);
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (typeof item === 'object' || (onOutput && typeof item === 'number')) at(i, () => walkJson(item, limits, onOutput));
    }
  } else {
    const record = value as Record<string, unknown>;
    // An object's keys count against maxItems as a record's do.
    const keys = Object.keys(record);
    checkCount(keys.length, limits);
    for (const key of keys) {
      const item = record[key];
      if (typeof item === 'object' || (onOutput && typeof item === 'number')) at(key, () => walkJson(item, limits, onOutput));
    }
  }
  return value;
}
