/**
 * The loop shared by both dump readers: feed each decoded chunk to the parser, yield what it
 * completed. Events never pile up beyond what one chunk produced.
 */
import { VigieError } from '../../errors.js';
import type { ReadEvent, ReadOptions, SourceFormat, TextReader } from '../types.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_RECORD_CHARS } from '../limits.js';
import type { Dialect } from './dialect.js';
import { DumpParser } from './parser.js';

function positiveInteger(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new VigieError('VIGIE_USAGE', `${what} must be a positive integer`);
  return value;
}

/** Builds the TextReader of one SQL dialect. */
export function dumpReader(dialect: Dialect, format: SourceFormat): TextReader {
  return async function* read(text: AsyncIterable<string>, opts: ReadOptions): AsyncGenerator<ReadEvent> {
    const parser = new DumpParser({
      dialect,
      file: opts.displayName,
      format,
      batchSize: positiveInteger(opts.batchSize, DEFAULT_BATCH_SIZE, 'batchSize'),
      maxRecordChars: positiveInteger(opts.maxRecordChars, DEFAULT_MAX_RECORD_CHARS, 'maxRecordChars'),
    });
    let chars = 0;
    for await (const chunk of text) {
      chars += chunk.length;
      parser.lexer.feed(chunk);
      if (parser.tables.out.length > 0) yield* parser.tables.take();
    }
    if (chars === 0) throw new VigieError('VIGIE_EMPTY_FILE', 'empty SQL dump', { position: { file: opts.displayName } });
    try {
      parser.lexer.end();
    } finally {
      // What was complete is delivered even when the end of input is an error.
      yield* parser.tables.take();
    }
  };
}
