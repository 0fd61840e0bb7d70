/** Default limits, in one place. Each can be changed through ServerOptions. */
export const defaultLimits = {
  /** Largest request body read into memory: 1 MiB. Larger bodies get 413. */
  bodyLimit: 1024 * 1024,
  /** How long stop() waits for in-flight calls before closing their connections. */
  stopTimeoutMs: 10_000,
} as const;
