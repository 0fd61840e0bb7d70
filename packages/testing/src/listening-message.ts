/** What a Fork child sends its parent over IPC when its server listens. */
export interface ListeningMessage {
  readonly type: 'marshal:listening';
  readonly url: string;
}
