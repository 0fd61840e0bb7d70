import { IFileService, Token } from './contract.js';

const encoder = new TextEncoder();

export class FileService extends IFileService {
  override async json_only(name: string) {
    return name;
  }

  override async single_file(file: Uint8Array) {
    return file.length;
  }

  override async json_and_file(_name: string, file: Uint8Array) {
    return file.length;
  }

  override async *download_file(content: string) {
    const bytes = encoder.encode(content);
    for (let i = 0; i < bytes.length; i += 4) yield bytes.subarray(i, i + 4);
  }

  override async count_bytes(file: AsyncIterable<Uint8Array>) {
    let count = 0;
    for await (const chunk of file) count += chunk.length;
    return count;
  }

  override async *text_lines(count: number) {
    for (let i = 0; i < count; i++) yield `line:${i}`;
  }

  override async *token_stream(prompt: string) {
    const words = prompt.split(/\s+/).filter(Boolean);
    for (let index = 0; index < words.length; index++) yield Object.assign(new Token(), { text: words[index], index });
  }
}
