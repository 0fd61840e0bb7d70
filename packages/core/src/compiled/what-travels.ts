import type { EndpointModel } from '../contract/service-model.js';

/** Why an endpoint cannot be served or called yet, and the parameter that is the cause, if one is. */
export interface Untransportable {
  readonly parameter?: string;
  readonly reason: string;
}

/**
 * What this version of Marshal cannot carry for an endpoint, or undefined when everything
 * travels. The one place that says so: the server and the client refuse such an endpoint when
 * they are built, and the OpenAPI document lists it as unserved.
 */
export function untransportable(model: EndpointModel): Untransportable | undefined {
  if (model.transport !== 'http') return { reason: 'WebSocket endpoints are not served by this version yet' };
  const param = model.fileParams[0] ?? model.streamParam;
  if (param !== undefined) return { parameter: param.name, reason: 'file and stream parameters are not served by this version yet' };
  if (model.resultKind !== 'json') return { reason: `${model.resultKind} results are not served by this version yet` };
  return undefined;
}
