/**
 * (b) Fastify 5: one route, the default JSON body parser, the default query-string parser, and the
 * default serializer (JSON.stringify) — no schemas, unless started with `--schema`, which adds a
 * response schema (fast-json-stringify) and a querystring schema, the idiomatic Fastify setup.
 * Logging is off (the Fastify default).
 */
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import { BadRequest, announce, bodyLimit, parseBoolean, select } from './select.js';

const withSchema = process.argv.includes('--schema');
const app = Fastify({ bodyLimit });

interface SelectRequest {
  Params: { id: string };
  Querystring: { drop_duplicates?: string };
  Body: { data: Record<string, unknown>[] };
}

app.post<SelectRequest>(
  '/my-service/select/:id',
  withSchema
    ? {
        schema: {
          querystring: { type: 'object', properties: { drop_duplicates: { type: 'string' } } },
          response: { 200: { type: 'array', items: { type: 'string' } } },
        },
      }
    : {},
  async (request) => {
    const body = request.body;
    if (typeof body !== 'object' || body === null || !Array.isArray(body.data)) throw new BadRequest('data must be an array');
    return select(request.params.id, body.data, parseBoolean(request.query.drop_duplicates));
  },
);

app.setErrorHandler((error, _request, reply) => {
  const status = error instanceof BadRequest ? 400 : (error as { statusCode?: number }).statusCode ?? 500;
  void reply.status(status).send({ error: error instanceof Error ? error.message : String(error) });
});

await app.listen({ port: 0, host: '127.0.0.1' });
announce((app.server.address() as AddressInfo).port, () => void app.close().then(() => process.exit(0)));
