import { SerializationError } from './serialization-error.js';

// ISO-8601 calendar date, optionally with a time, fraction and offset (Python's isoformat() output included).
const isoDatePattern = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;
const hasOffset = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Parses an ISO-8601 date or date-time. A date-time without an offset is read as UTC (JavaScript
 * would read it as local time, which makes the result depend on the server's time zone).
 */
export function decodeIsoDate(text: string): Date {
  if (!isoDatePattern.test(text)) throw new SerializationError(`expected an ISO-8601 date string, got ${JSON.stringify(text.slice(0, 40))}`);
  let normalized = text.replace(' ', 'T');
  // Fractions beyond milliseconds (Python writes microseconds) are cut: Date keeps milliseconds.
  normalized = normalized.replace(/(\.\d{3})\d+/, '$1');
  normalized = normalized.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  if (normalized.includes('T') && !hasOffset.test(normalized)) normalized += 'Z';
  const date = new Date(normalized);
  if (Number.isNaN(date.getTime())) throw new SerializationError(`expected a valid date, got ${JSON.stringify(text)}`);
  return date;
}
