/**
 * Hostile bodies over real HTTP: each gets a 400 naming the problem, nothing unregistered is
 * constructed, no prototype is touched, and the server goes on answering.
 */
import { describe, expect, it } from 'vitest';
import { Json, type JsonValue, Void, dto, endpoint, field, optional, recordOf, service, unimplemented } from '@marshal/core';
import { serveForTests } from '../helpers/serve.js';
import { expectError, issue, post } from '../helpers/http.js';

class Shape {
  @field(String) color!: string;
}
@dto({ name: 'Circle' })
class Circle extends Shape {
  @field(Number) radius!: number;
}
@dto({ name: 'Stranger' })
class Stranger {
  static constructed = 0;
  @field(String) color!: string;
  constructor() {
    Stranger.constructed++;
  }
}
class TreeNode {
  @field(String) name!: string;
  @field(optional([() => TreeNode])) children?: TreeNode[];
}

@service()
class IVault {
  @endpoint({ params: [['shape', Shape]], returns: String })
  shape(shape: Shape): Promise<string> { return unimplemented(); }

  @endpoint({ params: [['tree', TreeNode]], returns: Void })
  tree(tree: TreeNode): Promise<void> { return unimplemented(); }

  @endpoint({ params: [['value', Json]], returns: Void })
  json(value: JsonValue): Promise<void> { return unimplemented(); }

  @endpoint({ params: [['labels', recordOf(String)]], returns: Void })
  labels(labels: Record<string, string>): Promise<void> { return unimplemented(); }
}

class Vault extends IVault {
  override async shape(shape: Shape) { return `${shape.constructor.name}:${shape.color}`; }
  override async tree() {}
  override async json() {}
  override async labels() {}
}

const nestedArrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const nestedTree = (depth: number) => '{"name":"n","children":['.repeat(depth) + '{"name":"leaf"}' + ']}'.repeat(depth);

describe('malicious input', () => {
  const served = serveForTests({ services: [new Vault()], decodeLimits: { maxDepth: 32, maxItems: 1000 } });
  const send = (endpointName: string, body: string) => post(`${served.url}/vault/${endpointName}`, body, true);
  const bad = (parameter: string, path: string, message: string) => ({
    code: 'MARSHAL_ERR_BAD_PARAMETER',
    message: `parameter '${parameter}': ${path === parameter ? '' : `${path.slice(parameter.length).replace(/^\./, '')}: `}${message}`,
    parameter,
    issues: [issue(path, message)],
  });

  it('reads a registered subclass and refuses every other @subtype', async () => {
    const circle = await send('shape', '{"shape":{"color":"red","radius":1,"@type":"dataclass","@subtype":"Circle"}}');
    expect(circle.body).toBe('Circle:red');
    expectError(await send('shape', '{"shape":{"color":"red","@type":"dataclass","@subtype":"child_process.exec"}}'), 400, bad('shape', 'shape', 'unknown @subtype "child_process.exec"'));
    expectError(await send('shape', '{"shape":{"color":"red","@type":"dataclass","@subtype":"Stranger"}}'), 400, bad('shape', 'shape', '@subtype "Stranger" is not a subclass of Shape'));
    expectError(await send('shape', '{"shape":{"color":"red","@type":"@base64","@content":"gASV"}}'), 400, bad('shape', 'shape', 'unknown @type "@base64"; expected "dataclass"'));
    expect(Stranger.constructed).toBe(0);
  });

  it('keeps __proto__, constructor and prototype keys away from every prototype', async () => {
    expectError(await send('labels', '{"labels":{"__proto__":{"polluted":"yes"}}}'), 400, bad('labels', 'labels.__proto__', 'the key "__proto__" is not allowed'));
    expectError(await send('labels', '{"labels":{"constructor":{"prototype":{"polluted":"yes"}}}}'), 400, bad('labels', 'labels.constructor', 'the key "constructor" is not allowed'));
    const shape = await send('shape', '{"shape":{"color":"red","__proto__":{"polluted":"yes"}}}');
    expect(shape.body).toBe('Shape:red');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses nesting beyond the limit in DTOs and in untyped JSON', async () => {
    const limit = 'nested deeper than the limit of 32 levels';
    const tree = await send('tree', `{"tree":${nestedTree(5000)}}`);
    expect(tree.status).toBe(400);
    expect(tree.body).toMatchObject({ code: 'MARSHAL_ERR_BAD_PARAMETER', parameter: 'tree', message: expect.stringContaining(limit) });
    const json = await send('json', `{"value":${nestedArrays(20000)}}`);
    expect(json.status).toBe(400);
    expect(json.body).toMatchObject({ code: 'MARSHAL_ERR_BAD_PARAMETER', parameter: 'value', message: expect.stringContaining(limit) });
  });

  it('refuses arrays and records beyond the size limit', async () => {
    const big = JSON.stringify({ value: new Array(1001).fill(0) });
    expectError(await send('json', big), 400, bad('value', 'value', 'has 1001 entries, more than the limit of 1000'));
    const labels = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, 'v']));
    expectError(await send('labels', JSON.stringify({ labels })), 400, bad('labels', 'labels', 'has 1001 entries, more than the limit of 1000'));
  });

  it('goes on answering good calls afterwards', async () => {
    const answer = await send('shape', '{"shape":{"color":"blue"}}');
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: 'Shape:blue' });
  });
});
