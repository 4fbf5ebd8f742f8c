/**
 * The body of an OpenDocument spreadsheet (`content.xml`, or a flat `.fods` document) as
 * tables, streaming: one per `<table:table>` of `<office:spreadsheet>`, rows of
 * `<table:table-row>`, cells of `<table:table-cell>` (ODF 1.3 part 3 §9.1). Repeated cells and
 * rows (`table:number-columns-repeated`, `table:number-rows-repeated`) are expanded only when
 * they hold something, within `MAX_COLUMNS`, `MAX_ROW_REPEAT` and the source's expansion
 * budget; the empty tail LibreOffice writes (a row repeated a million times) costs nothing.
 * The first non-empty row of a sheet is held back as the header candidate, as for xlsx.
 */
import { type Position, VigieError } from '../../errors.js';
import type { ExpansionBudget } from '../archive/index.js';
import { MAX_COLUMNS } from '../limits.js';
import { SheetTable } from '../sheet-table.js';
import type { Cell, ReadEvent } from '../types.js';
import { numberText, parseXml, type XmlHandlers } from '../xlsx/index.js';
import { dateText, isShownAsBoolean, timeText } from './values.js';

/**
 * Most times one non-empty row may be repeated: the rows of a LibreOffice or Excel sheet
 * (1,048,576). More is not a sheet; such a row is skipped (`too many repeats`).
 */
export const MAX_ROW_REPEAT = 1 << 20;

/** Elements inside a paragraph whose text is not the cell's: comments, notes, drawings. */
const NOT_CELL_TEXT: ReadonlySet<string> = new Set(['annotation', 'note', 'frame', 'custom-shape', 'rect', 'ellipse', 'line', 'g', 'ruby-text']);

interface ContentContext {
  /** The spreadsheet's name in tables and messages (`book.ods`, `archive.zip:book.ods`). */
  file: string;
  /** `content.xml`, or undefined for a flat document (the file is the part). */
  part: string | undefined;
  budget: ExpansionBudget;
  batchSize: number;
  maxRecordChars: number;
  maxRun: number;
  /** The error for an OpenDocument file whose body is not a spreadsheet (text, presentation). */
  notSpreadsheet: () => VigieError;
}

/** Copies of one row still to hand out: expanded into batches only as they are consumed. */
interface Repeat {
  kind: 'repeat';
  row: Cell[];
  count: number;
  firstRecord: number;
}

/** A positive repeat count (`table:number-columns-repeated`), 1 when absent or malformed. */
function count(v: string | undefined): number {
  if (v === undefined) return 1;
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

/** A sheet name safe to print: control characters (terminal escapes) become `?`. */
function printable(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this replaces
  return name.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '?');
}

/**
 * The spreadsheet's events: per sheet, a `table` at its first non-empty row, then `rows` and
 * `skip`. Rows completed before a failure are delivered before it is thrown.
 *
 * @throws VigieError `VIGIE_BAD_FORMAT` (malformed XML, unclosed elements, a body that is not
 * a spreadsheet), `VIGIE_TOO_LARGE` (a tag or text run past `maxRun`), `VIGIE_UNSAFE_ARCHIVE`
 * (repeats expanding past the budget), each naming the part, sheet and row.
 */
export async function* readContent(bytes: AsyncIterable<Buffer>, c: ContentContext): AsyncGenerator<ReadEvent> {
  const partName = c.part === undefined ? c.file : `${c.file}:${c.part}`;
  const out: (ReadEvent | Repeat)[] = [];
  let depth = 0;
  let bodyDepth = -1;
  let spreadsheetDepth = -1;
  let spreadsheetDone = false;
  // The current sheet.
  let tableDepth = -1;
  let sheets = 0;
  let name = '';
  let sheet = '';
  let table: SheetTable | undefined;
  let record = 0;
  let nextLine = 1;
  // The current row.
  let rowDepth = -1;
  let row: Cell[] = [];
  let rowRepeat = 1;
  let rowLine = 0;
  let rowChars = 0;
  let rowFailure: string | undefined;
  let col = 0;
  // The current cell.
  let cellDepth = -1;
  let cellRepeat = 1;
  let covered = false;
  let type = '';
  let value: string | undefined;
  let capture = false;
  let text: string[] = [];
  let paragraphs = 0;
  let cellRaw = 0;
  let pDepth = -1;
  let ignoreDepth = -1;
  let lastSpace = true;

  const position = (): Position => ({ file: name, ...(rowLine > 0 ? { line: rowLine } : {}), record });
  const charge = (chars: number, what: string): void => {
    try {
      c.budget.add(chars);
    } catch (err) {
      throw new VigieError('VIGIE_UNSAFE_ARCHIVE', `repeated ${what} expand beyond the expansion limit (${c.budget.limit} bytes): possible bomb`, {
        position: position(),
        cause: err,
      });
    }
  };
  const flush = (): void => table?.flush();
  /** The current sheet's table, made at its first record (each new sheet clears it). */
  const sheetTable = (): SheetTable => {
    table ??= new SheetTable(out, name, 'ods', { sheet, ...(c.part === undefined ? {} : { part: c.part }) }, c.batchSize);
    return table;
  };
  const pushRow = (cells: Cell[]): void => sheetTable().row(cells, record);
  const skip = (reason: string): void => sheetTable().skip(reason, position());
  const endRow = (): void => {
    nextLine += rowRepeat;
    while (row.length > 0 && row[row.length - 1] === '') row.pop();
    if (rowFailure === undefined && row.length === 0) return;
    record++;
    if (rowFailure !== undefined) {
      // A malformed row repeated is one skip; the records it stood for are counted past.
      skip(rowFailure);
      record += rowRepeat - 1;
      return;
    }
    if (rowRepeat > MAX_ROW_REPEAT) {
      skip('too many repeats');
      return;
    }
    pushRow(row);
    if (rowRepeat === 1) return;
    charge(rowChars * (rowRepeat - 1), 'rows');
    flush();
    out.push({ kind: 'repeat', row, count: rowRepeat - 1, firstRecord: record + 1 });
    record += rowRepeat - 1;
  };
  const place = (v: string): void => {
    const n = cellRepeat;
    if (rowFailure !== undefined || v === '') {
      col += n;
      return;
    }
    if (col + n > MAX_COLUMNS) {
      rowFailure = 'too many columns';
      return;
    }
    rowChars += v.length * n - cellRaw;
    if (rowChars > c.maxRecordChars) {
      rowFailure = 'record too long';
      return;
    }
    if (n > 1) charge(v.length * (n - 1), 'cells');
    while (row.length < col) row.push('');
    for (let i = 0; i < n; i++) row.push(v);
    col += n;
  };
  const cellValue = (): string => {
    if (covered) return '';
    const shown = text.length === 1 ? (text[0] as string) : text.join('');
    if (value === undefined) return shown;
    if (type === 'float' && capture) return isShownAsBoolean(value, shown) ? (value === '1' ? 'TRUE' : 'FALSE') : numberText(value);
    return value;
  };
  const startCell = (a: Record<string, string>, isCovered: boolean): void => {
    cellRepeat = count(a['table:number-columns-repeated']);
    covered = isCovered;
    type = a['office:value-type'] ?? '';
    text = [];
    paragraphs = 0;
    cellRaw = 0;
    value = undefined;
    capture = false;
    if (covered) return;
    switch (type) {
      case 'float':
      case 'percentage':
      case 'currency': {
        const v = a['office:value'];
        if (v === undefined) capture = true;
        else if (a['calcext:value-type'] === 'boolean') value = v === '0' ? 'FALSE' : 'TRUE';
        else {
          value = v;
          // A formula's boolean result is a float shown as a word: its text tells.
          capture = a['table:formula'] !== undefined && (v === '0' || v === '1');
          if (!capture) value = numberText(v);
        }
        return;
      }
      case 'date':
        value = a['office:date-value'] === undefined ? undefined : dateText(a['office:date-value']);
        capture = value === undefined;
        return;
      case 'time':
        value = a['office:time-value'] === undefined ? undefined : timeText(a['office:time-value']);
        capture = value === undefined;
        return;
      case 'boolean': {
        const b = a['office:boolean-value'];
        value = b === 'true' || b === '1' ? 'TRUE' : b === 'false' || b === '0' ? 'FALSE' : undefined;
        capture = value === undefined;
        return;
      }
      default: {
        // Strings (an error result is a string shown as `#DIV/0!`), and cells of no type.
        capture = true;
        const s = a['office:string-value'];
        if (s !== undefined && s !== '') text = [s];
        return;
      }
    }
  };
  const addText = (t: string): void => {
    if (rowFailure !== undefined) return;
    // Counted as it arrives: a cell of many runs cannot grow past the record limit.
    cellRaw += t.length;
    rowChars += t.length;
    if (rowChars > c.maxRecordChars) rowFailure = 'record too long';
    else text.push(t);
  };
  const startParagraph = (): void => {
    if (paragraphs === 0) text = [];
    else if (capture) addText('\n');
    paragraphs++;
    lastSpace = true;
  };

  const handlers: XmlHandlers = {
    open(el, a): void {
      const d = depth++;
      if (cellDepth !== -1) {
        if (d === cellDepth + 1) {
          if (el === 'p' || el === 'h') {
            pDepth = d;
            startParagraph();
          }
        } else if (pDepth !== -1 && ignoreDepth === -1 && capture) {
          if (NOT_CELL_TEXT.has(el)) ignoreDepth = d;
          else if (el === 's') {
            const n = count(a['text:c']);
            if (rowChars + n > c.maxRecordChars) rowFailure ??= 'record too long';
            else addText(n === 1 ? ' ' : ' '.repeat(n));
          } else if (el === 'tab') addText('\t');
          else if (el === 'line-break') addText('\n');
        }
        return;
      }
      if (rowDepth !== -1) {
        if (d === rowDepth + 1 && (el === 'table-cell' || el === 'covered-table-cell')) {
          cellDepth = d;
          startCell(a, el === 'covered-table-cell');
        }
        return;
      }
      if (tableDepth !== -1) {
        if (el === 'table-row') {
          rowDepth = d;
          row = [];
          rowRepeat = count(a['table:number-rows-repeated']);
          rowLine = nextLine;
          rowChars = 0;
          rowFailure = undefined;
          col = 0;
        }
        return;
      }
      if (spreadsheetDepth !== -1) {
        if (d === spreadsheetDepth + 1 && el === 'table') {
          tableDepth = d;
          sheets++;
          sheet = printable(a['table:name'] ?? `Sheet${sheets}`);
          name = `${c.file}:${sheet}`;
          table = undefined;
          record = 0;
          nextLine = 1;
          rowLine = 0;
        }
        return;
      }
      if (el === 'body' && bodyDepth === -1) bodyDepth = d;
      else if (bodyDepth !== -1 && d === bodyDepth + 1 && !spreadsheetDone) {
        if (el !== 'spreadsheet') throw c.notSpreadsheet();
        spreadsheetDepth = d;
      }
    },
    close(): void {
      const d = --depth;
      if (d === ignoreDepth) ignoreDepth = -1;
      else if (d === pDepth) pDepth = -1;
      else if (d === cellDepth) {
        cellDepth = -1;
        place(cellValue());
        text = [];
      } else if (d === rowDepth) {
        rowDepth = -1;
        endRow();
      } else if (d === tableDepth) {
        tableDepth = -1;
        rowLine = 0;
        flush();
      } else if (d === spreadsheetDepth) {
        spreadsheetDepth = -1;
        spreadsheetDone = true;
      }
    },
    text(t): void {
      if (pDepth === -1 || ignoreDepth !== -1 || !capture || rowFailure !== undefined) return;
      // ODF white space (part 3 §6.1.2): runs of space, tab and newline are one space, none at
      // a paragraph's start; `text:s`, `text:tab` and `text:line-break` are the kept ones.
      let s = /[\t\n\r]| {2}/.test(t) ? t.replace(/[ \t\n\r]+/g, ' ') : t;
      if (lastSpace && s.charCodeAt(0) === 0x20) s = s.slice(1);
      if (s.length === 0) return;
      lastSpace = s.charCodeAt(s.length - 1) === 0x20;
      addText(s);
    },
  };

  async function* drain(): AsyncGenerator<ReadEvent> {
    while (out.length > 0) {
      for (const item of out.splice(0, out.length)) {
        if (item.kind !== 'repeat') {
          yield item;
          continue;
        }
        for (let done = 0; done < item.count; ) {
          const k = Math.min(c.batchSize, item.count - done);
          const rows: Cell[][] = [];
          for (let i = 0; i < k; i++) rows.push(item.row.slice());
          yield { kind: 'rows', rows, firstRecord: item.firstRecord + done };
          done += k;
        }
      }
    }
  }

  try {
    for await (const _ of parseXml(bytes, handlers, { file: partName, maxRun: c.maxRun })) yield* drain();
    if (depth !== 0) {
      throw new VigieError('VIGIE_BAD_FORMAT', `malformed XML (the part ends inside ${depth} unclosed element${depth === 1 ? '' : 's'})`, {
        position: { file: partName },
      });
    }
    if (bodyDepth === -1) throw new VigieError('VIGIE_BAD_FORMAT', 'OpenDocument content without a body', { position: { file: partName } });
  } catch (err) {
    // What was read whole is delivered, then the failure, located at the sheet and row.
    flush();
    yield* drain();
    throw located(err, partName, tableDepth === -1 ? undefined : sheet, rowLine);
  }
}

/** A tokenizer error naming only the part, given the sheet and the row it was in. */
function located(err: unknown, part: string, sheet: string | undefined, line: number): unknown {
  if (!(err instanceof VigieError) || err.position?.file !== part || sheet === undefined) return err;
  const prefix = `${part}: `;
  const reason = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
  return new VigieError(err.code, reason, { position: { file: part, table: sheet, ...(line > 0 ? { line } : {}) }, cause: err });
}
