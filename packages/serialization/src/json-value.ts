import { at, checkCount, fail, nested, type DecodeLimits } from './codec-context.js';

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
  return nested(limits, () => {
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
  });
}
