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
import { EntryTable, linesOf } from '../entries.js';
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
  // Comments, their folds and blank lines: each alternative starts with a character of its own
  // (`#`, a space or tab, a line's end), so a long run of them cannot backtrack exponentially.
  return /^(?:#[^\n]*\n|[ \t][^\n]*\n|\r?\n)*(?:version:[ \t]*1[ \t]*\r?\n(?:[ \t]*\r?\n)*)?dn::?[ \r\n]/i.test(text.slice(start, start + 8192));
}

/**
 * Reads LDIF text into one table (`file`), a record per entry.
 *
 * @example
 * for await (const ev of readLdif(text, { displayName: 'annuaire.ldif' })) if (ev.kind === 'rows') handle(ev.rows);
 */
export const readLdif: TextReader = async function* readLdif(text: AsyncIterable<string>, opts: ReadOptions): AsyncGenerator<ReadEvent> {
  const entries = new Entries(new EntryTable(opts.displayName, 'ldif', opts));
  for await (const lines of linesOf(text, entries.table.maxChars)) {
    for (const l of lines) entries.line(l);
    yield* entries.table.drain();
  }
  entries.end();
  yield* entries.table.drain();
};

/** The entry being read, line by line, into the table. */
class Entries {
  private lineNo = 0;
  /** The entry being read: its logical lines (folds joined), where it started, its size. */
  private lines: string[] = [];
  private startLine = 0;
  private chars = 0;
  private tooLong = false;

  constructor(readonly table: EntryTable) {}

  line(text: string): void {
    this.lineNo++;
    if (text.trim() === '') {
      this.finishEntry();
      return;
    }
    if (this.lines.length === 0 && !this.tooLong) this.startLine = this.lineNo;
    this.chars += text.length;
    if (this.chars > this.table.maxChars) {
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
    this.table.end();
  }

  private finishEntry(): void {
    const lines = this.lines.filter((l) => l !== '#');
    this.lines = [];
    this.chars = 0;
    if (this.tooLong) {
      this.tooLong = false;
      this.table.skip('record too long', this.startLine);
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
        this.table.skip('not an attribute line', this.startLine);
        return;
      }
      const name = longName(m[1] ?? '');
      const n = seen.get(name.toLowerCase()) ?? 0;
      seen.set(name.toLowerCase(), n + 1);
      const column = n === 0 ? name : `${name}[${n}]`;
      const at = this.table.column(column, column.toLowerCase());
      if (at === -1) {
        this.table.skip('too many columns', this.startLine);
        return;
      }
      while (row.length < at) row.push(null);
      row[at] = value(m[2] ?? ':', m[3] ?? '');
    }
    this.table.push(row);
  }
}

/** An attribute's value as written after `:`, `::` (base64) or `:<` (a URL, kept as it is). */
function value(kind: string, raw: string): string {
  if (kind !== '::') return raw;
  const bytes = Buffer.from(raw.trim(), 'base64');
  return isUtf8(bytes) ? bytes.toString('utf8') : `base64:${raw.trim()}`;
}
