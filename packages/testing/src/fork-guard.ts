// Loaded into every Fork child before its script. It reports the URL of the first server that
// starts listening to the parent, over the IPC channel; and since that channel closes when the
// parent exits or crashes, it ends the child then, so that no server outlives its test.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { listeningChannelName } from '@marshal/server';
import type { ListeningMessage } from './listening-message.js';

process.on('disconnect', () => process.exit(0));

function announce(message: unknown): void {
  unsubscribe(listeningChannelName, announce);
  const { url } = message as { url: string };
  process.send?.({ type: 'marshal:listening', url } satisfies ListeningMessage);
}
subscribe(listeningChannelName, announce);
