import { type ScopedMiddleware, bearerAuth, forService } from '@marshal/server';
import { ITelemetry } from './contract.js';

/** Who sends usage events: the device or daemon an ingest key was issued to. */
export interface IngestClient {
  readonly id: string;
}

/**
 * The telemetry service's guard: ingesting needs `Authorization: Bearer <ingest key>`, as the
 * SDKs of such services send it; `usage` is public. Keys map to the client they were issued to,
 * which logs and implementations read as `call.principal`.
 */
export function ingestKeys(keys: Readonly<Record<string, IngestClient>>): ScopedMiddleware {
  return forService(ITelemetry, bearerAuth({ tokens: keys, realm: 'telemetry' }));
}

/** The key `pnpm run serve:examples` and the demo use, unless TELEMETRY_INGEST_KEY says another. */
export const demoIngestKey = process.env.TELEMETRY_INGEST_KEY ?? 'demo-ingest-key';
