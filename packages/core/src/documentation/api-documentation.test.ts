import { describe, expect, it } from 'vitest';
import { Bytes, Int, Void, field, optional, stream } from '@marshal/serialization/internal';
import { IMyService } from '../../../../examples/my-service/contract.js';
import { MyService } from '../../../../examples/my-service/my-service.js';
import { IAgentServer } from '../../../../examples/agent-server/contract.js';
import { service } from '../decorators/service.js';
import { endpoint, websocket } from '../decorators/endpoint.js';
import { unimplemented } from '../unimplemented.js';
import { ContractError } from '../contract-error.js';
import { serviceModelOf } from '../contract/service-model.js';
import { ApiDocumentation, documentApi } from './api-documentation.js';

class Token {
  @field(String) text!: string;
}

/** The reference's file and streaming examples (docs/design.md), in one contract. */
@service({ description: 'files and streams' })
class IFilesAndStreams {
  @endpoint({ params: [['name', String], ['file', optional(Bytes)]], returns: Int, forceJsonParams: true })
  json_and_file(name: string, file?: Uint8Array): Promise<number> { return unimplemented(); }

  @endpoint({ params: [['content', String]], returns: stream(Bytes), forceJsonParams: true })
  download_file(content: string): AsyncIterable<Uint8Array> { return unimplemented(); }

  @endpoint({ params: [['name', String]], returns: Bytes })
  read(name: string): Promise<Uint8Array> { return unimplemented(); }

  @websocket({ params: [['prompt', String], ['audio', stream(Bytes)]], returns: stream(Token) })
  transcribe(prompt: string, audio: AsyncIterable<Uint8Array>): AsyncIterable<Token> { return unimplemented(); }
}

describe('ApiDocumentation.parse', () => {
  it("documents the reference's example as the reference does, plus required-ness and URL parameter types", () => {
    const documentation = ApiDocumentation.parse(IMyService);
    expect(Object.keys(documentation.services)).toEqual(['my-service']);
    expect(documentation.services['my-service'].endpoints.select).toEqual({
      name: 'select',
      methodName: 'select',
      description: 'The `text` of every record in `data` whose `id` matches, optionally without repeats.',
      transport: 'http',
      httpMethod: 'POST',
      urlTemplate: '/my-service/select/<id>?drop_duplicates=<drop_duplicates>',
      pathParams: [{ name: 'id', schema: { type: 'string' }, required: true }],
      queryParams: [{ name: 'drop_duplicates', schema: { type: 'boolean' }, required: false }],
      jsonSchema: { type: 'object', properties: { data: { type: 'array', items: { type: 'object' } } }, required: ['data'] },
      fileParams: [],
      streamParam: undefined,
      returnSchema: { type: 'array', items: { type: 'string' } },
      returnIsFile: false,
      returnIsStream: false,
      idempotent: false,
      access: 'protected',
    });
  });

  it('finds the contract of an implementation class on its prototype chain', () => {
    expect(ApiDocumentation.parse(MyService)).toEqual(ApiDocumentation.parse(IMyService));
    expect(() => ApiDocumentation.parse(class NotAContract {})).toThrow('NotAContract is not a service contract: mark the class with @service()');
  });

  it('gives each schema the $defs of the DTO classes it uses', () => {
    const endpoints = ApiDocumentation.parse(IAgentServer).services['agent-server'].endpoints;
    expect(endpoints.inject.jsonSchema).toMatchObject({
      properties: { request: { $ref: '#/$defs/InjectRequest' } },
      required: ['request'],
      $defs: { InjectRequest: { required: ['to', 'payload'] } },
    });
    expect(Object.keys(endpoints.inject.jsonSchema.$defs!)).toEqual(['InjectRequest']);
    expect(endpoints.inject.returnSchema).toMatchObject({ $ref: '#/$defs/InjectResponse', $defs: { InjectResponse: { type: 'object' } } });
    expect(endpoints.threads).toMatchObject({
      httpMethod: 'GET',
      queryParams: [{ name: 'status', schema: { title: 'ThreadStatus', enum: ['active', 'completed', 'error', 'killed'] }, required: false }],
      jsonSchema: { type: 'object', properties: {}, required: [] },
      returnSchema: { type: 'array', items: { $ref: '#/$defs/ThreadInfo' } },
    });
  });

  it('documents file and stream parameters and results, and WebSocket endpoints', () => {
    const service = ApiDocumentation.parse(IFilesAndStreams).services['files-and-streams'];
    expect(service).toMatchObject({ name: 'files-and-streams', className: 'IFilesAndStreams', description: 'files and streams' });
    const octetStream = { type: 'string', contentMediaType: 'application/octet-stream' };
    expect(service.endpoints.json_and_file).toMatchObject({
      name: 'json-and-file',
      jsonSchema: { properties: { name: { type: 'string' } }, required: ['name'] },
      fileParams: ['file'],
      returnSchema: { type: 'integer' },
    });
    expect(service.endpoints.download_file).toMatchObject({ returnSchema: octetStream, returnIsFile: false, returnIsStream: true });
    expect(service.endpoints.read).toMatchObject({ pathParams: [{ name: 'name' }], returnSchema: octetStream, returnIsFile: true });
    expect(service.endpoints.transcribe).toMatchObject({
      transport: 'websocket',
      streamParam: 'audio',
      returnSchema: { $ref: '#/$defs/Token', $defs: { Token: { required: ['text'] } } },
      returnIsStream: true,
    });
  });

  it('refuses two services of one name, and names the place of a class it cannot document', () => {
    @service({ name: 'my-service' })
    class IImpostor {
      @endpoint({ params: [], returns: Void })
      select(): Promise<void> { return unimplemented(); }
    }
    expect(() => documentApi([IMyService, IImpostor].map(serviceModelOf))).toThrow(
      new ContractError("two services are named 'my-service': IMyService and IImpostor"),
    );

    class Bare {}
    @service()
    class IBroken {
      @endpoint({ params: [['items', [() => Bare]]], returns: Void })
      put(items: Bare[]): Promise<void> { return unimplemented(); }
    }
    expect(() => ApiDocumentation.parse(IBroken)).toThrow(
      "IBroken.put(items): class Bare has no declared fields: mark them with @field(…), or use class-transformer's @Type/@Expose and import '@marshal/serialization/class-transformer'",
    );
  });
});
