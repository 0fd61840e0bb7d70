import { type Descriptor, type TypeNode, SerializationError, codecFor, decodeIsoDate, describeValue, toTypeNode } from '@marshal/serialization';

/** A primitive parameter written as URL text (path segment or query value) and read back. */
export interface TextCodec {
  /** Value → text; throws a SerializationError if the value does not fit. */
  format(value: unknown): string;
  /** Text → value; throws a SerializationError naming what was expected. */
  parse(text: string): unknown;
}

// The reference's Python client writes True/False; JavaScript callers write true/false; 1/0 from forms.
const trueTexts = new Set(['True', 'true', '1']);
const falseTexts = new Set(['False', 'false', '0']);
// Number() also reads '', ' ', '0x1f' and '1e3'; URL numbers are plain decimals.
const decimalPattern = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function unwrap(node: TypeNode): TypeNode {
  return node.kind === 'optional' || node.kind === 'nullable' ? node.item : node;
}

/** The text codec of a primitive descriptor (optional/nullable wrappers are looked through). */
export function textCodecFor(descriptor: Descriptor): TextCodec {
  const node = unwrap(toTypeNode(descriptor));
  const json = codecFor(node);
  switch (node.kind) {
    case 'string':
      // decode: a string's constraints (length, pattern) apply in the URL too.
      return { format: (v) => json.encode(v) as string, parse: (text) => json.decode(text) };
    case 'boolean':
      return {
        format: (v) => (json.encode(v) ? 'True' : 'False'),
        parse: (text) => {
          if (trueTexts.has(text)) return true;
          if (falseTexts.has(text)) return false;
          throw new SerializationError(`expected True/true/1 or False/false/0, got ${describeValue(text)}`);
        },
      };
    case 'number':
    case 'int':
      return {
        format: (v) => String(json.encode(v)),
        parse: (text) => {
          if (!decimalPattern.test(text)) throw new SerializationError(`expected ${node.kind === 'int' ? 'an integer' : 'a number'}, got ${describeValue(text)}`);
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
      throw new TypeError(`a ${node.kind} cannot be written in a URL`);
  }
}
