/**
 * The loop shared by both dump readers: decide the dialect from the dump's start
 * (`evidence.ts`), then feed each decoded chunk to the parser and yield what it completed.
 * Events never pile up beyond what one chunk produced (or the sample, at the start).
 */
import { VigieError } from '../../errors.js';
import type { ReadEvent, ReadOptions, SourceFormat, TextReader } from '../types.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_RECORD_CHARS } from '../limits.js';
import type { Dialect } from './dialect.js';
import { dialectEvidence, SAMPLE_CHARS } from './evidence.js';
import { DumpParser } from './parser.js';
import type { ParserOptions } from './parser.js';

function positiveInteger(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new VigieError('VIGIE_USAGE', `${what} must be a positive integer`);
  return value;
}

/** How well a dialect reads the sample: fewer malformed records, then more records. */
interface Score {
  failed: boolean;
  skips: number;
  rows: number;
}

function trial(opts: ParserOptions, sample: string, whole: boolean): Score {
  const parser = new DumpParser(opts);
  let failed = false;
  try {
    parser.lexer.feed(sample);
    if (whole) parser.lexer.end();
  } catch {
    failed = true;
  }
  let skips = 0;
  let rows = 0;
  for (const ev of parser.tables.take()) {
    if (ev.kind === 'skip') skips++;
    else if (ev.kind === 'rows') rows += ev.rows.length;
  }
  return { failed, skips, rows };
}

function better(a: Score, b: Score): boolean {
  if (a.failed !== b.failed) return b.failed;
  if (a.skips !== b.skips) return a.skips < b.skips;
  return a.rows > b.rows;
}

/** The dialect of the dump, and the meta that says why (empty when it is the reader's own by evidence). */
function choose(base: Omit<ParserOptions, 'dialect'>, hint: Dialect, sample: string, whole: boolean): { dialect: Dialect; meta: Record<string, string> } {
  const ev = dialectEvidence(sample, hint);
  if ('dialect' in ev) return { dialect: ev.dialect, meta: ev.dialect === hint ? {} : { dialect: ev.dialect.name, dialectFrom: ev.from } };
  let best = hint;
  let bestScore: Score | null = null;
  for (const d of ev.candidates) {
    const s = trial({ ...base, dialect: d }, sample, whole);
    if (bestScore === null || better(s, bestScore)) {
      best = d;
      bestScore = s;
    }
  }
  return { dialect: best, meta: best === hint ? {} : { dialect: best.name, dialectFrom: 'trial parse' } };
}

function formatOf(dialect: Dialect, fallback: SourceFormat): SourceFormat {
  return dialect.family === 'mysql' ? 'mysqldump' : dialect.family === 'pg' ? 'pgdump' : fallback;
}

/** Builds the TextReader of SQL dumps; `hint` is the dialect expected, the dump's evidence decides. */
export function dumpReader(hint: Dialect, format: SourceFormat): TextReader {
  return async function* read(text: AsyncIterable<string>, opts: ReadOptions): AsyncGenerator<ReadEvent> {
    const base = {
      file: opts.displayName,
      format,
      batchSize: positiveInteger(opts.batchSize, DEFAULT_BATCH_SIZE, 'batchSize'),
      maxRecordChars: positiveInteger(opts.maxRecordChars, DEFAULT_MAX_RECORD_CHARS, 'maxRecordChars'),
    };
    const it = text[Symbol.asyncIterator]();
    const head: string[] = [];
    let chars = 0;
    let done = false;
    while (chars < SAMPLE_CHARS) {
      const r = await it.next();
      if (r.done) {
        done = true;
        break;
      }
      head.push(r.value);
      chars += r.value.length;
    }
    if (chars === 0) throw new VigieError('VIGIE_EMPTY_FILE', 'empty SQL dump', { position: { file: opts.displayName } });
    const sample = head.join('');
    const { dialect, meta } = choose(base, hint, sample.slice(0, SAMPLE_CHARS), done && sample.length <= SAMPLE_CHARS);
    const parser = new DumpParser({ ...base, format: formatOf(dialect, format), dialect, meta });
    parser.lexer.feed(sample);
    if (parser.tables.out.length > 0) yield* parser.tables.take();
    while (!done) {
      const r = await it.next();
      if (r.done) break;
      parser.lexer.feed(r.value);
      if (parser.tables.out.length > 0) yield* parser.tables.take();
    }
    try {
      parser.lexer.end();
    } finally {
      // What was complete is delivered even when the end of input is an error.
      yield* parser.tables.take();
    }
  };
}
