/**
 * The door of `read/html/`: HTML tables as database clients and office programs write them
 * (`mysql -H`, `psql -H`, sqlite3's `.mode html`, LibreOffice's HTML export, any page of
 * tables), one table per outermost `<table>` (sqlite3 writes its rows with no `<table>` around
 * them: one table). Cells read as a person sees them: tags inside dropped, entities decoded,
 * runs of spaces one space, trimmed, a `<br>` or a line feed a line break; `colspan` filled with
 * empty cells. A cell holding only `NULL` (mysql's NULL) or nothing but a no-break space (psql's
 * NULL and empty string) is absent. Text outside cells (captions, psql's `(3 rows)` footer, the
 * page around the tables) is passed over. The first row is the header candidate, as a sheet's:
 * the recogniser decides. htmlparser2 tokenises, streaming.
 */
import { Parser } from 'htmlparser2';
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_RECORD_CHARS, MAX_COLUMNS } from '../limits.js';
import { SheetTable } from '../sheet-table.js';
import type { Cell, ReadEvent, ReadOptions } from '../types.js';

/** A `<br>` in a cell's gathered text, until the white space around it is collapsed: U+2028, LINE SEPARATOR, a line break in text too. */
const BR = '\u2028';

/** Tables inside a cell are read as that cell's text; past this depth their tags are ignored. */
const MAX_TABLE_DEPTH = 32;

/** Elements whose text is never a cell's (code and styling inside a page). */
const IGNORED: ReadonlySet<string> = new Set(['script', 'style', 'template', 'noscript']);

/**
 * Reads HTML tables from decoded text: a `table` event per outermost `<table>` holding rows
 * (named `file` for the first, `file:table2`… after), then its `rows` and `skip` events. A row
 * longer than `maxRecordChars`, or wider than `MAX_COLUMNS`, is a skip with its line and record.
 *
 * @example
 * for await (const ev of readHtml(text, { displayName: 'clients.html' })) {
 *   if (ev.kind === 'rows') console.log(ev.rows.length);
 * }
 */
export async function* readHtml(text: AsyncIterable<string>, opts: ReadOptions): AsyncGenerator<ReadEvent> {
  const out: ReadEvent[] = [];
  const tables = new Tables(out, opts);
  const lines = new Lines();
  const parser = new Parser(
    {
      onopentag: (name, attribs) => tables.open(name, attribs, () => lines.at(parser.startIndex)),
      ontext: (data) => tables.text(data),
      onclosetag: (name) => tables.close(name),
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  for await (const chunk of text) {
    lines.next(chunk);
    parser.write(chunk);
    if (out.length > 0) yield* out.splice(0);
  }
  parser.end();
  tables.finish();
  yield* out.splice(0);
}

/** The tables being read: where the parser is (table, row, cell) and what it has gathered. */
class Tables {
  private readonly file: string;
  private readonly batchSize: number;
  private readonly maxChars: number;
  /** `<table>` elements open (0: outside any; rows at 0 are sqlite3's, with no table around them). */
  private depth = 0;
  private overflow = 0;
  private ignored = 0;
  private count = 0;
  private table: SheetTable | undefined;
  private record = 0;
  private row: Cell[] | undefined;
  private rowChars = 0;
  private rowLine = 1;
  private tooLong = false;
  private tooWide = false;
  private cell: string | undefined;
  private span = 1;

  constructor(
    private readonly out: ReadEvent[],
    opts: ReadOptions,
  ) {
    this.file = opts.displayName;
    this.batchSize = Math.max(1, opts.batchSize ?? DEFAULT_BATCH_SIZE);
    this.maxChars = Math.max(1, opts.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS);
  }

  open(name: string, attribs: Record<string, string>, line: () => number): void {
    if (IGNORED.has(name)) {
      this.ignored++;
      return;
    }
    if (this.cell !== undefined && (this.depth > 1 || (name !== 'td' && name !== 'th' && name !== 'tr'))) {
      // Inside a cell: a table nested in it is more of its text.
      if (name === 'table') this.nest();
      else if (name === 'br') this.cell += BR;
      else if (BLOCKS.has(name)) this.cell += ' ';
      return;
    }
    if (name === 'table') {
      if (this.depth === 0) this.endTable();
      this.nest();
    } else if (name === 'tr') {
      this.startRow(line);
    } else if (name === 'td' || name === 'th') {
      this.endCell();
      if (this.row === undefined) this.startRow(line); // a cell outside any row: a row of its own
      this.cell = '';
      const span = Number.parseInt(attribs['colspan'] ?? '1', 10);
      this.span = Number.isFinite(span) && span > 1 ? Math.min(span, MAX_COLUMNS + 1) : 1;
    }
  }

  text(data: string): void {
    if (this.cell === undefined || this.ignored > 0 || this.tooLong) return;
    this.rowChars += data.length;
    if (this.rowChars > this.maxChars) {
      this.tooLong = true;
      this.cell = '';
      return;
    }
    this.cell += data;
  }

  close(name: string): void {
    if (IGNORED.has(name)) {
      if (this.ignored > 0) this.ignored--;
      return;
    }
    if (this.cell !== undefined && this.depth > 1) {
      if (name === 'table') this.unnest();
      else if (BLOCKS.has(name)) this.cell += ' ';
      return;
    }
    if (name === 'table') {
      if (this.depth === 0) return;
      this.unnest();
      if (this.depth === 0) this.endTable();
    } else if (name === 'tr') this.endRow();
    else if (name === 'td' || name === 'th') this.endCell();
  }

  /** A `<table>` opened: counted up to `MAX_TABLE_DEPTH`, the deeper ones only matched to their ends. */
  private nest(): void {
    if (this.depth < MAX_TABLE_DEPTH) this.depth++;
    else this.overflow++;
  }

  private unnest(): void {
    if (this.overflow > 0) this.overflow--;
    else this.depth--;
    if (this.cell !== undefined) this.cell += ' ';
  }

  private startRow(line: () => number): void {
    this.endRow();
    this.row = [];
    this.rowChars = 0;
    this.tooLong = false;
    this.tooWide = false;
    this.rowLine = line();
  }

  finish(): void {
    this.endTable();
  }

  private endCell(): void {
    const raw = this.cell;
    if (raw === undefined || this.row === undefined) return;
    this.cell = undefined;
    // Past `MAX_COLUMNS` the row is a skip: its cells are no longer kept (a hostile row may hold millions).
    if (this.row.length + this.span > MAX_COLUMNS) this.tooWide = true;
    if (!this.tooWide) {
      this.row.push(cellValue(raw));
      for (let i = 1; i < this.span; i++) this.row.push(null);
    }
    this.span = 1;
  }

  private endRow(): void {
    this.endCell();
    const row = this.row;
    if (row === undefined) return;
    this.row = undefined;
    if (row.length === 0 && !this.tooWide) return;
    const table = this.current();
    const record = ++this.record;
    const position = { file: this.file, line: this.rowLine, record };
    if (this.tooLong) table.skip('record too long', position);
    else if (this.tooWide) table.skip('too many columns', position);
    else table.row(row, record);
  }

  private endTable(): void {
    this.endRow();
    if (this.table === undefined) return;
    this.table.flush();
    this.table = undefined;
  }

  private current(): SheetTable {
    if (this.table === undefined) {
      this.count++;
      this.record = 0;
      const name = this.count === 1 ? this.file : `${this.file}:table${this.count}`;
      this.table = new SheetTable(this.out, name, 'html', { table: String(this.count) }, this.batchSize);
    }
    return this.table;
  }
}

/** Elements that start a block of their own inside a cell. */
const BLOCKS: ReadonlySet<string> = new Set(['p', 'div', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'tr', 'td', 'th']);

/**
 * A cell's text: spaces, tabs and no-break spaces collapsed to one space, each line trimmed, the
 * empty lines at its ends dropped (an office program's indentation); a line break inside a value
 * kept, whether `<br>` (psql) or written raw (mysql, sqlite3). mysql's `NULL` and psql's lone
 * no-break space are absent.
 */
function cellValue(raw: string): Cell {
  // psql writes `<br />` and a line feed for one line break.
  const text = raw
    .replace(/\u2028[ \t]*\r?\n/g, BR)
    .split(LINE_BREAK)
    .map((l) => l.replace(/[ \t\f\r\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+/g, ' ').trim())
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
  if (text === '' && raw.includes('\u00a0')) return null;
  if (text === 'NULL') return null;
  return text;
}

const LINE_BREAK = /\r?\n|\u2028/;

/** Line numbers of the text fed so far, counted once as the parser moves on. */
class Lines {
  private chunk = '';
  private chunkStart = 0;
  /** Absolute index up to which lines are counted, and the line there. */
  private index = 0;
  private line = 1;

  next(chunk: string): void {
    this.line += newlines(this.chunk, this.index - this.chunkStart, this.chunk.length);
    this.chunkStart += this.chunk.length;
    this.index = this.chunkStart;
    this.chunk = chunk;
  }

  /** The line of `absolute`, an index at or after the last one asked (earlier ones give the last line). */
  at(absolute: number): number {
    const to = Math.min(absolute - this.chunkStart, this.chunk.length);
    const from = this.index - this.chunkStart;
    if (to > from) {
      this.line += newlines(this.chunk, from, to);
      this.index = this.chunkStart + to;
    }
    return this.line;
  }
}

function newlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i !== -1 && i < to; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
