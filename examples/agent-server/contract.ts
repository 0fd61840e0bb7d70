import { endpoint, optional, service, unimplemented } from '@marshal/core';
import { InjectRequest, InjectResponse, ThreadInfo, ThreadStatus, ThreadStatusType } from './models.js';

/** A slice of an agent server's REST API: inject a message, read threads back. */
@service()
export class IAgentServer {
  @endpoint({ params: [['request', InjectRequest]], returns: InjectResponse, description: 'Sends a payload to an agent, in a new or existing thread.' })
  inject(request: InjectRequest): Promise<InjectResponse> {
    return unimplemented();
  }

  @endpoint({ params: [['id', String]], returns: ThreadInfo, method: 'GET' })
  thread(id: string): Promise<ThreadInfo> {
    return unimplemented();
  }

  @endpoint({ params: [['status', optional(ThreadStatusType)]], returns: [ThreadInfo], method: 'GET' })
  threads(status?: ThreadStatus): Promise<ThreadInfo[]> {
    return unimplemented();
  }
}
