import { type Descriptor, toTypeNode } from '@marshal/serialization/internal';
import type { EndpointModel } from '../contract/service-model.js';

/** Why an endpoint cannot be served or called, and the parameter that is the cause, if one is. */
export interface Untransportable {
  readonly parameter?: string;
  readonly reason: string;
}

/**
 * What Marshal cannot carry for an endpoint, or undefined when everything travels. The one place that says so: the server and the client refuse such an endpoint when
 * they are built, and the OpenAPI document lists it as unserved.
 */
export function untransportable(model: EndpointModel): Untransportable | undefined {
  const stream = model.streamParam;
  if (model.transport === 'http' && stream !== undefined && !isByteStream(stream.descriptor)) {
    return { parameter: stream.name, reason: 'over HTTP a stream parameter carries bytes (stream(Bytes)); a stream of values needs @websocket' };
  }
  return undefined;
}

export function isByteStream(descriptor: Descriptor): boolean {
  const node = toTypeNode(descriptor);
  return node.kind === 'stream' && node.item.kind === 'bytes';
}
