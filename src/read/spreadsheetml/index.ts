/**
 * The door of `read/spreadsheetml/`: Excel 2003 XML spreadsheets (SpreadsheetML, what Excel and
 * LibreOffice save as "XML Spreadsheet 2003"): `<Workbook>` › `<Worksheet ss:Name>` › `<Table>` ›
 * `<Row ss:Index>` › `<Cell ss:Index ss:MergeAcross>` › `<Data ss:Type>`, read with Vigie's XML
 * tokenizer (`xlsx/`'s `XmlScanner`, ADR 0005), streaming, one table per worksheet through the
 * spreadsheet readers' `SheetTable`, values as the xlsx and ods readers give the same cells:
 * numbers to 15 significant digits, dates as ISO 8601 (the time only when there is one),
 * booleans `TRUE`/`FALSE`, text as written (rich text's runs joined).
 */
import { VigieError, type Position } from '../../errors.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_RECORD_CHARS, MAX_COLUMNS, positiveInteger } from '../limits.js';
import { dateText } from '../ods/index.js';
import { SheetTable } from '../sheet-table.js';
import { streamXml } from '../xml-stream.js';
import type { Cell, ReadEvent, ReadOptions, TextReader } from '../types.js';
import { numberText, printable, XmlScanner, type XmlHandlers } from '../xlsx/index.js';

/** Markup a tag may hold beyond a record's length. */
const TAG_SLACK = 64 * 1024;

interface Options {
  file: string;
  batchSize: number;
  maxRecordChars: number;
}

/** A cell's text as the other spreadsheet readers give it, by its `ss:Type`. */
function cellValue(type: string | undefined, text: string): string {
  if (type === 'Number') return numberText(text.trim());
  if (type === 'DateTime') return dateText(text.trim());
  if (type === 'Boolean') return text.trim() === '1' ? 'TRUE' : text.trim() === '0' ? 'FALSE' : text;
  return text;
}

/** The attribute `name` in the spreadsheet namespace, however it is prefixed. */
function ssAttr(attrs: Record<string, string>, name: string): string | undefined {
  return attrs[`ss:${name}`] ?? attrs[name];
}

class Workbook2003 implements XmlHandlers {
  out: ReadEvent[] = [];
  lineOf: () => number = () => 1;
  private depth = 0;
  private sheets = 0;
  private table: SheetTable | null = null;
  private sheetName = '';
  /** The sheet's row number (`ss:Index`, else the next), as a spreadsheet shows it. */
  private rowNumber = 0;
  private record = 0;
  // The row being read.
  private inRow = false;
  private rowLine = 0;
  private cells: string[] = [];
  private col = 0;
  private rowChars = 0;
  private failure: string | undefined;
  // The cell being read.
  private inCell = false;
  private cellCol = 0;
  private merge = 0;
  private dataType: string | undefined;
  private dataDepth = 0;
  private parts: string[] = [];
  private hasData = false;
  private root = false;

  constructor(private readonly o: Options) {}

  open(name: string, attrs: Record<string, string>): void {
    this.depth++;
    if (this.dataDepth > 0) {
      this.dataDepth++; // rich text: its runs' text is the cell's
      return;
    }
    if (this.depth === 1) {
      if (name !== 'Workbook') {
        throw new VigieError('VIGIE_BAD_FORMAT', `<${name.slice(0, 40)}> is not the root of an Excel 2003 XML spreadsheet`, {
          position: { file: this.o.file, line: this.lineOf() },
        });
      }
      this.root = true;
    } else if (name === 'Worksheet' && this.depth === 2) {
      this.sheets++;
      this.sheetName = printable(ssAttr(attrs, 'Name') ?? `Sheet${this.sheets}`);
      this.table = new SheetTable(this.out, `${this.o.file}:${this.sheetName}`, 'spreadsheetml', { sheet: this.sheetName }, this.o.batchSize);
      this.rowNumber = 0;
      this.record = 0;
    } else if (name === 'Row' && this.table !== null && this.depth === 4) {
      const index = Number(ssAttr(attrs, 'Index'));
      this.rowNumber = Number.isSafeInteger(index) && index > this.rowNumber ? index : this.rowNumber + 1;
      this.inRow = true;
      this.rowLine = this.lineOf();
      this.cells = [];
      this.col = 0;
      this.rowChars = 0;
      this.failure = undefined;
    } else if (name === 'Cell' && this.inRow && this.depth === 5) {
      const index = Number(ssAttr(attrs, 'Index'));
      if (Number.isSafeInteger(index) && index > this.col) this.col = index - 1;
      const merge = Number(ssAttr(attrs, 'MergeAcross'));
      this.merge = Number.isSafeInteger(merge) && merge > 0 ? merge : 0;
      this.cellCol = this.col;
      this.inCell = true;
      this.hasData = false;
      this.parts = [];
    } else if (name === 'Data' && this.inCell && this.depth === 6) {
      this.dataType = ssAttr(attrs, 'Type');
      this.dataDepth = 1;
      this.hasData = true;
    }
  }

  close(name: string): void {
    this.depth--;
    if (this.dataDepth > 0) {
      this.dataDepth--;
      return;
    }
    if (name === 'Cell' && this.inCell) this.endCell();
    else if (name === 'Row' && this.inRow) this.endRow();
    else if (name === 'Worksheet' && this.table !== null) {
      this.table.flush();
      this.table = null;
    }
  }

  text(text: string): void {
    if (this.dataDepth === 0 || this.failure !== undefined) return;
    this.rowChars += text.length;
    if (this.rowChars > this.o.maxRecordChars) this.failure = 'record too long';
    else this.parts.push(text);
  }

  /** Emits the rows read so far. */
  flush(): void {
    this.table?.flush();
  }

  /** At the end of the input: a row or a workbook left open throws, the rows before delivered. */
  end(): void {
    this.flush();
    if (this.depth > 0 || !this.root) {
      const where: Position = this.inRow
        ? { file: `${this.o.file}:${this.sheetName}`, line: this.rowLine, record: this.record + 1 }
        : { file: this.o.file, line: this.lineOf() };
      throw new VigieError('VIGIE_TRUNCATED', this.root ? 'the spreadsheet ends before </Workbook>: the file is cut' : 'no <Workbook> element', {
        position: where,
      });
    }
  }

  private endCell(): void {
    this.inCell = false;
    const at = this.cellCol;
    this.col = at + 1 + this.merge;
    if (!this.hasData || this.failure !== undefined) return;
    if (at >= MAX_COLUMNS) {
      this.failure = 'too many columns';
      return;
    }
    while (this.cells.length < at) this.cells.push('');
    this.cells[at] = cellValue(this.dataType, this.parts.length === 1 ? (this.parts[0] ?? '') : this.parts.join(''));
  }

  private endRow(): void {
    this.inRow = false;
    const table = this.table;
    if (table === null) return;
    const cells = this.cells;
    while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
    if (this.failure === undefined && cells.length === 0) return;
    this.record++;
    if (this.failure !== undefined) {
      table.skip(this.failure, { file: `${this.o.file}:${this.sheetName}`, line: this.rowNumber, record: this.record });
      return;
    }
    table.row(cells as Cell[], this.record);
  }
}

/**
 * Reads an Excel 2003 XML spreadsheet: per worksheet with rows, a `table` (its first row the
 * header candidate) and its rows; a row past the record limit or `MAX_COLUMNS` is a skip with
 * the sheet's row number as its line.
 *
 * @throws VigieError `VIGIE_TRUNCATED` when the file ends before `</Workbook>` (the rows before
 * delivered), `VIGIE_BAD_FORMAT` for malformed XML or another root, `VIGIE_TOO_LARGE` for a tag
 * longer than the record limit; all with file and line.
 * @example
 * for await (const ev of readSpreadsheetMl(chunks, { displayName: 'clients.xml' })) {
 *   if (ev.kind === 'table') console.log(ev.name); // clients.xml:Feuille1
 * }
 */
export const readSpreadsheetMl: TextReader = async function* read(text: AsyncIterable<string>, opts: ReadOptions): AsyncGenerator<ReadEvent> {
  const maxRecordChars = positiveInteger(opts.maxRecordChars, DEFAULT_MAX_RECORD_CHARS, 'maxRecordChars');
  const doc = new Workbook2003({ file: opts.displayName, batchSize: positiveInteger(opts.batchSize, DEFAULT_BATCH_SIZE, 'batchSize'), maxRecordChars });
  const scanner = new XmlScanner(doc, maxRecordChars + TAG_SLACK, opts.displayName, true);
  doc.lineOf = () => scanner.line;
  yield* streamXml(text, scanner, doc);
};
