/**
 * The handlers of the XML tokenizer (`xlsx/`'s `XmlScanner`) for a document of records, once
 * their depth is known (`layout.ts`): each element at that depth is a record of the table its
 * name gives (its parent's name when it is a generic `row`, `record`, `DATA_RECORD`...), and
 * its fields are its attributes and the elements inside it that hold only text, named by their
 * path from the record (`adresse.ville`) or, for a generic `<column name="…">` (Oracle SQL
 * Developer), by that attribute. `xsi:nil="true"` is NULL, an empty element the empty string.
 * A record that holds only text (`<email>…</email>` in a list) is one field named after it.
 * A table's event comes with its first record; records of another table in between start it anew.
 */
import { VigieError } from '../../errors.js';
import { MAX_COLUMNS } from '../limits.js';
import { NamedTable } from '../named-columns.js';
import type { Cell, ReadEvent } from '../types.js';
import { printable, type XmlHandlers } from '../xlsx/index.js';
import { isFieldAttribute } from './layout.js';

interface Options {
  file: string;
  /** Depth of the records, 1 for the document's top level. */
  depth: number;
  batchSize: number;
  maxRecordChars: number;
  maxDepth: number;
}

/** Record names that say nothing of the table: the records then take their parent's name. */
const GENERIC_RECORD = /^(?:data_?)?(?:row|record|item|entry|line|object|document|doc|element|tuple)s?$/i;
/** Field names whose `name` attribute names the field instead (`<COLUMN NAME="EMAIL">`). */
const GENERIC_FIELD = /^(?:column|col|field|cell|value|attribute|property)$/i;

/** An element open inside a record. */
interface Frame {
  name: string;
  /** Its field name when it holds only text. */
  field: string;
  nil: boolean;
  children: number;
  text: string[];
}

export class XmlRecords implements XmlHandlers {
  out: ReadEvent[] = [];
  /** The scanner's line (set by the reader). */
  lineOf: () => number = () => 1;
  /** Names of the elements open above the records (the record's ancestors), outermost first. */
  private readonly stack: string[] = [];
  private active: { key: string; table: NamedTable } | null = null;
  private records = 0;
  // The record being read.
  private tag: string | null = null;
  private table = '';
  private rowLine = 0;
  private frames: Frame[] = [];
  private names: string[] = [];
  private values: Cell[] = [];
  private ownText: string[] = [];
  private chars = 0;
  private failure: string | undefined;

  constructor(private readonly o: Options) {}

  /** Records read (skipped ones included). */
  get count(): number {
    return this.records;
  }

  open(name: string, attrs: Record<string, string>): void {
    if (this.tag !== null) {
      this.openInRecord(name, attrs);
      return;
    }
    if (this.stack.length + 1 === this.o.depth) {
      this.startRecord(name, attrs);
      return;
    }
    if (this.stack.length >= this.o.maxDepth) throw this.tooDeep();
    this.stack.push(name);
  }

  close(name: string): void {
    if (this.tag !== null) {
      const at = this.frames.findLastIndex((f) => f.name === name);
      if (at === -1 && name === this.tag) {
        if (this.frames.length > 0) this.fail('malformed record'); // an element left open inside the record
        this.endRecord();
        return;
      }
      if (at !== -1) {
        while (this.frames.length > at + 1) {
          this.fail('malformed record'); // an element left open inside the record
          this.frames.pop();
        }
        this.closeField();
        return;
      }
      if (!this.stack.includes(name)) return; // closes nothing open: it holds no data
      this.fail('malformed record'); // the record never closed: what closes ends it too
      this.endRecord();
    }
    const at = this.stack.lastIndexOf(name);
    if (at !== -1) this.stack.length = at;
  }

  text(text: string): void {
    if (this.tag === null || this.failure !== undefined) return;
    this.chars += text.length;
    if (this.chars > this.o.maxRecordChars) {
      this.fail('record too long');
      return;
    }
    const f = this.frames[this.frames.length - 1];
    if (f) f.text.push(text);
    else this.ownText.push(text);
  }

  /** At the end of the input: what was complete is out; a record or a document left open throws. */
  end(): void {
    this.flush();
    if (this.tag !== null) {
      throw new VigieError('VIGIE_TRUNCATED', `the input ends inside a record (record ${this.active?.table.next ?? 1}, opened on line ${this.rowLine})`, {
        position: { file: this.o.file, table: this.table, line: this.rowLine, record: this.active?.table.next ?? 1 },
      });
    }
    const root = this.stack[0];
    if (root !== undefined) {
      throw new VigieError('VIGIE_TRUNCATED', `the input ends before </${root.slice(0, 40)}>: the document is cut`, {
        position: { file: this.o.file, line: this.lineOf() },
      });
    }
  }

  private startRecord(name: string, attrs: Record<string, string>): void {
    this.tag = name;
    const parent = this.stack[this.stack.length - 1];
    this.table = printable(GENERIC_RECORD.test(name) && parent !== undefined ? parent : name);
    this.rowLine = this.lineOf();
    this.frames = [];
    this.names = [];
    this.values = [];
    this.ownText = [];
    this.chars = 0;
    this.failure = undefined;
    for (const [k, v] of Object.entries(attrs)) if (isFieldAttribute(k)) this.addField(k, v);
  }

  private openInRecord(name: string, attrs: Record<string, string>): void {
    const parent = this.frames[this.frames.length - 1];
    if (parent) parent.children++;
    if (this.stack.length + 1 + this.frames.length >= this.o.maxDepth) throw this.tooDeep();
    const label = attrs['name'] ?? attrs['NAME'] ?? attrs['Name'];
    const path = parent ? `${parent.field}.${name}` : name;
    this.frames.push({
      name,
      field: label !== undefined && GENERIC_FIELD.test(name) ? label : path,
      nil: attrs['xsi:nil'] === 'true',
      children: 0,
      text: [],
    });
    // Attributes of a field element besides its name: fields of their own (`<tel type="mobile">`).
    for (const [k, v] of Object.entries(attrs)) {
      if (isFieldAttribute(k) && !(k.toLowerCase() === 'name' && label !== undefined && GENERIC_FIELD.test(name))) this.addField(`${path}.${k}`, v);
    }
  }

  /** The innermost element closes: a field when it held only text. */
  private closeField(): void {
    const f = this.frames.pop();
    if (!f || f.children > 0) return;
    this.addField(f.field, f.nil ? null : f.text.length === 1 ? (f.text[0] ?? '') : f.text.join(''));
  }

  private addField(name: string, value: Cell): void {
    if (this.failure !== undefined) return;
    this.chars += name.length;
    if (this.chars > this.o.maxRecordChars) this.fail('record too long');
    else if (this.names.length >= MAX_COLUMNS) this.fail('too many columns');
    else {
      this.names.push(name);
      this.values.push(value);
    }
  }

  private fail(reason: string): void {
    if (this.failure !== undefined) return;
    this.failure = reason;
    this.names = [];
    this.values = [];
  }

  private endRecord(): void {
    const tag = this.tag ?? '';
    this.tag = null;
    this.records++;
    if (this.failure === undefined && this.names.length === 0) {
      const own = this.ownText.join('');
      if (own.trim().length > 0) this.addField(tag, own);
      else this.failure = 'empty record';
    }
    this.ensure(tag).record(this.names, this.values, this.failure, this.rowLine);
  }

  /** The table of this record, its event emitted when it is not the one being read. */
  private ensure(tag: string): NamedTable {
    const key = `${this.table}\u0000${tag}`;
    if (this.active?.key === key) return this.active.table;
    this.flush();
    const meta = { record: printable(tag), columnsFrom: 'record' };
    const table = new NamedTable({ out: this.out, file: this.o.file, table: this.table, format: 'xml', meta, batchSize: this.o.batchSize }, this.names.slice());
    this.active = { key, table };
    return table;
  }

  /** Emits the pending batch. */
  flush(): void {
    this.active?.table.flush();
  }

  private tooDeep(): VigieError {
    return new VigieError('VIGIE_BAD_FORMAT', `XML nested deeper than ${this.o.maxDepth} elements`, {
      position: { file: this.o.file, line: this.lineOf() },
    });
  }
}
