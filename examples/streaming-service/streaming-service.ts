import { MarshalError } from '@marshal/core';
import { IStreamingService, ITranscriber, IValueStreams, Token } from './contract.js';

const encoder = new TextEncoder();
const token = (text: string, index: number) => Object.assign(new Token(), { text, index });

export class StreamingService extends IStreamingService {
  override async *binary_chunks(payload: string) {
    const bytes = encoder.encode(payload);
    for (let i = 0; i < bytes.length; i += 3) yield bytes.subarray(i, i + 3);
  }

  override async *text_lines(count: number) {
    for (let i = 0; i < count; i++) yield `line:${i}`;
  }

  override async *token_stream(prompt: string) {
    const words = prompt.split(/\s+/).filter(Boolean);
    for (let index = 0; index < words.length; index++) yield token(words[index], index);
  }
}

const languages = new Set(['en', 'de', 'fr']);

export class Transcriber extends ITranscriber {
  // Not a generator itself: an unknown language is refused before the stream starts, with an error frame of its own.
  override transcribe(language: string, audio: AsyncIterable<Uint8Array>) {
    checkLanguage(language);
    return wordsOf(audio);
  }

  override async transcribe_file(language: string, audio: Uint8Array) {
    checkLanguage(language);
    const words: Token[] = [];
    for await (const word of wordsOf([audio])) words.push(word);
    return words;
  }
}

function checkLanguage(language: string): void {
  if (!languages.has(language)) {
    throw new MarshalError('MARSHAL_ERR_INVALID', `no model for the language '${language}'`, { parameter: 'language', data: { languages: [...languages] } });
  }
}

/** The words of UTF-8 text arriving in chunks; a word is complete once whitespace follows it, or the text ends. */
async function* wordsOf(audio: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<Token> {
  // stream: true keeps a character split across two chunks until its last byte has come.
  const decoder = new TextDecoder();
  let index = 0;
  let pending = '';
  for await (const chunk of audio) {
    const pieces = (pending + decoder.decode(chunk, { stream: true })).split(/\s+/);
    pending = pieces.pop()!;
    for (const word of pieces) if (word !== '') yield token(word, index++);
  }
  const last = pending + decoder.decode();
  for (const word of last.split(/\s+/)) if (word !== '') yield token(word, index++);
}

export class ValueStreams extends IValueStreams {
  override async *echo(prefix: string, lines: AsyncIterable<string>) {
    for await (const line of lines) yield prefix + line;
  }

  override async sum(numbers: AsyncIterable<number>) {
    let total = 0;
    for await (const n of numbers) total += n;
    return total;
  }
}
