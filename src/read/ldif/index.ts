/**
 * LDIF (RFC 2849): the exports of LDAP directories (`ldapsearch -LLL`, `slapcat`, Active
 * Directory's `ldifde`), a company's whole staff with names, mails, phones and password hashes.
 *
 * One table of entries, in file order. An entry is the lines between blank lines, each
 * `name: value`, `name:: base64` or `name:< URL`; a line that starts with one space goes on
 * with the line before (§ "line folding"); `#` lines are comments; `version: 1` is no entry.
 * Columns are the attribute names in the order first seen (options kept, `cn;lang-fr`), the
 * short names of RFC 4519 written out (`cn` is `commonName`, `sn` `surname`, `l`
 * `localityName`: short, they would name a serial number or a line elsewhere); an
 * attribute's second and later values take `name[1]`, `name[2]`... as JSON's lists do. A base64
 * value is decoded when it is UTF-8 text, else kept as written with `base64:` before it (a
 * photo, a binary GUID); a URL's target is never fetched (the value is the URL). Change
 * records (`changetype: modify`, their `-` separators) are read the same way, their
 * `add:`/`replace:` lines as attributes.
 */
import { isUtf8 } from 'node:buffer';
import type { Position } from '../../errors.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_RECORD_CHARS, MAX_COLUMNS } from '../limits.js';
import type { Cell, ReadEvent, ReadOptions, TextReader } from '../types.js';

/** `name: value`, `name:: base64`, `name:< url` (§2: an attribute description, its options after `;`). */
const ATTRIBUTE = /^([A-Za-z0-9][A-Za-z0-9-]*(?:;[A-Za-z0-9-]+)*|[0-9]+(?:\.[0-9]+)+)(:<|::?)\s?(.*)$/;

/** RFC 4519's short attribute names, and the names they stand for. */
const LONG_NAMES: Readonly<Record<string, string>> = {
  cn: 'commonName',
  sn: 'surname',
  gn: 'givenName',
  l: 'localityName',
  st: 'stateOrProvinceName',
  o: 'organizationName',
  ou: 'organizationalUnitName',
  c: 'countryName',
  dc: 'domainComponent',
  uid: 'userid',
};

/** An attribute description with its short name written out, its options kept. */
function longName(name: string): string {
  const semi = name.indexOf(';');
  const base = semi === -1 ? name : name.slice(0, semi);
  const long = LONG_NAMES[base.toLowerCase()];
  return long === undefined ? name : long + (semi === -1 ? '' : name.slice(semi));
}

/**
 * Whether text that starts at `start` is LDIF: after comments and `version: 1`, an entry's
 * first line `dn:` or `dn::`.
 *
 * @example looksLikeLdif('version: 1\n\ndn: uid=jdupont,dc=exemple,dc=fr\n', 0) // true
 */
export function looksLikeLdif(text: string, start: number): boolean {
  return /^(?:#[^\n]*\r?\n(?: [^\n]*\r?\n)*|\s*\r?\n)*(?:version:\s*1\s*\r?\n(?:\s*\r?\n)*)?dn::?[ \r\n]/i.test(text.slice(start, start + 8192));
}

/**
 * Reads LDIF text into one table (`file`), a record per entry.
 *
 * @example
 * for await (const ev of readLdif(text, { displayName: 'annuaire.ldif' })) if (ev.kind === 'rows') handle(ev.rows);
 */
export const readLdif: TextReader = async function* readLdif(text: AsyncIterable<string>, opts: ReadOptions): AsyncGenerator<ReadEvent> {
  const entries = new Entries(opts);
  let carry = '';
  /** The rest of an overlong line is being dropped (its start was handed over, and counted). */
  let dropping = false;
  for await (const chunk of text) {
    carry += chunk;
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
      entries.line(carry.slice(from, nl > from && carry.charCodeAt(nl - 1) === 13 ? nl - 1 : nl));
      from = nl + 1;
    }
    carry = carry.slice(from);
    // A line without its end, past the record limit: the entry is too long whatever follows.
    if (carry.length > entries.maxChars) {
      entries.line(carry.slice(0, entries.maxChars + 1));
      carry = '';
      dropping = true;
    }
    yield* entries.drain();
  }
  if (dropping) carry = '';
  if (carry !== '') entries.line(carry.endsWith('\r') ? carry.slice(0, -1) : carry);
  entries.end();
  yield* entries.drain();
};

/** The entries being read, and the events they give. */
class Entries {
  readonly maxChars: number;
  private readonly batchSize: number;
  private readonly file: string;
  private readonly columns: string[] = [];
  private readonly index = new Map<string, number>();
  private events: ReadEvent[] = [];
  private batch: Cell[][] = [];
  private batchFirst = 1;
  private records = 0;
  private announced = false;
  private lineNo = 0;
  /** The entry being read: its logical lines (folds joined), where it started, its size. */
  private lines: string[] = [];
  private startLine = 0;
  private chars = 0;
  private tooLong = false;

  constructor(opts: ReadOptions) {
    this.file = opts.displayName;
    this.batchSize = Math.max(1, opts.batchSize ?? DEFAULT_BATCH_SIZE);
    this.maxChars = Math.max(1, opts.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS);
  }

  line(text: string): void {
    this.lineNo++;
    if (text.trim() === '') {
      this.finishEntry();
      return;
    }
    if (this.lines.length === 0 && !this.tooLong) this.startLine = this.lineNo;
    this.chars += text.length;
    if (this.chars > this.maxChars) {
      this.tooLong = true;
      this.lines = [];
      return;
    }
    if (this.tooLong) return;
    const c = text.charCodeAt(0);
    if (c === 0x20) {
      // A folded line: the rest of the logical line before it, its one space removed.
      const last = this.lines.length - 1;
      if (last >= 0) this.lines[last] += text.slice(1);
      return;
    }
    if (c === 0x23 /* # */) {
      this.lines.push('#'); // a comment, whose folds are dropped with it
      return;
    }
    this.lines.push(text);
  }

  end(): void {
    this.finishEntry();
    this.flush();
    this.announce();
  }

  *drain(): Generator<ReadEvent> {
    if (this.events.length === 0) return;
    const out = this.events;
    this.events = [];
    yield* out;
  }

  private finishEntry(): void {
    const lines = this.lines.filter((l) => l !== '#');
    this.lines = [];
    this.chars = 0;
    if (this.tooLong) {
      this.tooLong = false;
      this.skip('record too long', this.startLine);
      return;
    }
    if (lines.length === 0) return;
    if (lines.length === 1 && /^version:\s*\d+\s*$/i.test(lines[0] ?? '')) return;
    const row: Cell[] = [];
    const seen = new Map<string, number>();
    for (const l of lines) {
      if (l === '-') continue; // the end of one change of a `changetype: modify` record
      const m = ATTRIBUTE.exec(l);
      if (m === null) {
        this.skip('not an attribute line', this.startLine);
        return;
      }
      const name = longName(m[1] ?? '');
      const n = seen.get(name.toLowerCase()) ?? 0;
      seen.set(name.toLowerCase(), n + 1);
      const column = this.column(n === 0 ? name : `${name}[${n}]`);
      if (column === -1) {
        this.skip('too many columns', this.startLine);
        return;
      }
      while (row.length < column) row.push(null);
      row[column] = value(m[2] ?? ':', m[3] ?? '');
    }
    this.records++;
    if (this.batch.length === 0) this.batchFirst = this.records;
    this.batch.push(row);
    if (this.batch.length >= this.batchSize) this.flush();
  }

  /** The index of a column, added at the end when new (append-only); -1 past `MAX_COLUMNS`. */
  private column(name: string): number {
    const key = name.toLowerCase();
    const known = this.index.get(key);
    if (known !== undefined) return known;
    if (this.columns.length >= MAX_COLUMNS) return -1;
    this.announce();
    this.columns.push(name);
    this.index.set(key, this.columns.length - 1);
    return this.columns.length - 1;
  }

  private skip(reason: string, line: number): void {
    this.flush();
    this.announce();
    this.records++;
    const position: Position = { file: this.file, line, record: this.records };
    this.events.push({ kind: 'skip', reason, position });
  }

  private announce(): void {
    if (this.announced) return;
    this.announced = true;
    // The columns array is shared: names found later are pushed onto it (append-only contract).
    this.events.push({ kind: 'table', name: this.file, format: 'ldif', columns: this.columns, meta: {} });
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    this.events.push({ kind: 'rows', rows: this.batch, firstRecord: this.batchFirst });
    this.batch = [];
  }
}

/** An attribute's value as written after `:`, `::` (base64) or `:<` (a URL, kept as it is). */
function value(kind: string, raw: string): string {
  if (kind !== '::') return raw;
  const bytes = Buffer.from(raw.trim(), 'base64');
  return isUtf8(bytes) ? bytes.toString('utf8') : `base64:${raw.trim()}`;
}
