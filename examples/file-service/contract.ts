import { Bytes, Int, endpoint, field, service, stream, unimplemented } from '@marshal/core';

/** One piece of a streamed answer, as a chat model yields them. */
export class Token {
  @field(String) text!: string;
  @field(Int) index!: number;
}

/**
 * The reference's file service (its README, "Files"), plus streams over HTTP: an upload handed
 * over while it arrives, and results that stream as lines, JSON lines or Server-Sent Events.
 */
@service()
export class IFileService {
  @endpoint({ params: [['name', String]], returns: String, forceJsonParams: true, description: 'JSON parameters only: the body is a JSON object.' })
  json_only(name: string): Promise<string> {
    return unimplemented();
  }

  @endpoint({ params: [['file', Bytes]], returns: Int, description: 'One file and nothing else: the body is the raw file; the answer is its length.' })
  single_file(file: Uint8Array): Promise<number> {
    return unimplemented();
  }

  @endpoint({
    params: [['name', String], ['file', Bytes]],
    returns: Int,
    forceJsonParams: true,
    description: 'JSON parameters and a file: multipart, with a json_arguments part; the answer is the length of the file.',
  })
  json_and_file(name: string, file: Uint8Array): Promise<number> {
    return unimplemented();
  }

  @endpoint({ params: [['content', String]], returns: stream(Bytes), forceJsonParams: true, description: "The content's bytes, streamed in pieces of four." })
  download_file(content: string): AsyncIterable<Uint8Array> {
    return unimplemented();
  }

  @endpoint({ params: [['file', stream(Bytes)]], returns: Int, description: 'An upload of any size, handed over while it arrives: the answer is how many bytes came.' })
  count_bytes(file: AsyncIterable<Uint8Array>): Promise<number> {
    return unimplemented();
  }

  @endpoint({ params: [['count', Int]], returns: stream(String), description: 'Lines `line:0` … `line:<count-1>`, one at a time.' })
  text_lines(count: number): AsyncIterable<string> {
    return unimplemented();
  }

  @endpoint({ params: [['prompt', String]], returns: stream(Token), forceJsonParams: true, description: 'The words of the prompt as Token DTOs, one at a time.' })
  token_stream(prompt: string): AsyncIterable<Token> {
    return unimplemented();
  }
}
