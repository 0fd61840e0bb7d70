import { MarshalError } from '@marshal/core';
import { IAgentServer } from './contract.js';
import { type InjectRequest, InjectResponse, ThreadInfo, type ThreadStatus } from './models.js';

/** How much the in-memory agent server keeps; past these it refuses the message that would grow it. */
export interface AgentServerLimits {
  /** Threads held at once. */
  readonly threads: number;
  /** Distinct agents in one thread. */
  readonly participants: number;
}

export const defaultAgentServerLimits: AgentServerLimits = { threads: 1_000, participants: 32 };

/** An in-memory agent server: threads are created by inject and read back by id or status. */
export class AgentServer extends IAgentServer {
  readonly #threads = new Map<string, ThreadInfo>();
  #messages = 0;
  /** The number of the last thread id made up here (`thread-<n>`). */
  #lastNumber = 0;
  readonly #limits: AgentServerLimits;

  constructor(
    private readonly now: () => Date = () => new Date(),
    limits: Partial<AgentServerLimits> = {},
  ) {
    super();
    this.#limits = { ...defaultAgentServerLimits, ...limits };
  }

  override async inject(request: InjectRequest): Promise<InjectResponse> {
    let thread = request.threadId === undefined ? undefined : this.#threads.get(request.threadId);
    if (!thread) {
      if (this.#threads.size >= this.#limits.threads) {
        throw refused(request.threadId === undefined ? 'request' : 'request.threadId', `the agent server keeps at most ${this.#limits.threads} threads`);
      }
      thread = Object.assign(new ThreadInfo(), { id: request.threadId ?? this.#newThreadId(), createdAt: this.now() });
      this.#threads.set(thread.id, thread);
    }
    if (!thread.participants.includes(request.to)) {
      if (thread.participants.length >= this.#limits.participants) {
        throw refused('request.to', `the thread ${JSON.stringify(thread.id)} already has ${this.#limits.participants} participants, the most a thread may have`);
      }
      thread.participants.push(request.to);
    }
    thread.messageCount++;
    thread.lastActivity = this.now();
    return Object.assign(new InjectResponse(), { threadId: thread.id, messageId: `message-${++this.#messages}` });
  }

  override async thread(id: string): Promise<ThreadInfo> {
    const thread = this.#threads.get(id);
    if (!thread) throw new MarshalError('MARSHAL_ERR_NOT_FOUND', `no thread ${JSON.stringify(id)}`);
    return thread;
  }

  override async threads(status?: ThreadStatus): Promise<ThreadInfo[]> {
    return [...this.#threads.values()].filter((thread) => status === undefined || thread.status === status);
  }

  /**
   * A new thread's id. Counting threads (`thread-${size + 1}`) is not enough: a client may have
   * picked `thread-2` itself, and a message meant for a new thread would land in that one.
   */
  #newThreadId(): string {
    let id: string;
    do id = `thread-${++this.#lastNumber}`;
    while (this.#threads.has(id));
    return id;
  }
}

/** A 400 naming the part of the request that would grow the agent server past a limit. */
function refused(path: string, why: string): MarshalError {
  const where = path === 'request' ? '' : `${path.slice('request.'.length)}: `;
  return new MarshalError('MARSHAL_ERR_BAD_PARAMETER', `parameter 'request': ${where}${why}`, { parameter: 'request', issues: [{ path, message: why }] });
}
