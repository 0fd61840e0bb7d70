import { AgentServer } from './agent-server/agent-server.js';
import { ExperimentTracker } from './experiment-tracker/experiment-tracker.js';
import { FileService } from './file-service/file-service.js';
import { MyService } from './my-service/my-service.js';
import { StreamingService, Transcriber, ValueStreams } from './streaming-service/streaming-service.js';
import { Telemetry } from './telemetry/telemetry.js';

/** Every example service, as one server hosts them (serve.ts, the demo and the end-to-end tests). */
export function exampleServices(): object[] {
  return [
    new MyService(),
    new AgentServer(),
    new ExperimentTracker(),
    new Telemetry(),
    new FileService(),
    new StreamingService(),
    new Transcriber(),
    new ValueStreams(),
  ];
}
