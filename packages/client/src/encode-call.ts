import type { CompiledEndpoint, ParamModel } from '@marshal/core/internal';
import { SerializationError } from '@marshal/serialization/internal';
import { uploadPartOf } from './file-argument.js';
import type { UploadBody, UploadPart } from './transport/transport.js';
import { knownLength } from './transport/upload-chunks.js';

/** One call as HTTP: what a transport sends. */
export interface EncodedCall {
  readonly method: 'GET' | 'POST';
  /** Path and query, to append to the base URL's path. */
  readonly path: string;
  /** JSON text; a file, byte stream or multipart upload; or undefined for no body. */
  readonly body: string | UploadBody | undefined;
}

/**
 * Arguments → method, URL and body, by the compiled endpoint the server decodes with: no body, a
 * JSON object, one file's raw bytes, one byte stream, or multipart (a `json_arguments` part and
 * one part per file). An argument that does not fit its type is a TypeError naming it, thrown
 * before anything is sent; file arguments are checked for their form here and read only while
 * they are sent.
 */
export function encodeCall(endpoint: CompiledEndpoint, args: readonly unknown[]): EncodedCall {
  const path = encodeUrl(endpoint, args);
  let body: string | UploadBody | undefined;
  switch (endpoint.bodyKind) {
    case 'none':
      break;
    case 'json':
      body = JSON.stringify(jsonValues(endpoint, args));
      break;
    case 'file':
      body = rawUpload(endpoint, endpoint.fileParams[0], args);
      break;
    case 'byte-stream':
      body = rawUpload(endpoint, endpoint.streamParam!, args);
      break;
    case 'multipart':
      body = multipartUpload(endpoint, args);
      break;
  }
  return { method: endpoint.model.httpMethod, path, body };
}

/**
 * The path and query of a call (to append to the base URL's path), for HTTP and WebSocket calls
 * alike: the route, each path parameter as a segment, the query parameters that are not absent.
 */
export function encodeUrl(endpoint: CompiledEndpoint, args: readonly unknown[]): string {
  let path = endpoint.model.route;
  for (const { param, text } of endpoint.pathParams) {
    const value = args[param.index];
    if (value === undefined || value === null) throw argumentError(endpoint, param, 'is required');
    const segment = encodeArg(endpoint, param, () => text.format(value));
    // An empty segment reads as a missing one (or a trailing slash) on the server.
    if (segment === '') throw argumentError(endpoint, param, 'is an empty string, which a URL path cannot carry; declare the endpoint with forceJsonParams');
    path += `/${encodeURIComponent(segment)}`;
  }
  let separator = '?';
  for (const { param, text } of endpoint.queryParams) {
    const value = args[param.index];
    // Absent and null are both left out; the server hands the implementation undefined (or null for nullable()).
    if (value === undefined || value === null) continue;
    path += `${separator}${param.name}=${encodeURIComponent(encodeArg(endpoint, param, () => text.format(value)))}`;
    separator = '&';
  }
  return path;
}

/** The JSON parameters keyed by name, absent optional ones left out: a JSON body, `json_arguments`, a WebSocket `args` frame. */
export function jsonValues(endpoint: CompiledEndpoint, args: readonly unknown[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const { param, codec } of endpoint.jsonParams) {
    const value = args[param.index];
    if (value === undefined && param.optional) continue;
    values[param.name] = encodeArg(endpoint, param, () => codec.encode(value));
  }
  return values;
}

const octetStream = 'application/octet-stream';
const noBytes = new Uint8Array(0);

/** A body that is one file's or one stream's raw bytes. An absent optional file is an empty body, the only absence this body shape has. */
function rawUpload(endpoint: CompiledEndpoint, param: ParamModel, args: readonly unknown[]): UploadBody {
  const part = fileArgument(endpoint, param, args[param.index]) ?? noBytes;
  return { contentType: octetStream, parts: [part], length: knownLength([part]) };
}

/**
 * multipart/form-data as the reference's client writes it: the JSON parameters in a
 * `json_arguments` part (left out when there are none to send), then one part per file parameter
 * in declaration order, named after it, with the parameter's name as filename; absent optional
 * files are left out.
 */
function multipartUpload(endpoint: CompiledEndpoint, args: readonly unknown[]): UploadBody {
  const boundary = `marshal-${randomHex()}`;
  const parts: UploadPart[] = [];
  let text = '';
  const values = jsonValues(endpoint, args);
  if (Object.keys(values).length > 0) {
    text += `--${boundary}\r\nContent-Disposition: form-data; name="json_arguments"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(values)}\r\n`;
  }
  for (const param of endpoint.fileParams) {
    const part = fileArgument(endpoint, param, args[param.index]);
    if (part === undefined) continue;
    const name = partName(param.name);
    text += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}"\r\nContent-Type: ${octetStream}\r\n\r\n`;
    parts.push(utf8.encode(text), part);
    text = '\r\n';
  }
  parts.push(utf8.encode(`${text}--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, parts, length: knownLength(parts) };
}

const utf8 = new TextEncoder();

/**
 * A `Bytes` or `stream(Bytes)` argument as an upload part, or undefined for an absent optional
 * one; a TypeError naming the parameter when a required one is absent or the value is not a file.
 */
export function fileArgument(endpoint: CompiledEndpoint, param: ParamModel, value: unknown): UploadPart | undefined {
  if (value === undefined || value === null) {
    if (!param.optional) throw argumentError(endpoint, param, 'is required');
    return undefined;
  }
  const part = uploadPartOf(value);
  if (part === undefined) {
    throw argumentError(endpoint, param, `is ${describe(value)}, not a file: give a Uint8Array, a Blob, a Readable, an AsyncIterable<Uint8Array> or fileFrom(path)`);
  }
  return part;
}

/** A part name as a form field name is written: quotes and line breaks percent-encoded (WHATWG). */
function partName(name: string): string {
  return name.replace(/["\r\n]/g, (c) => encodeURIComponent(c));
}

function randomHex(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

export function describe(value: unknown): string {
  if (typeof value !== 'object') return `a ${typeof value}`;
  return `a ${(value as object).constructor?.name ?? 'object'}`;
}

function encodeArg<T>(endpoint: CompiledEndpoint, param: ParamModel, encode: () => T): T {
  try {
    return encode();
  } catch (error) {
    if (error instanceof SerializationError) throw argumentError(endpoint, param, error.message);
    throw error;
  }
}

/** `IMyService.select: argument 'id' is required`, or `… does not fit its type: …`. */
export function argumentError(endpoint: CompiledEndpoint, param: ParamModel, problem: string): TypeError {
  return new TypeError(`${endpoint.label}: argument '${param.name}' ${problem.startsWith('is ') ? problem : `does not fit its type: ${problem}`}`);
}
