import { MarshalError } from '@marshal/core';
import { IAgentServer } from './contract.js';
import { type InjectRequest, InjectResponse, ThreadInfo, type ThreadStatus } from './models.js';

/** An in-memory agent server: threads are created by inject and read back by id or status. */
export class AgentServer extends IAgentServer {
  readonly #threads = new Map<string, ThreadInfo>();
  #messages = 0;

  constructor(private readonly now: () => Date = () => new Date()) {
    super();
  }

  override async inject(request: InjectRequest): Promise<InjectResponse> {
    const threadId = request.threadId ?? `thread-${this.#threads.size + 1}`;
    let thread = this.#threads.get(threadId);
    if (!thread) {
      thread = Object.assign(new ThreadInfo(), { id: threadId, createdAt: this.now() });
      this.#threads.set(threadId, thread);
    }
    if (!thread.participants.includes(request.to)) thread.participants.push(request.to);
    thread.messageCount++;
    thread.lastActivity = this.now();
    return Object.assign(new InjectResponse(), { threadId, messageId: `message-${++this.#messages}` });
  }

  override async thread(id: string): Promise<ThreadInfo> {
    const thread = this.#threads.get(id);
    if (!thread) throw new MarshalError('MARSHAL_ERR_NOT_FOUND', `no thread ${JSON.stringify(id)}`);
    return thread;
  }

  override async threads(status?: ThreadStatus): Promise<ThreadInfo[]> {
    return [...this.#threads.values()].filter((thread) => status === undefined || thread.status === status);
  }
}
