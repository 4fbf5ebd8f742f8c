/**
 * Text encodings of leaked files: the door of `detect.ts` (guessing) and
 * `encoding-decoders.ts` (decoding), and the stream decoder that ties them together.
 */
import { isAscii } from 'node:buffer';
import { VigieError } from '../../errors.js';
import { createDecoder } from './decoders.js';
import type { ChunkDecoder } from './decoders.js';
import { detect8bit, detectBom, detectEncoding } from './detect.js';
import type { EncodingEvidence, EncodingGuess, TextEncoding } from './detect.js';

export { detect8bit, detectBom, detectEncoding, looksBinary } from './detect.js';
export { createDecoder, type ChunkDecoder } from './decoders.js';
export type { EncodingEvidence, EncodingGuess, TextEncoding } from './detect.js';

/** Bytes read before guessing the encoding. */
export const DEFAULT_SAMPLE_BYTES = 64 * 1024;

export interface DecodeOptions {
  /** Name shown in error messages. */
  file: string;
  /** Bytes gathered to guess the encoding (default 64 KiB, or the whole input if smaller). */
  sampleBytes?: number;
  /** An encoding the user imposes (iconv-lite name); a matching BOM is still skipped. */
  encoding?: string;
  /** Called with the number of raw bytes consumed so far, for progress. */
  onBytes?: (bytes: number) => void;
}

/** Decoded text and what is known about its encoding. */
export interface DecodedText {
  /** The encoding in use; may change once, when an ASCII-only sample is followed by other bytes. */
  readonly encoding: TextEncoding;
  readonly by: EncodingEvidence;
  readonly bomLength: number;
  /** U+FFFD produced so far: bytes invalid in the chosen encoding (or U+FFFD in the input). */
  readonly replacements: number;
  /** The text, BOM removed. Iterate it once; leaving early closes the byte source. */
  readonly text: AsyncIterable<string>;
}

/**
 * Reads the first `sampleBytes` of `bytes`, guesses their encoding, then decodes the whole
 * stream. When the sample is pure ASCII the guess (UTF-8) is provisional: at the first
 * non-ASCII byte another sample is gathered and the encoding decided from it, so a file whose
 * first 64 KiB are ASCII and whose accented names come later in Windows-1252 is not turned
 * into U+FFFD. Memory: the sample plus one chunk.
 *
 * @throws VigieError `VIGIE_BAD_ENCODING` when `opts.encoding` is unknown.
 * @example
 * const decoded = await decodeStream(fs.createReadStream(path), { file: path });
 * for await (const text of decoded.text) parse(text);
 * console.log(decoded.encoding, decoded.replacements);
 */
export async function decodeStream(bytes: AsyncIterable<Uint8Array>, opts: DecodeOptions): Promise<DecodedText> {
  const sampleBytes = Math.max(4, opts.sampleBytes ?? DEFAULT_SAMPLE_BYTES);
  const it = bytes[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headLen = 0;
  let done = false;
  let first: Buffer;
  let guess: EncodingGuess;
  try {
    while (headLen < sampleBytes) {
      const r = await it.next();
      if (r.done) {
        done = true;
        break;
      }
      const b = asBuffer(r.value);
      head.push(b);
      headLen += b.length;
    }
    first = Buffer.concat(head, headLen);
    guess = opts.encoding !== undefined ? forced(opts.encoding, first, opts.file) : detectEncoding(first.subarray(0, sampleBytes), done);
  } catch (e) {
    if (!done) await it.return?.();
    throw e;
  }
  const state = new DecodeState(guess, sampleBytes);
  async function* text(): AsyncGenerator<string> {
    let consumed = 0;
    try {
      yield* state.feed(first.subarray(guess.bomLength));
      consumed = first.length;
      opts.onBytes?.(consumed);
      while (!done) {
        const r = await it.next();
        if (r.done) {
          done = true;
          break;
        }
        const b = asBuffer(r.value);
        yield* state.feed(b);
        consumed += b.length;
        opts.onBytes?.(consumed);
      }
      yield* state.finish();
    } finally {
      if (!done) await it.return?.();
    }
  }
  const gen = text();
  return {
    get encoding() {
      return state.guess.encoding;
    },
    get by() {
      return state.guess.by;
    },
    bomLength: guess.bomLength,
    get replacements() {
      return state.replacements;
    },
    text: gen,
  };
}

/** The decoder and its provisional ASCII phase. */
class DecodeState {
  replacements = 0;
  private decoder: ChunkDecoder | undefined;
  /** Bytes held since the first non-ASCII byte of a provisionally ASCII stream. */
  private held: Buffer[] = [];
  private heldLen = 0;

  constructor(
    public guess: EncodingGuess,
    private readonly sampleBytes: number,
  ) {
    if (guess.by !== 'ascii') this.decoder = createDecoder(guess.encoding);
  }

  *feed(b: Buffer): Generator<string> {
    if (b.length === 0) return;
    if (this.decoder) {
      yield this.count(this.decoder.write(b));
      return;
    }
    if (this.heldLen === 0 && isAscii(b)) {
      yield b.toString('latin1'); // ASCII reads the same in every candidate encoding
      return;
    }
    this.held.push(b);
    this.heldLen += b.length;
    if (this.heldLen >= this.sampleBytes) yield* this.decide(false);
  }

  *finish(): Generator<string> {
    if (!this.decoder && this.heldLen > 0) yield* this.decide(true);
    if (!this.decoder) return;
    const rest = this.decoder.end();
    if (rest.length > 0) yield this.count(rest);
  }

  private *decide(isEnd: boolean): Generator<string> {
    const sample = Buffer.concat(this.held, this.heldLen);
    this.held = [];
    this.heldLen = 0;
    this.guess = { ...detect8bit(sample, isEnd), bomLength: this.guess.bomLength };
    this.decoder = createDecoder(this.guess.encoding);
    yield this.count(this.decoder.write(sample));
  }

  private count(s: string): string {
    for (let i = s.indexOf('\ufffd'); i !== -1; i = s.indexOf('\ufffd', i + 1)) this.replacements++;
    return s;
  }
}

function forced(encoding: string, first: Buffer, file: string): EncodingGuess {
  let decoderOk = true;
  try {
    createDecoder(encoding);
  } catch {
    decoderOk = false;
  }
  if (!decoderOk) {
    throw new VigieError('VIGIE_BAD_ENCODING', 'unknown text encoding requested', { position: { file } });
  }
  const bom = detectBom(first);
  const same = bom !== undefined && norm(bom.encoding) === norm(encoding);
  return { encoding, bomLength: same ? bom.bomLength : 0, by: 'forced' };
}

function norm(encoding: string): string {
  return encoding.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function asBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}
