/**
 * The handlers of the XML tokenizer (`xlsx/`'s `XmlScanner`) for the two XML documents of
 * MySQL and MariaDB's tools, and the events they make:
 *
 * - `mysqldump --xml`: `<mysqldump>` › `<database name>` › `<table_structure name>` (its
 *   `<field Field=… Type=… />` list the columns in order) and `<table_data name>` ›
 *   `<row>` › `<field name="col">value</field>`;
 * - `mysql --xml -e "SELECT …"`: `<resultset statement="…">` › `<row>` › `<field name>`, one
 *   document per statement, one after another in the same file;
 * - phpMyAdmin's XML export: `<pma_xml_export>` (its `<pma:structure_schemas>` passed over) ›
 *   `<database name>` › one `<table name>` per row › `<column name="col">value</column>`, NULL
 *   written as the text `NULL` (read as NULL, the string 'NULL' alike: they cannot be told apart).
 *
 * A field with `xsi:nil="true"` is NULL; `<field name="c"></field>` or `<field name="c" />`
 * is the empty string; a `--hex-blob` field (`xsi:type="xs:hexBinary"`) becomes `0x…`, as the
 * SQL reader keeps a dump's hex literals. Fields are placed by name: a field in another order
 * goes to its column, a name the columns lack appends a column, a column the row lacks is NULL.
 * A table's event comes with its first record, as for SQL dumps: a table without rows gives none.
 */
import { VigieError } from '../../errors.js';
import { MAX_COLUMNS } from '../limits.js';
import { NamedTable } from '../named-columns.js';
import type { Cell, ReadEvent } from '../types.js';
import type { XmlHandlers } from '../xlsx/index.js';

interface DocumentOptions {
  file: string;
  batchSize: number;
  maxRecordChars: number;
  maxDepth: number;
}

/** The table the coming rows belong to. */
interface Target {
  table: string;
  /** Columns from `<table_structure>`, or null when the rows must name them. */
  columns: string[] | null;
  meta: Record<string, string>;
}

/** The table whose event was emitted: its columns grow (append-only) as rows name new fields. */
interface Active {
  target: Target;
  table: NamedTable;
}

/** Elements whose end also ends a row left open inside them. */
const CONTAINERS: ReadonlySet<string> = new Set(['mysqldump', 'database', 'table_data', 'resultset', 'pma_xml_export']);

/** The handlers and the state of one file; `out` holds the events ready to be yielded. */
export class MysqlXmlDocument implements XmlHandlers {
  out: ReadEvent[] = [];
  /** The scanner's line, read as tokens are handed out (set by the reader before each chunk). */
  lineOf: () => number = () => 1;
  /** Elements open outside rows, outermost first. */
  private readonly stack: string[] = [];
  private roots = 0;
  /** phpMyAdmin's layout: a row is `<table>`, a field `<column>`. */
  private pma = false;
  private rowTag = 'row';
  private fieldTag = 'field';
  private database = '';
  /** The last `<table_structure>` read: its table's name and columns. */
  private structure: { table: string; columns: string[] } | null = null;
  private target: Target | null = null;
  private active: Active | null = null;
  // The row being read.
  private inRow = false;
  private rowLine = 0;
  /** Elements open inside the row: 0 between fields, 1 inside a field, more when malformed. */
  private rowDepth = 0;
  private rowChars = 0;
  private rowFailure: string | undefined;
  private names: string[] = [];
  private values: Cell[] = [];
  // The field being read.
  private inField = false;
  private fieldText: string[] = [];
  private fieldNull = false;
  private fieldHex = false;

  constructor(private readonly o: DocumentOptions) {}

  open(name: string, attrs: Record<string, string>): void {
    if (this.inRow) {
      this.openInRow(name, attrs);
      return;
    }
    if (this.stack.length >= this.o.maxDepth) {
      throw new VigieError('VIGIE_BAD_FORMAT', `XML nested deeper than ${this.o.maxDepth} elements`, {
        position: { file: this.o.file, line: this.lineOf() },
      });
    }
    const parent = this.stack[this.stack.length - 1];
    if (parent === undefined) this.openRoot(name, attrs);
    else if (name === 'row' && (parent === 'table_data' || parent === 'resultset')) {
      this.startRow();
      return;
    } else if (this.pma && parent === 'database' && name === 'table' && this.stack[1] !== 'structure_schemas') {
      // (The scanner drops prefixes: `<pma:structure_schemas>`'s `<pma:table>` holds a CREATE TABLE, not a row.)
      const table = printable(attrs['name'] ?? '');
      if (this.target?.table !== table) this.startTableData(table);
      this.startRow();
      return;
    } else if ((parent === 'mysqldump' || (this.pma && parent === 'pma_xml_export')) && name === 'database') this.database = attrs['name'] ?? '';
    else if (parent === 'database' && name === 'table_structure') this.structure = { table: printable(attrs['name'] ?? ''), columns: [] };
    else if (parent === 'table_structure' && name === 'field') {
      const column = attrs['Field'];
      const s = this.structure;
      if (column !== undefined && s !== null && s.columns.length < MAX_COLUMNS) s.columns.push(column);
    } else if (parent === 'database' && name === 'table_data') this.startTableData(printable(attrs['name'] ?? ''));
    // A self-closing element is closed at once by the scanner, which pops it.
    this.stack.push(name);
  }

  close(name: string): void {
    if (this.inRow) {
      if (this.closeInRow(name)) return;
    }
    // A close tag ends the nearest element of that name (those left open inside it end with
    // it); one that closes nothing open is passed over: it holds no data.
    const at = this.stack.lastIndexOf(name);
    if (at === -1) return;
    this.stack.length = at;
    if (name === 'table_data' || name === 'resultset' || (this.pma && name === 'database')) {
      this.flush();
      this.target = null;
    }
  }

  text(text: string): void {
    if (!this.inRow) return;
    if (this.inField && this.rowDepth === 1) {
      if (this.rowFailure !== undefined) return;
      // Counted as it arrives: a field of any length cannot make the row hold more than the limit.
      this.rowChars += text.length;
      if (this.rowChars > this.o.maxRecordChars) this.fail('record too long');
      else this.fieldText.push(text);
    } else if (!isBlank(text)) this.fail('malformed row');
  }

  /** At the end of the input: what was complete is out; a row or a document left open throws. */
  end(): void {
    this.flush();
    if (this.inRow) {
      const t = this.target;
      throw new VigieError('VIGIE_TRUNCATED', `the input ends inside a row (record ${this.active?.table.next ?? 1}, opened on line ${this.rowLine})`, {
        position: { file: this.o.file, ...(t ? { table: t.table } : {}), line: this.rowLine, record: this.active?.table.next ?? 1 },
      });
    }
    const root = this.stack[0];
    if (root !== undefined) {
      throw new VigieError('VIGIE_TRUNCATED', `the input ends before </${root}>: the document is cut`, {
        position: { file: this.o.file, line: this.lineOf() },
      });
    }
    if (this.roots === 0) {
      throw new VigieError('VIGIE_BAD_FORMAT', 'no <mysqldump>, <resultset> or <pma_xml_export> element', {
        position: { file: this.o.file, line: this.lineOf() },
      });
    }
  }

  private openRoot(name: string, attrs: Record<string, string>): void {
    if (name === 'mysqldump') this.database = '';
    else if (name === 'pma_xml_export') {
      this.pma = true;
      this.rowTag = 'table';
      this.fieldTag = 'column';
      this.database = '';
    } else if (name === 'resultset') {
      this.target = { table: printable(resultsetTable(attrs['statement'] ?? '')), columns: null, meta: { columnsFrom: 'row' } };
    } else {
      throw new VigieError('VIGIE_BAD_FORMAT', `<${name.slice(0, 40)}> is not the root of a mysqldump, mysql or phpMyAdmin XML document`, {
        position: { file: this.o.file, line: this.lineOf() },
      });
    }
    this.roots++;
  }

  private startTableData(table: string): void {
    this.flush();
    const s = this.structure;
    const columns = s !== null && s.table === table && s.columns.length > 0 ? s.columns : null;
    this.target = {
      table,
      columns,
      meta: {
        ...(this.database ? { database: printable(this.database) } : {}),
        columnsFrom: columns ? 'table_structure' : 'row',
        ...(this.pma ? { layout: 'phpMyAdmin', null: 'NULL' } : {}),
      },
    };
  }

  private startRow(): void {
    this.inRow = true;
    this.rowLine = this.lineOf();
    this.rowDepth = 0;
    this.rowChars = 0;
    this.rowFailure = undefined;
    this.names = [];
    this.values = [];
    this.inField = false;
  }

  private openInRow(name: string, attrs: Record<string, string>): void {
    if (name === this.rowTag) {
      // A row opened before the last one closed: that one is malformed, this one starts afresh.
      this.fail('malformed row');
      this.endRow();
      this.startRow();
      return;
    }
    this.rowDepth++;
    if (name !== this.fieldTag || this.rowDepth !== 1) {
      this.fail('malformed row');
      return;
    }
    const column = attrs['name'];
    if (column === undefined) this.fail('malformed row');
    this.inField = true;
    this.fieldText = [];
    this.fieldNull = attrs['xsi:nil'] === 'true';
    this.fieldHex = attrs['xsi:type'] === 'xs:hexBinary';
    if (this.rowFailure === undefined) {
      this.rowChars += (column ?? '').length;
      if (this.rowChars > this.o.maxRecordChars) this.fail('record too long');
      else if (this.names.length >= MAX_COLUMNS) this.fail('too many columns');
      else this.names.push(column ?? '');
    }
  }

  /** A close tag inside a row; false when it also closes something outside the row. */
  private closeInRow(name: string): boolean {
    if (name === this.rowTag) {
      if (this.rowDepth !== 0) this.fail('malformed row');
      this.endRow();
      return true;
    }
    if (CONTAINERS.has(name)) {
      // The row never closed: it is malformed, and what closes ends it too.
      this.fail('malformed row');
      this.endRow();
      return false;
    }
    if (name === this.fieldTag && this.rowDepth === 1 && this.inField) {
      this.inField = false;
      this.rowDepth = 0;
      if (this.rowFailure === undefined) this.values.push(this.fieldValue());
      this.fieldText = [];
      return true;
    }
    this.fail('malformed row');
    if (this.rowDepth > 0) this.rowDepth--;
    return true;
  }

  private fieldValue(): Cell {
    if (this.fieldNull) return null;
    const v = this.fieldText.length === 1 ? (this.fieldText[0] ?? '') : this.fieldText.join('');
    if (this.pma && v === 'NULL') return null;
    return this.fieldHex && v.length > 0 ? `0x${v}` : v;
  }

  private fail(reason: string): void {
    if (this.rowFailure !== undefined) return;
    this.rowFailure = reason;
    this.names = [];
    this.values = [];
    this.fieldText = [];
  }

  private endRow(): void {
    this.inRow = false;
    this.inField = false;
    const t = this.target;
    if (t === null) return;
    const a = this.ensure(t);
    if (this.rowFailure === undefined && this.names.length === 0) this.rowFailure = 'empty row';
    a.table.record(this.names, this.values, this.rowFailure, this.rowLine);
  }

  /** The active table for `t`, its event emitted with the first record. */
  private ensure(t: Target): Active {
    if (this.active !== null && this.active.target === t) return this.active;
    this.flush();
    // Without a structure, the first row's names: one given twice (`SELECT a.nom, b.nom`) is two columns.
    const columns = t.columns ? t.columns.slice() : this.names.slice();
    const options = {
      out: this.out,
      file: this.o.file,
      table: t.table,
      format: 'mysqlxml' as const,
      meta: { table: t.table, ...t.meta },
      batchSize: this.o.batchSize,
    };
    const a: Active = { target: t, table: new NamedTable(options, columns) };
    this.active = a;
    return a;
  }

  /** Emits the pending batch. */
  flush(): void {
    this.active?.table.flush();
  }
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return true;
}

/**
 * The table a `mysql --xml` result set comes from: the name after FROM when the statement is
 * a plain `SELECT … FROM name` (a WHERE, ORDER BY, LIMIT... may follow), else `resultset`.
 *
 * @example
 * resultsetTable('SELECT nom, email FROM `clients` WHERE id < 10') // 'clients'
 * resultsetTable('SELECT * FROM a JOIN b USING (id)') // 'resultset'
 */
export function resultsetTable(statement: string): string {
  const s = statement.length > 64 * 1024 ? '' : statement;
  const m = /^\s*SELECT\s[\s\S]*?\sFROM\s+((?:`[^`]{1,64}`|[\w$]{1,64})(?:\.(?:`[^`]{1,64}`|[\w$]{1,64}))?)(?=\s|;|$)([\s\S]*)$/i.exec(s);
  if (m === null) return 'resultset';
  const rest = m[2] ?? '';
  // A join, a second table, a subquery or a union: no one table to name.
  if (/^\s*,|\b(?:JOIN|UNION|FROM|SELECT)\b/i.test(rest) || /\(\s*SELECT\b/i.test(s)) return 'resultset';
  return (m[1] ?? '').replace(/`/g, '');
}

/** A name safe to print: control characters (terminal escapes) become `?`. */
function printable(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this replaces
  return name.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '?');
}
