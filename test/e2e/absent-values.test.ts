/**
 * What an implementation receives for a parameter the caller leaves out or sends as null:
 * optional() gives undefined, nullable() gives null, in the query string and in the JSON body.
 */
import { describe, expect, it } from 'vitest';
import { closeClient, createClient } from '@marshal/client';
import { endpoint, nullable, optional, service, unimplemented } from '@marshal/core';
import { serveForTests } from '../helpers/serve.js';

const kind = (value: unknown) => (value === undefined ? 'undefined' : value === null ? 'null' : `value:${JSON.stringify(value)}`);

@service()
class IAbsent {
  @endpoint({
    params: [
      ['q1', optional(String)],
      ['q2', nullable(String)],
      ['j1', optional([String])],
      ['j2', nullable([String])],
    ],
    returns: [String],
  })
  kinds(q1: string | undefined, q2: string | null, j1: string[] | undefined, j2: string[] | null): Promise<string[]> {
    return unimplemented();
  }
}

class Absent extends IAbsent {
  override async kinds(...args: unknown[]) {
    return args.map(kind);
  }
}

describe('absent and null parameters', () => {
  const served = serveForTests({ services: [new Absent()] });
  const post = async (query: string, body: string) => {
    const response = await fetch(`${served.url}/absent/kinds${query}`, { method: 'POST', body });
    expect(response.status).toBe(200);
    return response.json();
  };

  it('gives undefined for optional() and null for nullable() when a parameter is left out', async () => {
    expect(await post('', '{}')).toEqual(['undefined', 'null', 'undefined', 'null']);
    expect(await post('', '')).toEqual(['undefined', 'null', 'undefined', 'null']);
  });

  it('reads an explicit JSON null the same way', async () => {
    expect(await post('', '{"j1":null,"j2":null}')).toEqual(['undefined', 'null', 'undefined', 'null']);
  });

  it('passes values through, the last of a repeated query key winning', async () => {
    expect(await post('?q1=a&q2=b&q2=c', '{"j1":["x"],"j2":[]}')).toEqual(['value:"a"', 'value:"c"', 'value:["x"]', 'value:[]']);
  });

  it('behaves the same through the client', async () => {
    const client = createClient(IAbsent, served.url);
    try {
      expect(await client.kinds(undefined, null, undefined, null)).toEqual(['undefined', 'null', 'undefined', 'null']);
      expect(await client.kinds('a', 'b', ['x'], [])).toEqual(['value:"a"', 'value:"b"', 'value:["x"]', 'value:[]']);
    } finally {
      await closeClient(client);
    }
  });
});
