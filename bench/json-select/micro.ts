/**
 * A developer aid, not part of the benchmark: the JS cost of one call through a server's request
 * listener, without sockets or the HTTP parser (fake request/response objects), so changes to
 * Marshal's hot path can be compared with far less noise than the HTTP benchmark allows.
 *
 *   node --conditions=source --import tsx bench/json-select/micro.ts marshal [requests] [concurrency] [seed|records20]
 *   node --import tsx bench/json-select/micro.ts marshal    # @marshal/* from dist/
 *   node --conditions=source --import tsx bench/json-select/micro.ts raw
 */
import http, { type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { Server } from '@marshal/server';
import { MyService } from '../../examples/my-service/my-service.js';
import { type PayloadName, expectedBody, requestBody, requestPath } from './payload.js';
import { handle } from './raw-handler.js';

const [which = 'marshal', requestsText = '300000', concurrencyText = '10', payload = 'seed'] = process.argv.slice(2);
const total = Number(requestsText);
const concurrency = Number(concurrencyText);
const body = Buffer.from(requestBody(payload as PayloadName));

function marshalListener(): RequestListener {
  // Catch the listener Server gives createServer, to call it without a socket.
  let captured: RequestListener | undefined;
  const proto = http.Server.prototype as unknown as { on: (event: string, listener: unknown) => unknown };
  proto.on = function (this: http.Server, event: string, listener: unknown) {
    if (event === 'request') captured = listener as RequestListener;
    return (http.Server.prototype.addListener as (event: string, listener: unknown) => unknown).call(this, event, listener);
  };
  new Server({ services: [new MyService()] });
  delete (proto as { on?: unknown }).on;
  return captured!;
}

const listener: RequestListener = which === 'raw' ? handle : marshalListener();

/** One connection for every fake request, as keep-alive clients would have. */
const fakeSocket = new EventEmitter();

class FakeRequest extends Readable {
  readonly url = requestPath;
  readonly method = 'POST';
  readonly httpVersionMajor = 1;
  readonly httpVersionMinor = 1;
  readonly socket = fakeSocket;
  readonly headers = { host: 'localhost', 'content-type': 'application/json', 'content-length': String(body.length) };
  constructor() {
    super();
    this.push(body);
    this.push(null);
  }
  override _read(): void {}
}

class FakeResponse extends EventEmitter {
  headersSent = false;
  constructor(
    readonly req: FakeRequest,
    private readonly done: (status: number, text: string) => void,
  ) {
    super();
  }
  #status = 0;
  writeHead(status: number): this {
    this.#status = status;
    return this;
  }
  end(text: string): void {
    this.headersSent = true;
    // Like a real response: 'close' once the answer has been handed over, after the caller's code ran.
    process.nextTick(() => this.emit('close'));
    this.done(this.#status, text);
  }
  destroy(): void {
    throw new Error('destroyed');
  }
}

function run(count: number): Promise<number> {
  return new Promise((resolve) => {
    let started = 0;
    let finished = 0;
    const t0 = process.hrtime.bigint();
    const next = () => {
      started++;
      const request = new FakeRequest();
      listener(request as unknown as IncomingMessage, new FakeResponse(request, onDone) as unknown as ServerResponse);
    };
    const onDone = (status: number, text: string) => {
      if (status !== 200 || text !== expectedBody) throw new Error(`wrong answer ${status} ${text}`);
      if (++finished === count) resolve(Number(process.hrtime.bigint() - t0) / count);
      else if (started < count) next();
    };
    for (let i = 0; i < Math.min(concurrency, count); i++) next();
  });
}

await run(Math.min(total, 50_000)); // warm-up
const results: number[] = [];
for (let i = 0; i < 5; i++) results.push(await run(total / 5));
results.sort((a, b) => a - b);
console.log(`${which}: ${results[2].toFixed(0)} ns/call (median of 5; min ${results[0].toFixed(0)}, max ${results[4].toFixed(0)})`);
