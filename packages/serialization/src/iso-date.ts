import { refuse } from './serialization-error.js';

// ISO-8601 calendar date, optionally with a time, fraction and offset (Python's isoformat() output included).
const isoDatePattern = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;
const hasOffset = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Parses an ISO-8601 date or date-time. A date-time without an offset is read as UTC (JavaScript
 * would read it as local time, which makes the result depend on the server's time zone).
 */
export function decodeIsoDate(text: string): Date {
  if (canonicalPattern.test(text)) {
    const date = canonicalDate(text);
    if (date !== undefined) return date;
  }
  if (!isoDatePattern.test(text)) refuse('an ISO-8601 date string', text, JSON.stringify(text.slice(0, 40)));
  // A lower-case t too: without an upper-case T the naive check below misses it and Date reads local time.
  let normalized = text.replace(/[ t]/, 'T');
  // Fractions beyond milliseconds (Python writes microseconds) are cut: Date keeps milliseconds.
  normalized = normalized.replace(/(\.\d{3})\d+/, '$1');
  normalized = normalized.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  if (normalized.includes('T') && !hasOffset.test(normalized)) normalized += 'Z';
  const date = new Date(normalized);
  // Date rolls day 29..31 over into the next month (2024-02-30 → March 1st); ISO-8601 has no such day.
  if (Number.isNaN(date.getTime()) || !isCalendarDay(text)) refuse('a valid date', text, JSON.stringify(text));
  return date;
}

const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// What Date#toISOString writes, and so what Marshal itself sends: read without the normalizing
// replaces and the string parse. Only plainly valid values take this path; anything else (a
// two-digit-century year, which Date.UTC would read as 19xx, 24:00, a day that does not exist)
// goes the general way, so the result is the same either way.
const canonicalPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function canonicalDate(text: string): Date | undefined {
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 100 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  if (day > daysIn(year, month)) return undefined;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, digits(text, 20, 3)));
}

/** The decimal number in `length` ASCII digits of `text` from `start` (already checked to be digits). */
function digits(text: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i++) value = value * 10 + text.charCodeAt(i) - 48;
  return value;
}

/** Whether the text's YYYY-MM-DD names a day that exists (months 1..12, leap years counted). */
function isCalendarDay(text: string): boolean {
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysIn(year, month);
}

/** The number of days in a month (1..12) of a year, leap years counted. */
function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : daysInMonth[month - 1];
}
