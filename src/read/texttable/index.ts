import { VigieError } from '../../errors.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_RECORD_CHARS } from '../limits.js';
import type { Cell, ReadEvent, ReadOptions, TextReader } from '../types.js';
import {
  asciiRule,
  boxRule,
  cellWidth,
  charLength,
  columnRule,
  isDecoration,
  isPsqlFooter,
  markdownRule,
  psqlRule,
  sameGrid,
  splitRow,
  trimSpaces,
  type Grid,
  type RuleResult,
} from './grid.js';
import { TableEvents } from './events.js';
import { looksUnaligned, opensUnaligned, type Separator, UnalignedRecords } from './unaligned.js';
import { opensVertical, VerticalRecords } from './vertical.js';

export { clientOutputRefusal, looksLikeTextTable } from './detect.js';

/**
 * Reads text tables. Rules give the column boundaries: a row is split there when its
 * separators stand exactly there (a `|` in a value is kept), else on its separators when that
 * gives the column count, else it is a `field count` skip. Cells lose their padding spaces;
 * mysql's `NULL` (in `+---+` tables) is null. A value on several lines is joined with `\n`:
 * mysql's raw line breaks, psql's `+` continuation marks, sqlite3's continuation rows between
 * row rules, or between empty lines (`.mode column`), or in Markdown rows whose first cell is
 * empty and most others too (see `markdownBody`); psql's `format=wrapped` cuts (`.`, `…`) are joined without one. psql `border=2`
 * frames are the `+---+` and box tables (mysql and sqlite3 pad every cell, psql puts its marks
 * in that padding). psql's `(N rows)` footer, prompts and status lines (`mysql>`, `2 rows in set`,
 * `Query OK`) are passed over; any other line outside a table is a `not a table row` skip.
 * Tables are named after the file, the second and later ones `file:2`, `file:3`... A line
 * longer than `maxRecordChars` is a `record too long` skip, never held whole; time is linear.
 *
 * @throws VigieError `VIGIE_EMPTY_FILE` when the text holds no table at all.
 * @example
 * for await (const ev of readTextTable(text, { displayName: 'sample.txt' })) {
 *   if (ev.kind === 'table') console.log(ev.columns); // [ 'id', 'nom', 'email' ]
 * }
 */
export const readTextTable: TextReader = async function* (text, opts) {
  const t = new Chooser(opts);
  const max = Math.max(1, opts.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS);
  let parts: string[] = [];
  let len = 0;
  let tooLong = false;
  for await (const chunk of text) {
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', from);
      const end = nl === -1 ? chunk.length : nl;
      if (!tooLong) {
        if (len + end - from > max) {
          tooLong = true;
          parts = [];
          len = 0;
        } else if (end > from) {
          parts.push(chunk.slice(from, end));
          len += end - from;
        }
      }
      if (nl === -1) break;
      t.line(tooLong ? undefined : parts.length === 1 ? (parts[0] ?? '') : parts.join(''));
      parts = [];
      len = 0;
      tooLong = false;
      from = nl + 1;
      yield* t.drain();
    }
    yield* t.drain();
  }
  if (tooLong || len > 0) t.line(tooLong ? undefined : parts.join(''));
  t.end();
  yield* t.drain();
};

/** What the text is read as: tables, records one field per line, or unaligned output and its separator. */
type Kind = 'tables' | 'vertical' | { psql: boolean; sep: Separator; nullWord: boolean };

/** Lines of a transcript's head (blank, prompts, status lines) after which the text is read as tables. */
const LEAD_LINES = 50;
/** Characters of those lines held at most before the choice. */
const LEAD_CHARS = 64 * 1024;

/**
 * Decides, on the first line that is neither blank nor a client's decoration, whether the text
 * holds tables or records printed one field per line (vertical.ts); the lines before it, which
 * both pass over, are counted again by the one chosen.
 */
class Chooser {
  private chosen: TextTables | VerticalRecords | UnalignedRecords | undefined;
  /** The lines read before the choice (at most `LEAD_LINES`, `LEAD_CHARS` in all), handed to the one chosen. */
  private held: (string | undefined)[] = [];
  private heldChars = 0;
  constructor(private readonly opts: ReadOptions) {}

  line(raw: string | undefined): void {
    if (this.chosen) return this.chosen.line(raw);
    const s = raw?.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!this.unaligned && s !== undefined && opensVertical(s)) return this.choose('vertical').line(raw);
    this.held.push(raw);
    this.heldChars += raw?.length ?? 0;
    const significant = s !== undefined && !isBlank(s) && !isDecoration(s);
    // Unaligned output is told from pipe-delimited text by its footer or its joined lines: as
    // far as detection looked (detect.ts), 64 KiB.
    if (significant && !this.seen) {
      this.seen = true;
      this.unaligned = opensUnaligned(s, '|') || opensUnaligned(s, '\t');
    }
    if (this.unaligned) {
      if (this.heldChars > LEAD_CHARS) this.choose(this.unalignedKind(false));
      return;
    }
    const tableLine = significant && (s[0] === '+' || s[0] === '|' || s[0] === '┌' || s[0] === ' ');
    if (tableLine || this.held.length >= LEAD_LINES || this.heldChars > LEAD_CHARS) this.choose('tables');
  }

  /** Whether a line other than blank or a decoration was held. */
  private seen = false;
  /** The first other line opens unaligned output (unaligned.ts): the choice waits for more of it. */
  private unaligned = false;

  private unalignedKind(complete: boolean): Kind {
    const lines = this.held.map((l) => l ?? '');
    // `looksUnaligned` leaves out the last line, which detection may have seen cut short.
    if (complete) lines.push('');
    const u = looksUnaligned(lines);
    // psql -A -x is refused by detection (read/detect.ts); given as a text table, it reads as none.
    return u === undefined || u.kind === 'vertical' ? 'tables' : { psql: u.kind === 'psql', sep: u.sep, nullWord: u.nullWord };
  }

  private choose(kind: Kind): TextTables | VerticalRecords | UnalignedRecords {
    const t =
      kind === 'vertical'
        ? new VerticalRecords(this.opts)
        : kind === 'tables'
          ? new TextTables(this.opts)
          : new UnalignedRecords(this.opts, kind.psql, kind.sep, kind.nullWord);
    this.chosen = t;
    for (const l of this.held) t.line(l);
    this.held = [];
    return t;
  }

  *drain(): Generator<ReadEvent> {
    if (this.chosen) yield* this.chosen.drain();
  }

  end(): void {
    (this.chosen ?? this.choose(this.unaligned ? this.unalignedKind(true) : 'tables')).end();
  }
}

/** Lines one row of mysql may take with raw line breaks in its values, before it is a `field count` skip. */
const MAX_JOINED_LINES = 64;

type Mode = 'outside' | 'header' | 'afterHeader' | 'body' | 'afterRule';

/** A row read from one or more lines, its cells trimmed. */
interface Row {
  cells: string[];
  /** The cells with their padding (bordered tables: sqlite3's wrapped lines are full to the width). */
  raw?: string[];
  line: number;
  chars: number;
  /** `.mode column`: the line itself, which may be the header of the next result. */
  text?: string;
}

/** The reading state of one source: which table, where in it, the batch being filled. */
class TextTables {
  readonly maxRecordChars: number;
  private readonly file: string;
  private readonly out: TableEvents;
  private lineNo = 0;
  private mode: Mode = 'outside';
  /** A line outside tables that may be the header of a psql or Markdown table. */
  private held: { text: string; line: number } | undefined;
  private grid: Grid | undefined;
  private header: Row | undefined;
  /** Bordered tables: the rows since the last rule, one record or several (see `closeGroup`). */
  private group: Row[] = [];
  private groupChars = 0;
  /** A rule seen between rows: sqlite3 then rules every row, and rows between two rules are one record. */
  private separated = false;
  /** The rest of an over-long separated record is dropped up to its rule. */
  private dropping = false;
  /** mysql's raw line break inside a value: the lines of the row so far. */
  private joining: { parts: string[]; line: number; chars: number } | undefined;
  /** psql: a row whose cells go on (`+`) on the next line. */
  private cont: { row: Row; flags: (Mark | undefined)[] } | undefined;

  constructor(opts: ReadOptions) {
    this.file = opts.displayName;
    this.out = new TableEvents(this.file, Math.max(1, opts.batchSize ?? DEFAULT_BATCH_SIZE));
    this.maxRecordChars = Math.max(1, opts.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS);
  }

  drain(): Generator<ReadEvent> {
    return this.out.drain();
  }

  /** The next line (without its `\n`), or undefined for one longer than `maxRecordChars`. */
  line(raw: string | undefined): void {
    const n = ++this.lineNo;
    if (raw === undefined) {
      this.tooLong(n);
      return;
    }
    const s = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    this.step(s, n);
  }

  end(): void {
    if (this.joining) this.failJoin();
    this.closeTable();
    this.releaseHeld();
    if (this.mode === 'header' || this.mode === 'afterHeader') this.out.outsideSkip('not a table row', this.header?.line ?? this.lineNo);
    this.mode = 'outside';
    if (this.out.tables === 0) {
      throw new VigieError('VIGIE_EMPTY_FILE', 'no table in the text', { position: { file: this.file } });
    }
  }

  private step(s: string, n: number): void {
    switch (this.mode) {
      case 'outside':
        return this.outside(s, n);
      case 'header':
        return this.headerLine(s, n);
      case 'afterHeader':
        return this.afterHeader(s, n);
      case 'afterRule':
        return this.afterRule(s, n);
      case 'body':
        switch (this.grid?.dialect) {
          case 'psql':
            return this.psqlBody(s, n);
          case 'markdown':
            return this.markdownBody(s, n);
          case 'column':
            return this.columnBody(s, n);
          default:
            return this.borderedBody(s, n);
        }
    }
  }

  private tooLong(n: number): void {
    if (this.mode === 'body' || this.mode === 'afterRule') {
      if (this.joining) this.failJoin();
      if (this.mode === 'afterRule') {
        this.closeGroup(this.separated);
        this.mode = 'body';
      }
      this.flushCont();
      this.closeGroup(false);
      this.out.recordSkip('record too long', n);
      return;
    }
    this.releaseHeld();
    if (this.mode !== 'outside') this.mode = 'outside';
    this.out.outsideSkip('record too long', n);
  }

  // ---- outside tables ----

  private outside(s: string, n: number): void {
    const held = this.held;
    if (held) {
      this.held = undefined;
      if (this.pairHeader(held.text, held.line, s)) return;
      this.out.outsideSkip('not a table row', held.line);
    }
    if (isBlank(s) || isDecoration(s)) return;
    if (s[0] === '+' || s[0] === '┌') {
      const g = s[0] === '+' ? asciiRule(s) : boxRule(s, 'top');
      if (g === 'too many columns') return this.out.outsideSkip('too many columns', n);
      if (g !== undefined) {
        this.grid = g;
        this.mode = 'header';
        this.header = undefined;
        return;
      }
    }
    this.held = { text: s, line: n };
  }

  /** A psql or Markdown table starts when `rule` fits the line above it as its header. */
  private pairHeader(header: string, line: number, rule: string): boolean {
    let g: RuleResult;
    // psql pads its header with a space: a Markdown heading underlined with `---` is not one.
    if (rule[0] === '-' || rule[0] === '─') g = header[0] === ' ' ? psqlRule(rule) : columnRule(rule);
    else if (rule.includes('|') && rule.includes('-')) g = markdownRule(rule);
    if (g === undefined) return false;
    if (g === 'too many columns') {
      this.out.outsideSkip('too many columns', line);
      return true;
    }
    const split = splitRow(header, g);
    // A psql header is centred within the rule: its separators stand where the rule's `+` do.
    if (!split || (g.dialect === 'psql' && !split.positional)) return false;
    this.grid = g;
    this.header = { cells: split.cells.map(trimSpaces), line, chars: header.length };
    this.startTable(true);
    this.mode = 'body';
    return true;
  }

  private releaseHeld(): void {
    if (this.held) this.out.outsideSkip('not a table row', this.held.line);
    this.held = undefined;
  }

  // ---- bordered tables (mysql -t, sqlite3 table and box) ----

  private headerLine(s: string, n: number): void {
    const g = this.grid;
    const split = g && splitRow(s, g);
    if (!split) {
      this.out.outsideSkip('not a table row', n);
      this.mode = 'outside';
      return;
    }
    this.header = { cells: split.cells.map(trimSpaces), line: n, chars: s.length };
    this.mode = 'afterHeader';
  }

  private afterHeader(s: string, n: number): void {
    const g = this.grid;
    if (!g) return;
    const rule = g.dialect === 'box' ? boxRule(s, 'middle') : asciiRule(s);
    if (rule !== undefined && rule !== 'too many columns' && sameGrid(rule, g)) {
      this.startTable(true);
      this.mode = 'body';
      return;
    }
    if (g.dialect === 'box' && boxRule(s, 'bottom') !== undefined) {
      // A table of one row without a header (`.headers off`): its row was taken for a header.
      this.startTable(false);
      this.mode = 'outside';
      return;
    }
    if (s[0] === g.sep) {
      // No header rule: a table printed without column names (`mysql -N -t`, `.headers off`).
      this.startTable(false);
      this.mode = 'body';
      this.borderedBody(s, n);
      return;
    }
    const at = this.header?.line ?? n;
    this.mode = 'outside';
    this.out.outsideSkip('not a table row', at);
    this.outside(s, n);
  }

  private borderedBody(s: string, n: number): void {
    const g = this.grid;
    if (!g) return;
    if (this.joining) {
      if (this.continueJoin(s, g)) return;
    }
    if (g.dialect === 'ascii' && s[0] === '+') {
      const rule = asciiRule(s);
      if (rule !== undefined && rule !== 'too many columns' && sameGrid(rule, g)) {
        this.mode = 'afterRule';
        return;
      }
    }
    if (g.dialect === 'box' && (s[0] === '├' || s[0] === '└')) {
      const rule = boxRule(s, s[0] === '├' ? 'middle' : 'bottom');
      if (rule !== undefined && rule !== 'too many columns' && sameGrid(rule, g)) {
        if (s[0] === '├') {
          this.separated = true;
          this.closeGroup(true);
          this.dropping = false;
        } else {
          this.closeGroup(this.separated);
          this.closeTable();
          this.mode = 'outside';
        }
        return;
      }
    }
    if (s[0] !== g.sep) {
      // The table ends without its bottom rule (a paste cut short).
      this.closeTable();
      this.mode = 'outside';
      this.outside(s, n);
      return;
    }
    const split = splitRow(s, g);
    if (split) {
      // mysql and sqlite3 pad every cell: a cell that ends with a mark instead is psql's (`border=2`).
      const raws = split.cells;
      if (this.cont || (!this.separated && raws.some((r) => r.length > 1 && endMark(r) !== undefined))) {
        this.closeGroup(false);
        this.psqlRow(
          raws,
          raws.map((r) => r.length > 1),
          s,
          n,
        );
        return;
      }
      this.addToGroup({ cells: raws.map(trimSpaces), raw: raws, line: n, chars: s.length });
      return;
    }
    if (g.dialect === 'ascii' && s.length < g.width) {
      // mysql prints a line break inside a value as it is: the row goes on on the next lines.
      this.joining = { parts: [s], line: n, chars: s.length };
      return;
    }
    this.closeGroup(this.separated);
    this.out.recordSkip('field count', n);
  }

  /** Whether `s` was taken as the next line of the row being joined. */
  private continueJoin(s: string, g: Grid): boolean {
    const j = this.joining;
    if (!j) return false;
    const rule = s[0] === '+' ? asciiRule(s) : undefined;
    const whole = s[0] === g.sep && s.length === g.width && splitRow(s, g)?.positional === true;
    if ((rule !== undefined && rule !== 'too many columns') || whole) {
      this.failJoin();
      return false;
    }
    j.parts.push(s);
    j.chars += s.length + 1;
    if (j.chars > this.maxRecordChars) {
      this.joining = undefined;
      this.out.recordSkip('record too long', j.line);
      return true;
    }
    // Wide characters (CJK) take two positions and one code unit: the row may end before the width.
    const ends = s.endsWith(g.sep);
    if (j.chars < g.width && !ends && j.parts.length < MAX_JOINED_LINES) return true;
    const joined = j.parts.join('\n');
    const split = splitRow(joined, g);
    if (!split && j.chars < g.width && j.parts.length < MAX_JOINED_LINES) return true;
    this.joining = undefined;
    if (split) this.addToGroup({ cells: split.cells.map(trimSpaces), line: j.line, chars: joined.length });
    else {
      this.closeGroup(this.separated);
      this.out.recordSkip('field count', j.line);
    }
    return true;
  }

  private failJoin(): void {
    const j = this.joining;
    this.joining = undefined;
    if (!j) return;
    this.closeGroup(this.separated);
    this.out.recordSkip('field count', j.line);
  }

  private afterRule(s: string, n: number): void {
    const g = this.grid;
    if (g && s[0] === g.sep) {
      // A rule between rows: sqlite3 rules every row of a result with a multi-line value.
      this.separated = true;
      this.closeGroup(true);
      this.dropping = false;
      this.mode = 'body';
      this.borderedBody(s, n);
      return;
    }
    this.closeGroup(this.separated);
    this.closeTable();
    this.mode = 'outside';
    this.outside(s, n);
  }

  private addToGroup(row: Row): void {
    if (this.dropping) return;
    this.group.push(row);
    this.groupChars += row.chars;
    if (this.groupChars <= this.maxRecordChars) return;
    if (this.separated) {
      const first = this.group[0]?.line ?? row.line;
      this.group = [];
      this.groupChars = 0;
      this.dropping = true;
      this.out.recordSkip('record too long', first);
    } else this.closeGroup(false);
  }

  /** The rows since the last rule: one record joined cell by cell (`asOne`), or a record each. */
  private closeGroup(asOne: boolean): void {
    const rows = this.group;
    this.group = [];
    this.groupChars = 0;
    if (rows.length === 0) return;
    const first = rows[0];
    if (!asOne || rows.length === 1 || !first) {
      for (const r of rows) this.record(r.cells);
      return;
    }
    const cells: string[] = [];
    for (let c = 0; c < first.cells.length; c++) {
      let last = 0;
      for (let i = 0; i < rows.length; i++) if ((rows[i]?.cells[c] ?? '') !== '') last = i;
      // sqlite3 cuts a value every `--wrap` characters (60 by default), whatever stands there, and
      // at its line breaks: a piece that fills the column's width goes on without a break, the
      // next piece as it is, its first spaces too. A piece one short of the width lost the space
      // it ended with to the padding: a line break that fell exactly there is the rarer case.
      // (`--wordwrap on` cuts at spaces, dropping them, and is not told from line breaks.)
      // `.mode column` has no padding space inside its columns.
      const pad = this.grid?.dialect === 'column' ? 0 : 1;
      const full = this.grid ? cellWidth(this.grid, c) - 2 * pad : -1;
      let v = rows[0]?.cells[c] ?? '';
      for (let i = 1; i <= last; i++) {
        const prev = rows[i - 1]?.raw?.[c];
        const size = prev === undefined ? -1 : charLength(trimEndSpaces(prev.slice(pad)));
        const piece = rows[i]?.raw?.[c];
        if (piece !== undefined && (size === full || size === full - 1)) v += (size === full ? '' : ' ') + trimEndSpaces(piece.slice(pad));
        else v += `\n${rows[i]?.cells[c] ?? ''}`;
      }
      cells.push(v);
    }
    this.record(cells);
  }

  // ---- sqlite3 .mode column ----

  /**
   * sqlite3 prints an empty line between rows when a value takes several lines, as it rules rows
   * in `.mode box`: the lines between two are one record. A line of spaces is a row of empty values.
   */
  private columnBody(s: string, n: number): void {
    const g = this.grid;
    if (!g) return;
    if (s.length === 0) {
      this.separated = true;
      this.closeGroup(true);
      this.dropping = false;
      return;
    }
    const rule = s[0] === '-' ? columnRule(s) : undefined;
    const header = this.group[this.group.length - 1];
    if (typeof rule === 'object' && header?.text !== undefined && splitRow(header.text, rule)) {
      // The next statement's result: the line above was its header.
      this.group.pop();
      this.closeTable();
      this.pairHeader(header.text, header.line, s);
      return;
    }
    const split = splitRow(s, g);
    if (!split) {
      this.closeTable();
      this.mode = 'outside';
      this.outside(s, n);
      return;
    }
    this.addToGroup({ cells: split.cells.map(trimSpaces), raw: split.cells, line: n, chars: s.length, text: s });
  }

  // ---- psql ----

  private psqlBody(s: string, n: number): void {
    const g = this.grid;
    if (!g) return;
    if (isPsqlFooter(s) || (isBlank(s) && g.columns > 1)) {
      this.closeTable();
      this.mode = 'outside';
      return;
    }
    const split = splitRow(s, g);
    if (!split || (g.columns === 1 && !this.cont && (isDecoration(s) || asciiRule(s) !== undefined || boxRule(s, 'top') !== undefined))) {
      if (!split && s.includes(g.sep)) {
        this.flushCont();
        this.out.recordSkip('field count', n);
        return;
      }
      this.closeTable();
      this.mode = 'outside';
      this.outside(s, n);
      return;
    }
    // psql marks a value going on on the next line with `+` in place of the cell's last padding space.
    const last = split.cells.length - 1;
    // The last cell has no padding after it: a mark there counts only at the column's full width (or,
    // when wide characters in it moved its end, after padding). Wide characters in cells before it
    // move its start, not its width.
    const full = cellWidth(g, last);
    const lastMark = (raw: string): boolean =>
      raw.length > 1 && (split.positional ? s.length === g.width : raw.length === full || raw.endsWith(' +') || raw.endsWith(' ↵'));
    this.psqlRow(
      split.cells,
      split.cells.map((raw, i) => (i < last ? raw.length > 1 : lastMark(raw))),
      s,
      n,
    );
  }

  /**
   * One line of a psql table (aligned, or `border=2` in a `+---+` or box frame): psql marks a cell
   * whose value goes on on the next line in place of its last padding space, `+` (`↵` in
   * `linestyle=unicode`) at a line break of the value, `.` (`…`) where `format=wrapped` cut it;
   * the piece after a cut starts with the same mark in place of its first padding space
   * (print.c, `print_aligned_text`). `markable` says which cells have that padding to mark.
   */
  private psqlRow(raws: string[], markable: boolean[], s: string, n: number): void {
    const marks = raws.map((raw, i) => (markable[i] ? endMark(raw) : undefined));
    const c = this.cont;
    const cells = raws.map((raw, i) => {
      let body = marks[i] ? raw.slice(0, -1) : raw;
      // A cut falls anywhere, spaces too: a piece after a cut keeps its first spaces, a piece cut
      // fills its width and keeps its last ones. Padding is trimmed elsewhere.
      body = c?.flags[i] === 'wrap' && isWrapMark(body[0]) ? body.slice(1) : trimStartSpaces(body);
      return marks[i] === 'wrap' ? body : trimEndSpaces(body);
    });
    if (c) {
      c.row.chars += s.length;
      c.row.cells = c.row.cells.map((v, i) => {
        const f = c.flags[i];
        return f === 'wrap' ? v + (cells[i] ?? '') : f === 'newline' ? `${v}\n${cells[i] ?? ''}` : v;
      });
      c.flags = c.flags.map((was, i) => (was ? marks[i] : undefined));
      if (c.row.chars > this.maxRecordChars) {
        this.cont = undefined;
        this.out.recordSkip('record too long', c.row.line);
      } else if (!c.flags.some(Boolean)) this.flushCont();
      return;
    }
    const row = { cells, line: n, chars: s.length };
    if (marks.some(Boolean)) this.cont = { row, flags: marks };
    else this.record(cells);
  }

  private flushCont(): void {
    const c = this.cont;
    this.cont = undefined;
    if (c) this.record(c.row.cells);
  }

  // ---- Markdown ----

  private markdownBody(s: string, n: number): void {
    const g = this.grid;
    if (!g) return;
    if (isBlank(s) || !s.includes('|')) {
      this.closeTable();
      this.mode = 'outside';
      this.outside(s, n);
      return;
    }
    const split = splitRow(s, g);
    if (!split) {
      this.closeGroup(true);
      this.dropping = false;
      this.out.recordSkip('field count', n);
      return;
    }
    const row = { cells: split.cells.map(trimSpaces), raw: split.cells, line: n, chars: s.length };
    // sqlite3 prints a value of several lines (its line breaks, its cuts every 60 characters) as
    // more rows, nothing in the other cells, no rule between records: a row padded to the rule's
    // width whose first cell is empty, with values only under values of the row above, and in at
    // most half its cells, goes on with the row above. A record whose first value is empty and
    // most others too would be taken for one: the rarer case.
    const above = this.group[this.group.length - 1];
    const filled = row.cells.filter((v) => v !== '').length;
    const goesOn =
      above !== undefined &&
      split.positional &&
      row.cells[0] === '' &&
      filled > 0 &&
      2 * filled <= row.cells.length &&
      row.cells.every((v, i) => v === '' || (above.cells[i] ?? '') !== '');
    if (!goesOn) {
      this.closeGroup(true);
      this.dropping = false;
    }
    this.addToGroup(row);
  }

  // ---- tables and their events ----

  private startTable(withHeader: boolean): void {
    const g = this.grid;
    if (!g) return;
    this.closeTable();
    // A Markdown record is the rows of its group (`markdownBody`), as between rules.
    this.separated = g.dialect === 'markdown';
    this.dropping = false;
    this.quoted = undefined;
    const names = withHeader ? (this.header?.cells ?? []) : [];
    const columns: string[] = [];
    for (let i = 0; i < g.columns; i++) columns.push(names[i] || `column_${i + 1}`);
    this.out.openTable(columns, { dialect: DIALECT_NAMES[g.dialect], ...(withHeader ? {} : { header: 'none' }) });
    this.open = true;
    const h = this.header;
    if (!withHeader && h) this.record(h.cells);
    this.header = undefined;
  }

  private open = false;

  private closeTable(): void {
    if (!this.open) return;
    if (this.joining) this.failJoin();
    this.flushCont();
    this.closeGroup(this.separated);
    this.out.flush();
    this.open = false;
  }

  /** Whether the table's values are SQL literals (sqlite3 `.mode qbox`, `--quote`): decided on its first record. */
  private quoted: boolean | undefined;

  private record(cells: string[]): void {
    const g = this.grid;
    if (this.quoted === undefined) this.quoted = g?.dialect !== 'psql' && cells.every((v) => SQL_LITERAL.test(v)) && cells.some((v) => v[0] === "'");
    if (this.quoted) {
      this.out.record(cells.map(unquote));
      return;
    }
    const nullWord = g?.dialect === 'ascii';
    this.out.record(nullWord ? cells.map((v) => (v === 'NULL' ? null : v)) : cells);
  }
}

/** What `meta.dialect` says of each kind of table: the clients that print it. */
const DIALECT_NAMES: Record<Grid['dialect'], string> = {
  ascii: 'mysql -t / sqlite3 .mode table / psql border=2',
  box: 'sqlite3 .mode box / psql border=2 unicode',
  psql: 'psql aligned',
  markdown: 'markdown',
  column: 'sqlite3 .mode column',
};

/**
 * A value as sqlite3 prints it with `.mode qbox` or `--quote` (`.mode table --quote`...): a
 * string quoted, `''` for a quote inside, a number, NULL, a blob `X'…'` (sqlite3 shell,
 * `output_quoted_string`).
 */
const SQL_LITERAL = /^(?:'(?:[^']|'')*'|-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|NULL|X'[0-9A-Fa-f]*')$/;

/** A SQL literal's value: a string unquoted, NULL as null; a number or a blob as printed. */
function unquote(v: string): Cell {
  if (v === 'NULL') return null;
  if (v.length >= 2 && v[0] === "'" && v[v.length - 1] === "'" && !v.startsWith("X'")) return v.slice(1, -1).replaceAll("''", "'");
  return v;
}

/** How a psql cell goes on on the next line: after a line break of its value, or cut by `format=wrapped`. */
type Mark = 'newline' | 'wrap';

/** psql's mark at the end of a cell (see `psqlRow`). */
function endMark(raw: string): Mark | undefined {
  const c = raw[raw.length - 1];
  return c === '+' || c === '↵' ? 'newline' : isWrapMark(c) ? 'wrap' : undefined;
}

function isWrapMark(c: string | undefined): boolean {
  return c === '.' || c === '…';
}

function trimStartSpaces(s: string): string {
  let a = 0;
  while (a < s.length && s.charCodeAt(a) === 0x20) a++;
  return a === 0 ? s : s.slice(a);
}

function trimEndSpaces(s: string): string {
  let b = s.length;
  while (b > 0 && s.charCodeAt(b - 1) === 0x20) b--;
  return b === s.length ? s : s.slice(0, b);
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) return false;
  }
  return true;
}
