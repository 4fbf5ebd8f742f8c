/**
 * One worksheet part (`xl/worksheets/sheet1.xml`) as a table, streaming: `<row>` elements of
 * `<c r="C5" t="s" s="3"><v>…</v></c>` cells. A cell's reference gives its column (rows and
 * cells may skip; the gaps become empty cells); the first non-empty row is held back as the
 * header candidate, as for delimited text.
 */
import type { Position } from '../../errors.js';
import { MAX_COLUMNS } from '../limits.js';
import { SheetTable } from '../sheet-table.js';
import type { Cell, ReadEvent } from '../types.js';
import { columnOf, type DateKind, NOT_DATE, numberText, serialText } from './cells.js';
import type { SharedStrings } from './parts.js';
import { parseXml } from './xml.js';

interface SheetContext {
  /** Table name (`book.xlsx:Clients`). */
  name: string;
  /** Package path of the part, for the report and errors. */
  part: string;
  file: string;
  sst: SharedStrings;
  styles: DateKind[];
  date1904: boolean;
  batchSize: number;
  maxRecordChars: number;
  maxRun: number;
}

/** The sheet's events: a `table` at the first non-empty row, then `rows` and `skip`. */
export async function* readSheet(bytes: AsyncIterable<Buffer>, c: SheetContext): AsyncGenerator<ReadEvent> {
  const out: ReadEvent[] = [];
  const table = new SheetTable(out, c.name, 'xlsx', { sheet: c.name.slice(c.file.length + 1), part: c.part }, c.batchSize);
  let record = 0;
  let row: Cell[] = [];
  let rowChars = 0;
  let rowFailure: string | undefined;
  let rowRef = 0;
  let nextCol = 0;
  // The current cell.
  let inCell = false;
  let col = 0;
  let type = 'n';
  let style = 0;
  let capture = false;
  let inInline = false;
  let inPhonetic = false;
  let text: string[] = [];
  let cellRaw = 0;

  const endRow = (): void => {
    while (row.length > 0 && row[row.length - 1] === '') row.pop();
    if (rowFailure === undefined && row.length === 0) return;
    record++;
    if (rowFailure !== undefined) {
      // `line` is the sheet's row number (`<row r="5">`), as a spreadsheet shows it.
      const position: Position = { file: c.name, ...(rowRef > 0 ? { line: rowRef } : {}), record };
      table.skip(rowFailure, position);
      return;
    }
    table.row(row, record);
  };
  const place = (value: string): void => {
    if (rowFailure !== undefined) return;
    if (col >= MAX_COLUMNS) {
      rowFailure = 'too many columns';
      return;
    }
    rowChars += value.length - cellRaw;
    cellRaw = 0;
    if (rowChars > c.maxRecordChars) {
      rowFailure = 'record too long';
      return;
    }
    while (row.length < col) row.push('');
    row[col] = value;
  };
  const cellValue = (): string => {
    const v = text.length === 1 ? (text[0] as string) : text.join('');
    switch (type) {
      case 's':
        return c.sst.get(Number(v));
      case 'inlineStr':
      case 'str':
      case 'e':
        return v;
      case 'b':
        return v === '1' || v === 'true' ? 'TRUE' : v === '0' || v === 'false' ? 'FALSE' : v;
      case 'd': {
        // An ISO 8601 date (strict OOXML); midnight is a date alone.
        return v.replace(/T00:00:00(\.0+)?Z?$/, '');
      }
      default: {
        const kind = c.styles[style] ?? NOT_DATE;
        return kind === NOT_DATE ? numberText(v) : serialText(v, kind, c.date1904);
      }
    }
  };

  const events = parseXml(
    bytes,
    {
      open(name, a, selfClosing) {
        switch (name) {
          case 'row':
            row = [];
            rowChars = 0;
            rowFailure = undefined;
            rowRef = Number(a['r'] ?? 0) || 0;
            nextCol = 0;
            if (selfClosing) endRow();
            return;
          case 'c': {
            const ref = columnOf(a['r']);
            col = ref === -1 ? nextCol : ref;
            nextCol = col + 1;
            type = a['t'] ?? 'n';
            style = Number(a['s'] ?? 0) || 0;
            text = [];
            cellRaw = 0;
            inCell = !selfClosing;
            if (selfClosing) place('');
            return;
          }
          case 'v':
            capture = inCell && !selfClosing && type !== 'inlineStr';
            return;
          case 'is':
            inInline = inCell && !selfClosing;
            return;
          case 'rPh':
            inPhonetic = !selfClosing;
            return;
          case 't':
            capture = inInline && !inPhonetic && !selfClosing;
            return;
          default:
            return;
        }
      },
      close(name) {
        switch (name) {
          case 'v':
          case 't':
            capture = false;
            return;
          case 'is':
            inInline = false;
            return;
          case 'rPh':
            inPhonetic = false;
            return;
          case 'c':
            if (inCell) place(cellValue());
            inCell = false;
            text = [];
            return;
          case 'row':
            endRow();
            return;
          default:
            return;
        }
      },
      text(t) {
        if (!capture || rowFailure !== undefined) return;
        // Counted as it arrives: a cell of many text runs cannot grow past the record limit.
        cellRaw += t.length;
        rowChars += t.length;
        if (rowChars > c.maxRecordChars) rowFailure = 'record too long';
        else text.push(t);
      },
    },
    { file: `${c.file}:${c.part}`, maxRun: c.maxRun },
  );
  for await (const _ of events) {
    if (out.length > 0) yield* out.splice(0, out.length);
  }
  table.flush();
  yield* out.splice(0, out.length);
}
