/**
 * What every compiled fixture main must print (fixtures/summary.ts), whatever compiled it. Written
 * out by hand from the contracts and docs/design.md, not captured from a run.
 */
const http = { httpMethod: 'POST', transport: 'http' } as const;
const websocket = { httpMethod: 'POST', transport: 'websocket', resultKind: 'stream' } as const;

export const expectedSummary = {
  services: [
    {
      name: 'my-service',
      endpoints: [
        {
          name: 'select',
          ...http,
          resultKind: 'json',
          urlTemplate: '/my-service/select/<id>?drop_duplicates=<drop_duplicates>',
          params: [
            { name: 'id', placement: 'path' },
            { name: 'data', placement: 'json' },
            { name: 'drop_duplicates', placement: 'query' },
          ],
        },
      ],
    },
    {
      name: 'file-service',
      endpoints: [
        { name: 'json-only', ...http, resultKind: 'json', urlTemplate: '/file-service/json-only', params: [{ name: 'name', placement: 'json' }] },
        { name: 'single-file', ...http, resultKind: 'json', urlTemplate: '/file-service/single-file', params: [{ name: 'file', placement: 'file' }] },
        {
          name: 'json-and-file',
          ...http,
          resultKind: 'json',
          urlTemplate: '/file-service/json-and-file',
          params: [
            { name: 'name', placement: 'json' },
            { name: 'file', placement: 'file' },
          ],
        },
        { name: 'download-file', ...http, resultKind: 'stream', urlTemplate: '/file-service/download-file', params: [{ name: 'content', placement: 'json' }] },
      ],
    },
    {
      name: 'streaming-service',
      endpoints: [
        { name: 'binary-chunks', ...websocket, urlTemplate: '/streaming-service/binary-chunks', params: [{ name: 'payload', placement: 'json' }] },
        { name: 'text-lines', ...websocket, urlTemplate: '/streaming-service/text-lines', params: [{ name: 'count', placement: 'json' }] },
        { name: 'token-stream', ...websocket, urlTemplate: '/streaming-service/token-stream', params: [{ name: 'prompt', placement: 'json' }] },
        {
          name: 'transcribe',
          ...websocket,
          // No forceJsonParams here: the string goes in the path, the stream is the stream.
          urlTemplate: '/streaming-service/transcribe/<prompt>',
          params: [
            { name: 'prompt', placement: 'path' },
            { name: 'audio', placement: 'stream' },
          ],
        },
      ],
    },
  ],
  task: {
    // The base class's fields first, in declaration order.
    fields: ['id', 'createdAt', 'title', 'priority', 'subtasks', 'due', 'estimate'],
    isTask: true,
    createdAtIsDate: true,
    // Priority.High: the wire carries the member name, the code the enum value.
    priority: 1,
    subtasksAreSubTasks: true,
    dueIsUndefined: true,
    encoded: {
      id: 't1',
      createdAt: '2024-05-01T10:00:00.000Z',
      title: 'ship it',
      priority: 'High',
      subtasks: [{ id: 's1', createdAt: '2024-05-02T00:00:00.000Z', done: true }],
      estimate: 3,
    },
    badSubtask: 'subtasks[0].createdAt: expected an ISO-8601 date string, got "yesterday"',
  },
  token: {
    isToken: true,
    encoded: { text: 'hi', index: 2 },
    badIndex: 'index: expected an integer, got 2.5',
  },
  select: { clientIsContract: true, result: ['example 1', 'example 2'] },
};

export const expectedBrokenContract = { isContractError: true, message: 'IBroken.find(x): not a type descriptor: 42' };

/** Only the experimentalDecorators builds have the class-transformer fixture (fixtures/legacy-only). */
export const expectedClassTransformer = {
  service: {
    name: 'order-service',
    endpoints: [{ name: 'labels', ...http, resultKind: 'json', urlTemplate: '/order-service/labels', params: [{ name: 'order', placement: 'json' }] }],
  },
  isOrder: true,
  itemsAreLineItems: true,
  // Undeclared keys are kept, as plainToInstance keeps them.
  encoded: { customer: 'ada', items: [{ sku: 'tea', qty: 2 }], note: 'kept as class-transformer keeps it' },
  labels: ['ada: 2x tea'],
};
