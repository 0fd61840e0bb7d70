/**
 * A runner's measured rounds. Each round starts every server in a fresh process, checks its answers,
 * runs the load generator once against all of them (it rotates their turns, so drift of a noisy
 * machine hits all alike) and stops them; a round's results are printed as it ends.
 */
import { type LoadTarget, type Running, withServers } from './processes.js';

export interface RoundsOptions<R> {
  readonly rounds: number;
  /** The servers, in the order they are started and handed to the load generator. */
  readonly servers: readonly string[];
  readonly start: (name: string) => Promise<Running>;
  /** Throws when a server gives a wrong answer: a fast wrong server must not be measured. */
  readonly verify: (server: Running) => Promise<void>;
  /** Runs the load generator against the round's servers: a result per server (and scenario). */
  readonly measure: (targets: readonly LoadTarget[]) => Promise<readonly R[]>;
  readonly report: (result: R & Round) => void;
}

export interface Round {
  readonly round: number;
}

/** Every round's results, each tagged with its round (1, 2, …). */
export async function measureRounds<R>(options: RoundsOptions<R>): Promise<Array<R & Round>> {
  const measurements: Array<R & Round> = [];
  for (let round = 1; round <= options.rounds; round++) {
    const results = await withServers(options.servers, options.start, async (running) => {
      for (const server of running) await options.verify(server);
      return options.measure(running.map(({ name, url, child }) => ({ name, url, pid: child.pid! })));
    });
    for (const result of results) {
      const measurement = { round, ...result };
      measurements.push(measurement);
      options.report(measurement);
    }
  }
  return measurements;
}
