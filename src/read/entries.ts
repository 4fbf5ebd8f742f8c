/**
 * What the readers of entry-per-block text formats share (LDIF's entries, vCard's cards): the
 * text cut into lines with every line bounded, and one table whose columns are found as the
 * entries come (append-only), its records batched and its skips placed at a line and a record.
 */
import type { Position } from '../errors.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_RECORD_CHARS, MAX_COLUMNS } from './limits.js';
import type { Cell, ReadEvent, ReadOptions, SourceFormat } from './types.js';

/**
 * The lines of `text`, without their CR LF or LF, a batch per chunk. A line longer than
 * `maxChars` is cut to `maxChars + 1` characters (enough for its reader to tell it is too long)
 * and the rest of it dropped, so memory stays bounded whatever the line.
 */
export async function* linesOf(text: AsyncIterable<string>, maxChars: number): AsyncGenerator<string[]> {
  let carry = '';
  /** The rest of an overlong line is being dropped (its start was handed over). */
  let dropping = false;
  for await (const chunk of text) {
    carry += chunk;
    const lines: string[] = [];
    let from = 0;
    if (dropping) {
      const nl = carry.indexOf('\n');
      if (nl === -1) {
        carry = '';
        continue;
      }
      dropping = false;
      from = nl + 1;
    }
    for (let nl = carry.indexOf('\n', from); nl !== -1; nl = carry.indexOf('\n', from)) {
      lines.push(carry.slice(from, nl > from && carry.charCodeAt(nl - 1) === 13 ? nl - 1 : nl));
      from = nl + 1;
    }
    carry = carry.slice(from);
    if (carry.length > maxChars) {
      lines.push(carry.slice(0, maxChars + 1));
      carry = '';
      dropping = true;
    }
    yield lines;
  }
  if (!dropping && carry !== '') yield [carry.endsWith('\r') ? carry.slice(0, -1) : carry];
}

/** One table of entries: named after the file, its columns added as they are found. */
export class EntryTable {
  readonly maxChars: number;
  private readonly batchSize: number;
  private readonly columns: string[] = [];
  private readonly index = new Map<string, number>();
  private events: ReadEvent[] = [];
  private batch: Cell[][] = [];
  private batchFirst = 1;
  private records = 0;
  private announced = false;

  constructor(
    private readonly file: string,
    private readonly format: SourceFormat,
    opts: ReadOptions,
  ) {
    this.batchSize = Math.max(1, opts.batchSize ?? DEFAULT_BATCH_SIZE);
    this.maxChars = Math.max(1, opts.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS);
  }

  /** The index of a column, added at the end when new; `key` matches names (default: the name); -1 past `MAX_COLUMNS`. */
  column(name: string, key = name): number {
    const known = this.index.get(key);
    if (known !== undefined) return known;
    if (this.columns.length >= MAX_COLUMNS) return -1;
    this.announce();
    this.columns.push(name);
    this.index.set(key, this.columns.length - 1);
    return this.columns.length - 1;
  }

  /** A record, its cells placed by `column`. */
  push(row: Cell[]): void {
    this.records++;
    if (this.batch.length === 0) this.batchFirst = this.records;
    this.batch.push(row);
    if (this.batch.length >= this.batchSize) this.flush();
  }

  /** An entry skipped: it takes a record number. */
  skip(reason: string, line: number): void {
    this.flush();
    this.announce();
    this.records++;
    const position: Position = { file: this.file, line, record: this.records };
    this.events.push({ kind: 'skip', reason, position });
  }

  /** Text outside any entry, skipped: a line, no record. */
  outsideSkip(reason: string, line: number): void {
    this.flush();
    this.announce();
    this.events.push({ kind: 'skip', reason, position: { file: this.file, line } });
  }

  /** The end of the text: the last batch, and the table even when it holds nothing. */
  end(): void {
    this.flush();
    this.announce();
  }

  *drain(): Generator<ReadEvent> {
    if (this.events.length === 0) return;
    const out = this.events;
    this.events = [];
    yield* out;
  }

  private announce(): void {
    if (this.announced) return;
    this.announced = true;
    // The columns array is shared: names found later are pushed onto it (append-only contract).
    this.events.push({ kind: 'table', name: this.file, format: this.format, columns: this.columns, meta: {} });
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    this.events.push({ kind: 'rows', rows: this.batch, firstRecord: this.batchFirst });
    this.batch = [];
  }
}
