import { clientFactory } from './create-client.js';
import { undiciTransport } from './transport/undici-transport.js';
import { nodeWebSocket } from './websocket/node-socket.js';

export * from './common.js';
export { fileFrom } from './file-from.js';
export { nodeWebSocket, undiciTransport };

/**
 * A remote implementation of a contract, over undici (keep-alive connections), and `ws` for
 * `@websocket` endpoints:
 *
 *   const api = createClient(IMyService, 'http://localhost:14000');
 *   await api.select('test', data, true);
 *   await api.single_file(await fileFrom('./report.pdf'));
 *   for await (const line of api.text_lines(3)) console.log(line);
 *   for await (const token of api.transcribe('en', createReadStream('./talk.wav'))) console.log(token.text);
 *   await api.single_file.with({ signal, onUploadProgress: (sent) => console.log(sent) })(bytes);
 */
export const createClient = clientFactory(undiciTransport, nodeWebSocket);
