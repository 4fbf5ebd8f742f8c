/**
 * The delimited-text reader (CSV, TSV, Excel FR `;` exports, `|` dumps): decoded text in,
 * one `table` event then `rows` and `skip` events out. The parsing itself is in
 * `parser.ts` (ADR 0001 says why it is ours and not papaparse).
 */
import { VigieError } from '../../errors.js';
import type { Position } from '../../errors.js';
import { backslashQuoted, detectDelimiter, detectLineEnding, quoteEscaped } from './detect.js';
import { DelimitedParser } from './parser.js';
import { crlfRecords, detectTextExport, EscapedParser, escapedTabsAgree } from './escaped.js';
import type { ParserSink, RecordSkipReason } from './parser.js';
import { bareNullWord, fitShape, isPsqlFooterRecord, nullWords, type BlockShape } from './block.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_RECORD_CHARS } from '../limits.js';
import type { Cell, ReadEvent, ReadOptions, TextReader } from '../types.js';

/** Text gathered before parsing: small chunks are joined so the per-buffer cost stays negligible. */
const BLOCK_CHARS = 64 * 1024;
/** Excel's `sep=X` first line (written by some exports so that Excel splits on X), quoted or not. */
const SEP_HINT = /^"?sep=([,;\t|])"?[ \t]*(?:\r\n|\n|\r)/i;

/** Text the dialect is guessed from. */
const SAMPLE_CHARS = 64 * 1024;

/** Skip reasons of this reader: the parser's, plus a record whose field count is not the first row's. */
export type DelimitedSkipReason = RecordSkipReason | 'field count' | 'preamble';
export { parseBlock, type BlockShape } from './block.js';

/**
 * Records read before the table's shape is decided. Spreadsheet exports often start with a
 * title or a date line (`Export clients du 23/11/2026`) above the header: the header is the
 * first record with the most common field count among the first PRELUDE records, and the
 * lines above it are skipped as `preamble` instead of every later record failing the count.
 */
const PRELUDE = 20;

/** Field count with one trailing empty field (a trailing delimiter) not counted. */
function effectiveCount(fields: Cell[]): number {
  const k = fields.length;
  return k > 1 && fields[k - 1] === '' ? k - 1 : k;
}

/** Internal tuning, for tests and benchmarks. */
export interface DelimitedTuning {
  /** Text gathered before each parse (default 64 Ki characters). */
  blockChars?: number;
}

/**
 * Reads delimited text. The delimiter (`,` `;` tab `|`) is guessed from the first records;
 * quoting follows RFC 4180. The first record is held back as `headerRow`, the rest come in
 * `rows` batches. Records are numbered from 1 in file order, the first row and skipped records
 * included, so `firstRecord` and skip positions point into the file; a skip closes the batch
 * before it, so each batch holds consecutive records.
 *
 * A record whose field count differs from the first row's is skipped (`field count`), except
 * for one trailing empty field from a trailing delimiter (dropped), or one field fewer when
 * it is the first row that ends with a delimiter. If that record spans several lines, its
 * lines after the first are read again as records: a stray opening quote closed by a later
 * quoted field would otherwise take the rows in between with it. Memory is bounded by `maxRecordChars` and
 * the batch size; time is linear in the text length.
 *
 * @throws VigieError `VIGIE_EMPTY_FILE` when the text holds no record at all.
 * @example
 * for await (const ev of readDelimited(text, { displayName: 'fuite.csv' })) {
 *   if (ev.kind === 'rows') handle(ev.rows);
 * }
 */
export const readDelimited: TextReader = (text, opts) => read(text, opts, BLOCK_CHARS);

/** {@link readDelimited} with internal tuning: small blocks exercise every buffer boundary. */
export function createDelimitedReader(tuning: DelimitedTuning): TextReader {
  const block = Math.max(1, tuning.blockChars ?? BLOCK_CHARS);
  return (text, opts) => read(text, opts, block);
}

async function* read(text: AsyncIterable<string>, opts: ReadOptions, blockChars: number): AsyncGenerator<ReadEvent> {
  const stream = new DelimitedStream(opts, blockChars);
  for await (const chunk of text) yield* stream.write(chunk);
  yield* stream.end();
}

/** Where a delimited table stands between two records, and what a block parser needs to go on from there (block.ts). */
export interface Boundary {
  shape: BlockShape;
  /** 1-based line of the next record. */
  line: number;
  /** Records (skips included) read so far: the next record's number minus one. */
  record: number;
}

/**
 * The delimited reader as a push parser: `write` decoded text, `end` once. Its decisions depend
 * only on the text, never on how it was cut (see parser.ts), so the ingest can hand the text
 * between two `boundary()` points to a block parser on another thread and `resume` after it.
 */
export class DelimitedStream {
  private table: TableBuilder | undefined;
  private parser: DelimitedParser | EscapedParser | undefined;
  private leftover = '';
  private pending: string[] = [];
  private pendingLen = 0;
  private readonly batchSize: number;
  private readonly maxRecordChars: number;
  /** The first line was Excel's `sep=` hint: records are numbered from line 2. */
  private hinted = false;

  constructor(
    private readonly opts: ReadOptions,
    private readonly blockChars = BLOCK_CHARS,
  ) {
    this.batchSize = Math.max(1, opts.batchSize ?? DEFAULT_BATCH_SIZE);
    this.maxRecordChars = Math.max(1, opts.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS);
  }

  /** The name positions carry. */
  get name(): string {
    return this.opts.displayName;
  }

  /** Takes the next text; parses once enough has gathered. */
  *write(chunk: string): Generator<ReadEvent> {
    if (chunk.length === 0) return;
    this.pending.push(chunk);
    this.pendingLen += chunk.length;
    // Wait for at least as much new text as the unfinished record holds: re-parsing that record
    // then costs at most its own length again, which keeps the total time linear.
    if (this.pendingLen < this.blockChars || this.pendingLen < this.leftover.length) return;
    yield* this.flush();
  }

  /** Parses what has gathered now (the dialect still waits for its sample). */
  *flush(): Generator<ReadEvent> {
    if (!this.parser && this.pendingLen < SAMPLE_CHARS) return;
    const s = this.leftover + (this.pending.length === 1 ? (this.pending[0] as string) : this.pending.join(''));
    this.pending = [];
    this.pendingLen = 0;
    this.leftover = yield* this.run(s, false);
  }

  /** The end of the text: the last record, then the last batch. */
  *end(): Generator<ReadEvent> {
    const s = this.leftover + this.pending.join('');
    this.leftover = '';
    this.pending = [];
    this.pendingLen = 0;
    yield* this.run(s, true);
    if (!this.table?.finish()) {
      throw new VigieError('VIGIE_EMPTY_FILE', 'no record in delimited text', {
        position: { file: this.opts.displayName },
      });
    }
    yield* this.table.drain();
  }

  /**
   * Non-null when every text written so far is parsed, the table's shape is decided and the
   * parser stands between records in its initial state (no open quote, no line being dropped,
   * no record being re-read): the next text can then be parsed by anyone who knows the shape.
   * Call after `flush`; the current batch is emitted first.
   */
  *boundary(): Generator<ReadEvent, Boundary | null> {
    const { table, parser } = this;
    if (!table || !(parser instanceof DelimitedParser) || this.leftover !== '' || this.pendingLen > 0) return null;
    const at = parser.boundary();
    const shape = table.shape();
    if (at === null || shape === null) return null;
    yield* table.flushBatch();
    return {
      shape: { ...shape, delimiter: parser.delimiter, escape: parser.escapes, quoteEscape: parser.quoteEscape, maxRecordChars: this.maxRecordChars },
      line: at,
      record: table.records,
    };
  }

  /** Goes on after text parsed elsewhere from `boundary()`: the next record starts on `line` and is numbered `record + 1`. */
  resume(line: number, record: number): void {
    if (!(this.parser instanceof DelimitedParser) || !this.table) throw new Error('resume without a boundary');
    this.parser.line = line;
    this.table.records = record;
  }

  // Parses one buffer, yielding events as batches fill; returns the unconsumed tail.
  private *run(s: string, isEnd: boolean): Generator<ReadEvent, string> {
    let pos = 0;
    const { opts, batchSize, maxRecordChars } = this;
    if (!this.parser || !this.table) {
      if (s.charCodeAt(0) === 0xfeff) pos = 1; // a BOM the decoder did not strip
      // Excel's hint on the first line (`sep=;`, for the delimiter it should split on): no record.
      const hint = SEP_HINT.exec(s.slice(pos, pos + 16));
      if (hint) {
        pos += hint[0].length;
        this.hinted = true;
      }
      // The first SAMPLE_CHARS characters: the same sample whatever the chunking.
      const sample = s.slice(pos, SAMPLE_CHARS);
      // A tab-separated text export whose binary values hold stray quotes: tabs, counted with
      // its escapes, decide before a quote-aware guess is misled.
      const tabSigns = detectTextExport(sample, '\t');
      const tabExport = tabSigns !== undefined && escapedTabsAgree(sample);
      const delimiter = hint ? (hint[1] as string) : tabExport ? '\t' : detectDelimiter(sample, isEnd && s.length <= SAMPLE_CHARS);
      const lineEnding = detectLineEnding(sample);
      // MySQL's quoted export (INTO OUTFILE … ENCLOSED BY '"', --tab --fields-enclosed-by): quotes and backslash escapes.
      const backslash = backslashQuoted(sample, delimiter);
      // A database's text export (mysqldump --tab, INTO OUTFILE, mysql -B, COPY TO): backslash escapes, no quotes.
      const exported = backslash ? undefined : delimiter === '\t' ? tabSigns : detectTextExport(sample, delimiter);
      // MySQL's quoted export escaping with the quote itself (ESCAPED BY '"'): `""`, `"0`, `"N`, a quote before a line break.
      const quoteEscape = backslash ? 'none' : quoteEscaped(sample, delimiter);
      if (quoteEscape !== 'none') {
        this.table = new TableBuilder(opts.displayName, batchSize, { delimiter, lineEnding, quote: '"', escape: '"', null: '"N' });
        this.parser = new DelimitedParser(delimiter, maxRecordChars, this.table, false, quoteEscape);
      } else if (backslash) {
        this.table = new TableBuilder(opts.displayName, batchSize, { delimiter, lineEnding, quote: '"', escape: '\\', null: '\\N' });
        this.parser = new DelimitedParser(delimiter, maxRecordChars, this.table, true);
      } else if (exported) {
        this.table = new TableBuilder(opts.displayName, batchSize, { delimiter, lineEnding, quote: 'none', escape: '\\', null: exported.nullMark });
        this.parser = new EscapedParser(maxRecordChars, this.table, exported.nullMark, delimiter, crlfRecords(sample));
      } else {
        // NULL written as a bare word: `NULL` (MySQL's INTO OUTFILE … ESCAPED BY '', SQL clients' CSV exports) or `\N` (DuckDB, Hive).
        const nullWord = bareNullWord(sample, delimiter);
        this.table = new TableBuilder(
          opts.displayName,
          batchSize,
          nullWord !== undefined ? { delimiter, lineEnding, quote: '"', null: nullWord } : { delimiter, lineEnding, quote: '"' },
        );
        this.parser = new DelimitedParser(delimiter, maxRecordChars, this.table);
      }
    }
    const { parser, table } = this;
    if (this.hinted) {
      this.hinted = false;
      parser.line = 2; // the hint was line 1
    }
    for (;;) {
      pos = parser.parse(s, pos, isEnd, batchSize);
      yield* table.drain();
      if (parser.needMore || pos >= s.length) break;
    }
    return parser.needMore ? s.slice(pos) : '';
  }
}

/** Turns parser output into reader events: first row, field-count check, batches. */
class TableBuilder implements ParserSink {
  private events: ReadEvent[] = [];
  /** Skips seen before the first row: they follow the `table` event. */
  private held: ReadEvent[] = [];
  private batch: Cell[][] = [];
  private batchFirst = 0;
  /** Records (skips included) numbered so far. */
  records = 0;
  private started = false;
  private expected = 0;
  private headerTrailingEmpty = false;
  /** Quoted CSV whose bare null word (`NULL`, `\N`) is absent (see `bareNullWord`): the parser leaves it to the table. */
  private readonly nullWord: string | undefined;

  constructor(
    private readonly name: string,
    private readonly batchSize: number,
    private readonly meta: Record<string, string>,
  ) {
    // Not in MySQL's quoted export (its escape set): its parser reads `\N` itself.
    this.nullWord = meta['quote'] === '"' && meta['escape'] === undefined ? meta['null'] : undefined;
  }

  record(fields: Cell[], line: number, alreadyReported: boolean, multiLine: boolean): boolean {
    if (alreadyReported && !this.fits(fields)) return false;
    if (isPsqlFooterRecord(fields, this.meta['delimiter'] ?? '', this.started ? this.expected : 0)) return true;
    if (!this.started && multiLine) {
      // Before the shape is decided, a record spanning lines whose count differs from the first
      // record's most likely joined records through a stray quote: reject it so the parser
      // reads its lines again.
      const mode = this.preludeMode();
      if (mode !== -1 && mode !== effectiveCount(fields)) {
        this.prelude.push({ fields: null, reason: 'field count', line, no: ++this.records });
        return false;
      }
    }
    const no = ++this.records;
    if (!this.started) {
      this.prelude.push({ fields, line, no });
      if (this.prelude.length >= PRELUDE) this.settle();
      return true;
    }
    return this.accept(fields, line, no);
  }

  /** Records (and skips, `fields` null) before the shape is decided, in input order. */
  private prelude: { fields: Cell[] | null; reason?: DelimitedSkipReason; line: number; no: number }[] = [];

  /**
   * The most common effective field count among the prelude records so far (-1 if none); on a
   * tie the larger count, since title and date lines have fewer fields than the table.
   */
  private preludeMode(): number {
    return this.preludeCounts().mode;
  }

  private preludeCounts(): { mode: number; freq: Map<number, number> } {
    const freq = new Map<number, number>();
    let mode = -1;
    for (const r of this.prelude) {
      if (!r.fields) continue;
      const k = effectiveCount(r.fields);
      const n = (freq.get(k) ?? 0) + 1;
      freq.set(k, n);
      const m = mode === -1 ? 0 : freq.get(mode)!;
      if (n > m || (n === m && k > mode)) mode = k;
    }
    return { mode, freq };
  }

  /** Decides the header among the prelude records, then replays the rest. */
  private settle(): void {
    const counts = this.preludeCounts();
    const prelude = this.prelude;
    this.prelude = [];
    // Lines above the header only when the table's width is clear: at least two records agree
    // on it, more than agree with the first record's width. Otherwise the first record leads.
    const first = prelude.find((r) => r.fields)?.fields;
    const firstCount = first ? effectiveCount(first) : -1;
    const supported = (counts.freq.get(counts.mode) ?? 0) >= 2 && (counts.freq.get(counts.mode) ?? 0) > (counts.freq.get(firstCount) ?? 0);
    const mode = supported ? counts.mode : firstCount;
    let started = false;
    for (const r of prelude) {
      if (!r.fields) this.addSkip(r.reason!, r.line, r.no);
      else if (started) this.accept(r.fields, r.line, r.no);
      else if (effectiveCount(r.fields) === mode) {
        this.start(r.fields);
        started = true;
      } else this.addSkip('preamble', r.line, r.no);
    }
  }

  /** A record once the table's shape is known: checked against the field count, batched. */
  private accept(fields: Cell[], line: number, no: number): boolean {
    if (!fitShape(fields, this.expected, this.headerTrailingEmpty)) {
      this.addSkip('field count', line, no);
      return false;
    }
    if (this.batch.length === 0) this.batchFirst = no;
    if (this.nullWord !== undefined) nullWords(fields, this.nullWord);
    this.batch.push(fields);
    if (this.batch.length >= this.batchSize) this.flush();
    return true;
  }

  /** The table's shape once decided (null before). */
  shape(): Pick<BlockShape, 'expected' | 'headerTrailingEmpty' | 'nullWord'> | null {
    return this.started && this.prelude.length === 0
      ? { expected: this.expected, headerTrailingEmpty: this.headerTrailingEmpty, nullWord: this.nullWord }
      : null;
  }

  /** Emits the batch begun, so that the events so far are all out. */
  *flushBatch(): Generator<ReadEvent> {
    this.flush();
    yield* this.drain();
  }

  /** Whether a record has the expected field count (the same tolerance as `record`). */
  private fits(fields: Cell[]): boolean {
    if (!this.started) {
      const mode = this.preludeMode();
      return mode === -1 || mode === effectiveCount(fields);
    }
    return fitShape(fields, this.expected, this.headerTrailingEmpty);
  }

  skip(reason: RecordSkipReason, line: number): void {
    const no = ++this.records;
    if (this.started) this.addSkip(reason, line, no);
    else this.prelude.push({ fields: null, reason, line, no });
  }

  /** Events ready to be yielded, in order. */
  *drain(): Generator<ReadEvent> {
    if (this.events.length === 0) return;
    const out = this.events;
    this.events = [];
    yield* out;
  }

  /** Flushes the last batch; false when the input held no record at all. */
  finish(): boolean {
    if (!this.started && this.prelude.some((r) => r.fields)) this.settle();
    for (const r of this.prelude) this.addSkip(r.reason!, r.line, r.no);
    this.prelude = [];
    if (!this.started) {
      if (this.held.length === 0) return false;
      this.start(undefined);
    }
    this.flush();
    return true;
  }

  private start(first: Cell[] | undefined): void {
    this.started = true;
    // The first row may be data: a header that writes NULL is none (`recogniseTable` weighs it).
    if (first && this.nullWord !== undefined) nullWords(first, this.nullWord);
    const n = first?.length ?? 0;
    this.expected = n;
    this.headerTrailingEmpty = n > 1 && first?.[n - 1] === '';
    const columns: string[] = [];
    for (let i = 1; i <= n; i++) columns.push(`column_${i}`);
    this.events.push({
      kind: 'table',
      name: this.name,
      format: 'delimited',
      columns,
      ...(first ? { headerRow: first } : {}),
      meta: this.meta,
    });
    this.events.push(...this.held);
    this.held = [];
  }

  private addSkip(reason: DelimitedSkipReason, line: number, record: number): void {
    this.flush();
    const position: Position = { file: this.name, line, record };
    const ev: ReadEvent = { kind: 'skip', reason, position };
    (this.started ? this.events : this.held).push(ev);
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    this.events.push({ kind: 'rows', rows: this.batch, firstRecord: this.batchFirst });
    this.batch = [];
  }
}
