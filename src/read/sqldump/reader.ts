/**
 * The loop shared by both dump readers: decide the dialect from the dump's start
 * (`evidence.ts`), then feed each decoded chunk to the parser and yield what it completed.
 * Events never pile up beyond what one chunk produced (or the sample, at the start).
 */
import { VigieError } from '../../errors.js';
import type { ReadEvent, ReadOptions, SourceFormat, TextReader } from '../types.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_RECORD_CHARS, positiveInteger } from '../limits.js';
import type { Dialect } from './dialect.js';
import { dialectEvidence, SAMPLE_CHARS } from './evidence.js';
import { DumpParser } from './parser.js';
import type { ParserOptions } from './parser.js';

/** How well a dialect reads the sample: fewer malformed records, then more records. */
interface Score {
  failed: boolean;
  skips: number;
  rows: number;
}

type Base = Omit<ParserOptions, 'dialect' | 'format' | 'meta'> & { format: SourceFormat };

function formatOf(dialect: Dialect, fallback: SourceFormat): SourceFormat {
  return dialect.family === 'mysql' ? 'mysqldump' : dialect.family === 'pg' ? 'pgdump' : fallback;
}

function parserFor(base: Base, dialect: Dialect, meta: Record<string, string>): DumpParser {
  return new DumpParser({ ...base, format: formatOf(dialect, base.format), dialect, meta });
}

/**
 * Parses the sample in one dialect and scores it. The parser is returned with the sample's
 * events still in it, so that the winner goes on with the rest of the dump; a whole input is
 * also ended, to count what its end leaves open.
 */
function trial(base: Base, dialect: Dialect, meta: Record<string, string>, sample: string, whole: boolean): { score: Score; parser: DumpParser } {
  const parser = parserFor(base, dialect, meta);
  let failed = false;
  try {
    parser.lexer.feed(sample);
    if (whole) parser.lexer.end();
  } catch {
    failed = true;
  }
  let skips = 0;
  let rows = 0;
  for (const ev of parser.tables.out) {
    if (ev.kind === 'skip') skips++;
    else if (ev.kind === 'rows') rows += ev.rows.length;
  }
  return { score: { failed, skips, rows }, parser };
}

function better(a: Score, b: Score): boolean {
  if (a.failed !== b.failed) return b.failed;
  if (a.skips !== b.skips) return a.skips < b.skips;
  return a.rows > b.rows;
}

/**
 * The parser of the dump's dialect. Meta names the dialect and why when it is not the reader's
 * own. When the dialect took a trial parse of a sample that is not the whole input, the
 * returned parser has already read the sample (`fed`).
 */
function choose(base: Base, hint: Dialect, sample: string, whole: boolean): { parser: DumpParser; fed: boolean } {
  const ev = dialectEvidence(sample, hint);
  if ('dialect' in ev) {
    const d = ev.dialect;
    return { parser: parserFor(base, d, d === hint ? {} : { dialect: d.name, dialectFrom: ev.from }), fed: false };
  }
  let best: { score: Score; parser: DumpParser; dialect: Dialect; meta: Record<string, string> } | null = null;
  for (const d of ev.candidates) {
    const meta: Record<string, string> = d === hint ? {} : { dialect: d.name, dialectFrom: 'trial parse' };
    const t = trial(base, d, meta, sample, whole);
    if (best === null || better(t.score, best.score)) best = { ...t, dialect: d, meta };
  }
  if (best === null) return { parser: parserFor(base, hint, {}), fed: false };
  // A whole input was ended by its trial: it is read again, cheaply (it is under a megabyte).
  return whole ? { parser: parserFor(base, best.dialect, best.meta), fed: false } : { parser: best.parser, fed: true };
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
    const cut = sample.slice(0, SAMPLE_CHARS);
    const { parser, fed } = choose(base, hint, cut, done && sample.length <= SAMPLE_CHARS);
    parser.lexer.feed(fed ? sample.slice(cut.length) : sample);
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
