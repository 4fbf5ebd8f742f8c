/**
 * One worksheet substream ([MS-XLS] §2.1.7.20.5) as a table: its cell records, in row order
 * as writers store them (§2.1.7.20.5 "cell table"), to rows of text as the xlsx reader gives
 * the same workbook saved as .xlsx. The first non-empty row is held back as the header
 * candidate; a row's missing cells are empty; an embedded chart's BOF…EOF is passed over.
 */
import type { VigieError } from '../../errors.js';
import { MAX_COLUMNS } from '../limits.js';
import { SheetTable } from '../sheet-table.js';
import type { Cell, ReadEvent } from '../types.js';
import { NOT_DATE, numberText, serialText } from '../xlsx/index.js';
import { Cursor, Records } from './biff.js';
import type { Globals } from './globals.js';
import { unicodeString } from './globals.js';

const BOF = 0x0809;
const EOF = 0x000a;
const FORMULA = 0x0006;
const STRING = 0x0207;
const LABELSST = 0x00fd;
const LABEL = 0x0204;
const RSTRING = 0x00d6;
const NUMBER = 0x0203;
const RK = 0x027e;
const MULRK = 0x00bd;
const BOOLERR = 0x0205;

/** §2.5.97 BErr: the error values a cell can hold, as Excel shows them. */
const ERRORS: Record<number, string> = {
  0: '#NULL!',
  7: '#DIV/0!',
  15: '#VALUE!',
  23: '#REF!',
  29: '#NAME?',
  36: '#NUM!',
  42: '#N/A',
  43: '#GETTING_DATA',
};

interface SheetContext {
  /** Table name (`book.xls:Clients`). */
  name: string;
  sheet: string;
  hidden: boolean;
  g: Globals;
  batchSize: number;
  maxRecordChars: number;
  bad: (what: string, byte: number) => VigieError;
  /**
   * Bytes of the stream read by the sheets so far, shared by all of them: sheets are disjoint,
   * so more than the stream's length means BOUNDSHEETs that point into one another, each a new
   * pass over the same records (a few bytes each, an unbounded amount of work).
   */
  spent: { bytes: number };
}

/** The sheet's events: a `table` at its first non-empty row, then `rows` and `skip`; a chart or macro sheet is a `skip`. */
export function* readSheetStream(data: Buffer, offset: number, c: SheetContext): Generator<ReadEvent> {
  const records = new Records(data, c.bad, offset);
  const bof = records.next();
  if (bof === undefined || bof.type !== BOF || bof.end - bof.start < 4) throw c.bad(`sheet ${c.sheet} does not start with a BOF record`, offset);
  const dt = data.readUInt16LE(bof.start + 2);
  if (dt !== 0x0010) {
    yield { kind: 'skip', reason: 'not a worksheet', position: { file: c.name } };
    return;
  }
  const g = c.g;
  const out: ReadEvent[] = [];
  const meta: Record<string, string> = { sheet: c.sheet, biff: String(g.biff) };
  if (c.hidden) meta['hidden'] = 'true';
  const table = new SheetTable(out, c.name, 'xls', meta, c.batchSize);
  let record = 0;
  let row: Cell[] = [];
  let rowNumber = -1;
  let rowChars = 0;
  let rowFailure: string | undefined;
  /** A formula whose cached string is in the STRING record that follows. */
  let pending: { rw: number; col: number } | undefined;

  const endRow = (): void => {
    while (row.length > 0 && row[row.length - 1] === '') row.pop();
    if (rowFailure === undefined && row.length === 0) return;
    record++;
    if (rowFailure !== undefined) {
      // `line` is the sheet's row number, as a spreadsheet shows it.
      table.skip(rowFailure, { file: c.name, line: rowNumber + 1, record });
      return;
    }
    table.row(row, record);
  };
  const place = (rw: number, col: number, value: string): void => {
    if (rw !== rowNumber) {
      if (rowNumber !== -1) endRow();
      row = [];
      rowNumber = rw;
      rowChars = 0;
      rowFailure = undefined;
    }
    if (rowFailure !== undefined) return;
    if (col >= MAX_COLUMNS) {
      rowFailure = 'too many columns';
      return;
    }
    rowChars += value.length;
    if (rowChars > c.maxRecordChars) {
      rowFailure = 'record too long';
      return;
    }
    while (row.length < col) row.push('');
    row[col] = value;
  };
  const numberCell = (rw: number, col: number, xf: number, v: number): void => {
    const kind = g.xfKinds[xf] ?? NOT_DATE;
    const text = String(v);
    place(rw, col, kind === NOT_DATE ? numberText(text) : serialText(text, kind, g.date1904));
  };
  const text8 = (cur: Cursor): string => (g.biff === 8 ? unicodeString(cur, 2) : g.decode8(cur.bytes(cur.u16())));

  let depth = 0;
  for (;;) {
    const r = records.next();
    if (r === undefined) throw c.bad(`sheet ${c.sheet} ends without its EOF record`, data.length);
    const len = r.end - r.start;
    c.spent.bytes += len + 4;
    if (c.spent.bytes > data.length) throw c.bad(`sheet ${c.sheet} overlaps another: the sheets' records add up past the stream's length`, r.at);
    if (r.type === BOF) {
      // An embedded chart (§2.1.7.20.6) is a substream of its own inside the sheet's.
      depth++;
      continue;
    }
    if (r.type === EOF) {
      if (depth === 0) break;
      depth--;
      continue;
    }
    if (depth > 0) continue;
    if (r.type !== STRING && pending !== undefined) {
      const cellRecord = r.type === FORMULA || r.type === LABELSST || r.type === LABEL || r.type === RSTRING;
      if (cellRecord || r.type === NUMBER || r.type === RK || r.type === MULRK || r.type === BOOLERR) {
        place(pending.rw, pending.col, '');
        pending = undefined;
      }
    }
    // Every cell record opens with its row, column and XF index (§2.5.14 Cell).
    if (len < 6 && r.type !== STRING) continue;
    const rw = len >= 6 ? data.readUInt16LE(r.start) : 0;
    const col = len >= 6 ? data.readUInt16LE(r.start + 2) : 0;
    const xf = len >= 6 ? data.readUInt16LE(r.start + 4) : 0;
    switch (r.type) {
      case LABELSST: {
        if (len < 10) throw c.bad('a LABELSST record shorter than its 10 bytes', r.at);
        const i = data.readUInt32LE(r.start + 6);
        const s = g.sst[i];
        if (s === undefined) throw c.bad(`a cell refers to shared string ${i} of ${g.sst.length}`, r.at);
        place(rw, col, s);
        break;
      }
      case LABEL:
      case RSTRING: {
        const cur = new Cursor(data, records.withContinues(r), c.bad);
        cur.skip(6);
        place(rw, col, text8(cur));
        break;
      }
      case NUMBER:
        if (len < 14) throw c.bad('a NUMBER record shorter than its 14 bytes', r.at);
        numberCell(rw, col, xf, data.readDoubleLE(r.start + 6));
        break;
      case RK:
        if (len < 10) throw c.bad('an RK record shorter than its 10 bytes', r.at);
        numberCell(rw, col, xf, rkValue(data.readUInt32LE(r.start + 6)));
        break;
      case MULRK: {
        // rw, colFirst, then (ixfe, RK) pairs of 6 bytes, then colLast (§2.4.175).
        const n = Math.floor((len - 6) / 6);
        for (let k = 0; k < n; k++) {
          const at = r.start + 4 + 6 * k;
          numberCell(rw, col + k, data.readUInt16LE(at), rkValue(data.readUInt32LE(at + 2)));
        }
        break;
      }
      case BOOLERR: {
        if (len < 8) throw c.bad('a BOOLERR record shorter than its 8 bytes', r.at);
        const v = data[r.start + 6] as number;
        place(rw, col, data[r.start + 7] === 1 ? (ERRORS[v] ?? '#N/A') : v === 0 ? 'FALSE' : 'TRUE');
        break;
      }
      case FORMULA: {
        if (len < 14) throw c.bad('a FORMULA record shorter than its cached value', r.at);
        // FormulaValue (§2.5.133): a double, unless its last two bytes are 0xFFFF; then byte 0 says what.
        if (data.readUInt16LE(r.start + 12) !== 0xffff) {
          numberCell(rw, col, xf, data.readDoubleLE(r.start + 6));
          break;
        }
        const what = data[r.start + 6] as number;
        const v = data[r.start + 8] as number;
        if (what === 0) pending = { rw, col };
        else if (what === 1) place(rw, col, v === 0 ? 'FALSE' : 'TRUE');
        else if (what === 2) place(rw, col, ERRORS[v] ?? '#N/A');
        else place(rw, col, '');
        break;
      }
      case STRING: {
        if (pending === undefined) break;
        const cur = new Cursor(data, records.withContinues(r), c.bad);
        place(pending.rw, pending.col, text8(cur));
        pending = undefined;
        break;
      }
      default:
        break;
    }
    if (out.length > 0) yield* out.splice(0, out.length);
  }
  if (pending !== undefined) place(pending.rw, pending.col, '');
  if (rowNumber !== -1) endRow();
  table.flush();
  yield* out;
}

/** The 8 bytes of a double whose low half RK leaves zero. */
const RK_SCRATCH = Buffer.alloc(8);

/** §2.5.217 RkNumber: a 30-bit integer or the high 30 bits of a double, maybe divided by 100. */
function rkValue(rk: number): number {
  let v: number;
  if ((rk & 2) !== 0) v = rk >> 2;
  else {
    RK_SCRATCH.writeUInt32LE((rk & 0xfffffffc) >>> 0, 4);
    v = RK_SCRATCH.readDoubleLE(0);
  }
  return (rk & 1) !== 0 ? v / 100 : v;
}
