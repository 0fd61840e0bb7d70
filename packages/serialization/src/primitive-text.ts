import type { Descriptor } from './descriptor.js';
import { type TypeNode, typeNodeOf } from './type-node.js';
import { codecFor } from './codec.js';
import { type DecodeLimits, defaultDecodeLimits } from './decode-limits.js';
import { decodeIsoDate } from './iso-date.js';
import { unwrapAbsentable } from './absentable.js';
import { refuse } from './serialization-error.js';

/**
 * A primitive value written as text and read back: in a URL (a path segment or a query value)
 * and as the key of a mapOf(…) object, which are one and the same text form.
 */
export interface TextCodec {
  /** Value → text; throws a SerializationError if the value does not fit. */
  format(value: unknown): string;
  /** Text → value; throws a SerializationError naming what was expected. */
  parse(text: string): unknown;
}

// The reference writes Python's str(True): 'True'/'False', in URLs and as dict keys, and reads
// only those. JavaScript writes 'true'/'false' (String(true), or an object key made from a
// boolean); HTML forms send '1'/'0'. Marshal writes the reference's form and reads all three.
const trueTexts = new Set(['True', 'true', '1']);
const falseTexts = new Set(['False', 'false', '0']);
// Plain decimals only: Number() also reads '', ' 1', '0x1f' and 'Infinity', which would give one
// number several texts. Python's str(float) (`1.0`, `1e-07`) is a plain decimal.
const decimalPattern = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The text codec of a primitive type: String, Number, Int, Boolean, Date or an enum, constrained or
 * not. optional(…) and nullable(…) are looked through: a query parameter's text is the value itself.
 * Throws a TypeError for any other type.
 */
export function textCodecFor(type: Descriptor | TypeNode, limits: DecodeLimits = defaultDecodeLimits): TextCodec {
  const node = unwrapAbsentable(typeNodeOf(type));
  const codec = primitiveTextCodec(node, limits);
  if (codec === undefined) throw new TypeError(`no text form for ${node.kind}: only String, Number, Int, Boolean, Date and enums have one`);
  return codec;
}

/** The text codec of a node of a primitive kind, or undefined for a node of any other kind (optional(…) included). */
export function primitiveTextCodec(node: TypeNode, limits: DecodeLimits = defaultDecodeLimits): TextCodec | undefined {
  const json = codecFor(node, limits);
  switch (node.kind) {
    case 'string':
      // decode: a string's constraints (length, pattern) apply to its text too.
      return { format: (v) => json.encode(v) as string, parse: (text) => json.decode(text) };
    case 'boolean':
      return {
        format: (v) => (json.encode(v) ? 'True' : 'False'),
        parse: (text) => {
          if (trueTexts.has(text)) return true;
          if (falseTexts.has(text)) return false;
          return refuse('True/true/1 or False/false/0', text);
        },
      };
    case 'number':
    case 'int':
      return {
        format: (v) => String(json.encode(v)),
        parse: (text) => {
          if (!decimalPattern.test(text)) refuse(node.kind === 'int' ? 'an integer' : 'a number', text);
          return json.decode(Number(text));
        },
      };
    case 'date':
      return { format: (v) => json.encode(v) as string, parse: decodeIsoDate };
    case 'enum':
      return {
        format: (v) => String(json.encode(v)),
        parse: (text) => node.fromText.get(text) ?? json.decode(text),
      };
    default:
      return undefined;
  }
}
