import { WebSocket } from 'ws';
import { chunkSize, highWaterMark, patternChunk } from './wire.js';

/**
 * Sends what `next` gives until it gives undefined, then calls `done`, never queueing without
 * bound: once highWaterMark bytes wait for the socket, the next frame goes with a callback that
 * carries on when it has been written (the kernel's socket buffer still holds plenty then).
 * Stops quietly when the connection closes. Both the raw server and the load generator send so.
 */
export function sendAll(socket: WebSocket, next: () => string | Buffer | undefined, done: () => void): void {
  const pump = (error?: Error): void => {
    if (error) return;
    for (let frame = next(); frame !== undefined; frame = next()) {
      if (socket.readyState !== WebSocket.OPEN) return;
      if (socket.bufferedAmount >= highWaterMark) return socket.send(frame, pump);
      socket.send(frame);
    }
    if (socket.readyState === WebSocket.OPEN) done();
  };
  pump();
}

/** `size` bytes of the pattern in pieces of 64 KiB, one per call, then undefined. */
export function patternPieces(size: number): () => Buffer | undefined {
  let sent = 0;
  return () => {
    if (sent >= size) return undefined;
    const piece = size - sent >= chunkSize ? patternChunk : patternChunk.subarray(0, size - sent);
    sent += piece.length;
    return piece;
  };
}
