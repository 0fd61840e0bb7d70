import { Bytes, Int, service, stream, unimplemented, websocket } from '@marshal/core';
import { Token } from '../file-service/contract.js';

export { Token };

/**
 * The reference's streaming service (its README, "WebSockets and Streaming"): the three kinds of
 * streamed result over WebSocket, bytes, strings and DTOs. Its JSON parameters travel in the
 * `args` frame, as the reference's `force_json_params=True` has them.
 */
@service()
export class IStreamingService {
  @websocket({ params: [['payload', String]], returns: stream(Bytes), forceJsonParams: true, description: "The payload's UTF-8 bytes, three at a time, as binary frames." })
  binary_chunks(payload: string): AsyncIterable<Uint8Array> {
    return unimplemented();
  }

  @websocket({ params: [['count', Int]], returns: stream(String), forceJsonParams: true, description: 'Lines `line:0` … `line:<count-1>`, as item frames.' })
  text_lines(count: number): AsyncIterable<string> {
    return unimplemented();
  }

  @websocket({ params: [['prompt', String]], returns: stream(Token), forceJsonParams: true, description: 'The words of the prompt as Token DTOs, as item frames.' })
  token_stream(prompt: string): AsyncIterable<Token> {
    return unimplemented();
  }
}

/**
 * A duplex call: audio comes in as a byte stream while words go out. The "audio" is UTF-8 text
 * here, so the example needs no model; what matters is that each word leaves as soon as it is
 * complete in the bytes received so far, before the upload ends. The same with a file, for
 * comparison: nothing goes out before the whole file is in.
 */
@service()
export class ITranscriber {
  @websocket({
    params: [['language', String], ['audio', stream(Bytes)]],
    returns: stream(Token),
    description: 'One Token per whitespace-separated word of the audio, sent as soon as the word is complete. Languages: en, de, fr.',
  })
  transcribe(language: string, audio: AsyncIterable<Uint8Array>): AsyncIterable<Token> {
    return unimplemented();
  }

  @websocket({
    params: [['language', String], ['audio', Bytes]],
    returns: [Token],
    description: 'A whole recording as a file (`file` frames), answered with every word in one `result` frame.',
  })
  transcribe_file(language: string, audio: Uint8Array): Promise<Token[]> {
    return unimplemented();
  }
}

/** Streams of values as parameters, which only WebSocket carries: one answered item by item, one with a single result. */
@service()
export class IValueStreams {
  @websocket({ params: [['prefix', String], ['lines', stream(String)]], returns: stream(String), forceJsonParams: true, description: 'Each line back with the prefix, as it arrives.' })
  echo(prefix: string, lines: AsyncIterable<string>): AsyncIterable<string> {
    return unimplemented();
  }

  @websocket({ params: [['numbers', stream(Int)]], returns: Int, description: 'The sum of the numbers, once they have all come: a `result` frame.' })
  sum(numbers: AsyncIterable<number>): Promise<number> {
    return unimplemented();
  }
}
