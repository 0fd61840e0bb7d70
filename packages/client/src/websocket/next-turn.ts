/**
 * Resolves on a later turn of the event loop, once pending I/O has been handled. A run of sends
 * that the socket takes at once, from a source that never waits on I/O, would otherwise hold the
 * event loop in promise callbacks: no frame from the server (an error, the output of a duplex
 * call, the close) would be read until the input ended.
 */
export function nextTurn(): Promise<void> {
  // setImmediate runs after I/O callbacks (Node, Bun, Deno); elsewhere a timer does.
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}
