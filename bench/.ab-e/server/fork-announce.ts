/**
 * When a server runs in a child made by Fork, it tells the parent its URL over the IPC channel,
 * so the parent needs no fixed port and no polling.
 */
export const forkEnvironmentFlag = 'MARSHAL_FORK';

export interface ListeningMessage {
  readonly type: 'marshal:listening';
  readonly url: string;
}

export function announceListening(url: string): void {
  if (process.env[forkEnvironmentFlag] === '1' && typeof process.send === 'function') {
    process.send({ type: 'marshal:listening', url } satisfies ListeningMessage);
  }
}
