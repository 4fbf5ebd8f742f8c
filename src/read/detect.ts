/**
 * Format detection from the first bytes of a source. Content decides; the file name's
 * extension only breaks ties (a leaked file is often misnamed, or named to mislead).
 */
import { VigieError } from '../errors.js';
import { bsonKind } from './bson/index.js';
import { looksBinary } from './encoding/index.js';
import { looksLikeLdif } from './ldif/index.js';
import { looksLikeParquet } from './parquet/index.js';
import { clientOutputRefusal, looksLikeTextTable } from './texttable/index.js';
import { looksLikeVcard } from './vcard/index.js';
import type { SourceFormat } from './types.js';

/** How many leading bytes `detectFormat` needs to decide (more is accepted and ignored). */
export const DETECT_SAMPLE_BYTES = 64 * 1024;

/**
 * Tells the format of a source from its first bytes (`DETECT_SAMPLE_BYTES`, or the whole
 * source when shorter): gzip, bzip2, xz, Zstandard, zip, tar, a SQLite database, an OLE compound file (read as an
 * Excel 97-2003 workbook), BSON, a pg_dump custom archive, Apache Parquet, a flat OpenDocument
 * spreadsheet, JSON, JSON Lines, mysqldump, pg_dump, `mysqldump --xml` and `mysql --xml`, a
 * text table (`mysql -t`, psql, sqlite3 box, Markdown), LDIF, vCard, else delimited text.
 * `fileName` names the source in errors; its extension (or that of `hintName`, e.g. the name
 * without `.gz`) only breaks ties.
 *
 * @throws VigieError `VIGIE_EMPTY_FILE` for an empty (or blank) source, `VIGIE_BAD_FORMAT`
 * for binary content or a known format Vigie does not read (`mongodump --archive`, XML, PDF...).
 * @example
 * detectFormat(Buffer.from('nom;email\nDupont;jd@exemple.fr\n'), 'fuite.csv') // 'delimited'
 */
export function detectFormat(sample: Buffer, fileName?: string, hintName?: string): SourceFormat {
  const file = fileName ?? '(input)';
  // RFC 1952 §2.3.1: ID1 ID2 = 1f 8b, then CM = 8 (deflate).
  if (sample.length >= 3 && sample[0] === 0x1f && sample[1] === 0x8b && sample[2] === 0x08) return 'gzip';
  const compressed = compression(sample, file);
  if (compressed !== undefined) return compressed;
  // APPNOTE.TXT §4.3.7 local file header, §4.3.16 end of central directory (empty archive).
  if (sample.length >= 4 && sample[0] === 0x50 && sample[1] === 0x4b) {
    if ((sample[2] === 0x03 && sample[3] === 0x04) || (sample[2] === 0x05 && sample[3] === 0x06)) return 'zip';
  }
  // POSIX ustar (and GNU) header: magic "ustar" at offset 257 (a .tar.gz decompresses to this).
  if (sample.length >= 262 && sample.toString('latin1', 257, 262) === 'ustar') return 'tar';
  // SQLite file format §1.3.1: the 16-byte header string.
  if (sample.length >= 16 && sample.toString('latin1', 0, 16) === 'SQLite format 3\0') return 'sqlite';
  // pg_dump -Fc: "PGDMP", then the archive's major version, 1 (pg_backup_archiver.c WriteHead).
  if (sample.length >= 6 && sample.toString('latin1', 0, 5) === 'PGDMP' && sample[5] === 1) return 'pgcustom';
  // Apache Parquet: "PAR1" (or "PARE", an encrypted file, which the reader refuses with what to do).
  if (looksLikeParquet(sample)) return 'parquet';
  // PostgreSQL's binary COPY (COPY … TO … (FORMAT binary)): the 11-byte signature "PGCOPY\n\377\r\n\0".
  if (sample.length >= 11 && sample.toString('latin1', 0, 11) === 'PGCOPY\n\xff\r\n\0') {
    throw new VigieError(
      'VIGIE_BAD_FORMAT',
      'a PostgreSQL binary COPY file, not read: its values carry no column types to read them by; export the table again with COPY … TO … (FORMAT csv, HEADER) or pg_dump, and ingest that',
      { position: { file } },
    );
  }
  // A Microsoft Access database (.mdb, .accdb): "Standard Jet DB" or "Standard ACE DB" after a 4-byte header.
  if (sample.length >= 19 && /^Standard (?:Jet|ACE) DB$/.test(sample.toString('latin1', 4, 19))) {
    throw new VigieError(
      'VIGIE_BAD_FORMAT',
      'a Microsoft Access database, not read: export each table to CSV (Access, or mdb-export from mdbtools), then ingest those',
      { position: { file } },
    );
  }
  // An OLE compound file ([MS-CFB] §2.2): its directory, which names the streams, may lie anywhere
  // in the file, so the xls reader tells an Excel 97-2003 workbook from a Word document or an
  // Office file saved with a password, and refuses those.
  if (sample.length >= 8 && sample.readUInt32BE(0) === 0xd0cf11e0 && sample.readUInt32BE(4) === 0xa1b11ae1) return 'xls';
  // mongodump: BSON documents one after another (`users.bson`), or its own archive format.
  const bson = bsonKind(sample);
  if (bson === 'bson') return 'bson';
  if (bson === 'archive') {
    throw new VigieError(
      'VIGIE_BAD_FORMAT',
      'a mongodump --archive file, not read as such: restore it with mongorestore --archive, then run mongodump without --archive and ingest its .bson files',
      { position: { file } },
    );
  }
  const ext = extension(hintName ?? fileName);
  const text = headText(sample, file, DATABASE_EXTENSIONS.has(ext));
  const start = firstNonBlank(text);
  if (start === -1) {
    throw new VigieError('VIGIE_EMPTY_FILE', sample.length === 0 ? 'file is empty' : 'file holds only blank space', {
      position: { file },
    });
  }
  if (isMysqlXml(text, start)) return 'mysqlxml';
  if (utf16Kind(sample) === undefined && FLAT_ODS.test(text.slice(start, start + DETECT_SAMPLE_BYTES))) return 'ods';
  if (SPREADSHEET_ML.test(text.slice(start, start + 4096))) return 'spreadsheetml';
  if (isHtmlTables(text, start)) return 'html';
  refuseKnownOthers(text, start, file);
  if (isXml(text, start)) return 'xml';
  const json = jsonFormat(text, start, ext);
  if (json !== undefined) return json;
  if (looksLikeLdif(text, start)) return 'ldif';
  if (looksLikeVcard(text, start)) return 'vcard';
  const sql = sqlFormat(text);
  if (sql !== undefined) return sql;
  const refusal = clientOutputRefusal(text, start);
  if (refusal !== undefined) throw new VigieError('VIGIE_BAD_FORMAT', refusal, { position: { file } });
  if (looksLikeTextTable(text, start)) return 'texttable';
  return 'delimited';
}

/**
 * The sample as text, enough to look for ASCII markers: UTF-16 (by BOM, or by the NUL byte
 * of every other byte) is decoded; anything else is read byte for byte, which keeps every
 * ASCII character in place whatever the 8-bit encoding or UTF-8.
 */
function headText(sample: Buffer, file: string, databaseName: boolean): string {
  const utf16 = utf16Kind(sample);
  if (utf16 === 'le') return new TextDecoder('utf-16le').decode(sample);
  if (utf16 === 'be') return new TextDecoder('utf-16be').decode(sample);
  let body = sample;
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) body = sample.subarray(3);
  const text = body.toString('latin1');
  // `mysqldump --xml` writes binary columns raw, NULs and all: still its XML.
  if (body.length > 0 && looksBinary(body) && !isMysqlXml(text, firstNonBlank(text))) {
    const what = databaseName ? 'not a SQLite database (an encrypted one, SQLCipher, cannot be read without its key), ' : '';
    throw new VigieError('VIGIE_BAD_FORMAT', `binary content, ${what}not text or a supported archive`, { position: { file } });
  }
  return text;
}

function utf16Kind(b: Buffer): 'le' | 'be' | undefined {
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return 'le';
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return 'be';
  // Without a BOM: mostly-ASCII UTF-16 has a NUL in every other byte, on one side only.
  const n = Math.min(b.length, 1024) & ~1;
  if (n < 8) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenNul++;
    if (b[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul >= pairs * 0.9 && evenNul === 0) return 'le';
  if (evenNul >= pairs * 0.9 && oddNul === 0) return 'be';
  return undefined;
}

const XSI = /\sxmlns:xsi\s*=\s*(["'])http:\/\/www\.w3\.org\/2001\/XMLSchema-instance\1/;
const MYSQL_XML_ROOT = /^(?:<\?xml[^>]{0,256}\?>\s*)?(?:<!--[\s\S]{0,4096}?-->\s*)*<(mysqldump|resultset|pma_xml_export)[\s>]/;

/**
 * `mysqldump --xml`, `mysql --xml` or phpMyAdmin's XML export: after the XML declaration (and
 * comments), a root `<pma_xml_export>`, or `<mysqldump>` or `<resultset>` that declares the `xsi` namespace (a result set's statement may
 * fill the sample before the declaration comes: its tag then only has to start so).
 */
function isMysqlXml(text: string, start: number): boolean {
  if (text.charCodeAt(start) !== 0x3c /* < */) return false;
  const m = MYSQL_XML_ROOT.exec(text.slice(start, start + 8192));
  if (m === null) return false;
  if (m[1] === 'pma_xml_export') return true; // phpMyAdmin's root: no other tool writes it
  const at = start + m[0].length - 1;
  const gt = text.indexOf('>', at);
  if (gt === -1) return m[1] === 'resultset' && text.startsWith(' statement="', at);
  return XSI.test(text.slice(at, gt));
}

/** A flat OpenDocument spreadsheet (`.fods`): the root element states its type (ODF 1.3 part 3 §3.1.4). */
const FLAT_ODS =
  /^(?:<\?xml[^>]{0,200}\?>\s*)?(?:<!--[^>]{0,1000}-->\s*)?<office:document\s[^>]*office:mimetype\s*=\s*["']application\/vnd\.oasis\.opendocument\.spreadsheet["']/;

/** Names a database file goes by: binary content under one of them gets a word about encryption. */
const DATABASE_EXTENSIONS: ReadonlySet<string> = new Set(['db', 'db3', 'sqlite', 'sqlite3', 'sqlitedb']);

/** Formats recognisable but not read by Vigie get a clear message rather than garbage rows. */
function refuseKnownOthers(text: string, start: number, file: string): void {
  if (text.startsWith('%PDF-', start)) throw unsupported('PDF document', file);
  if (text.charCodeAt(start) === 0x3c /* < */ && /^<(\?xml|!doctype|!--|html|[a-z][\w:-]*[\s>])/i.test(text.slice(start, start + 64))) {
    const head = text.slice(start, start + 4096);
    if (HTML.test(head)) throw unsupported('HTML page with no table in its first 64 KiB', file);
    // A flat OpenDocument file other than a spreadsheet (the spreadsheet was taken above).
    if (/^(?:<\?xml[^>]{0,256}\?>\s*)?(?:<!--[\s\S]{0,4096}?-->\s*)*<office:document[\s>]/.test(head))
      throw unsupported('OpenDocument document other than a spreadsheet', file);
  }
}

/**
 * HTML tables: as clients print them (psql -H opens with `<table border="1">` after a `<p>` of a
 * command tag, mysql -H with `<TABLE BORDER=1>`, sqlite3 .mode html with its first `<TR>`; PostgreSQL's
 * query_to_xml opens with `<table xmlns:xsi=…>` too, but its rows are `<row>`, not `<tr>`), or
 * a page (by its DOCTYPE or root) with a `<table>` holding a row in the sample.
 */
function isHtmlTables(text: string, start: number): boolean {
  if (text.charCodeAt(start) !== 0x3c /* < */) return false;
  const head = text.slice(start, start + 4096);
  if (/^(?:<p>[^<]{0,64}<\/p>\s*)*<(?:table|tr)[\s>]/i.test(head) && /<t[rhd][\s>]/i.test(head)) return true;
  return HTML.test(head) && /<table[\s>][\s\S]*?<t[rd][\s>]/i.test(text.slice(start, start + DETECT_SAMPLE_BYTES));
}

/** An HTML page: its DOCTYPE or its root, after comments. */
const HTML = /^(?:<\?xml[^>]{0,256}\?>\s*)?(?:<!--[\s\S]{0,4096}?-->\s*)*<(?:!doctype\s+html|html[\s>])/i;
/** Excel 2003's XML spreadsheet (SpreadsheetML): positional cells, read by `read/spreadsheetml/`. */
const SPREADSHEET_ML = /<Workbook\s[^>]*xmlns\s*=\s*["']urn:schemas-microsoft-com:office:spreadsheet["']/;

/** XML of records for `read/xml/`: an element after the declaration, comments and DOCTYPE. */
function isXml(text: string, start: number): boolean {
  return (
    text.charCodeAt(start) === 0x3c &&
    /^(?:<\?xml[^>]{0,256}\?>\s*)?(?:<!--[\s\S]{0,4096}?-->\s*|<!DOCTYPE[^[>]{0,1024}(?:\[[\s\S]{0,16384}?\])?\s*>\s*)*<[A-Za-z_][\w:.-]*[\s/>]/.test(
      text.slice(start, start + 32768),
    )
  );
}

function unsupported(what: string, file: string): VigieError {
  return new VigieError('VIGIE_BAD_FORMAT', `${what}: not a supported format`, { position: { file } });
}

/**
 * JSON when the text opens like a JSON array or object. JSON Lines when the first line is
 * one whole value and the next non-blank line opens another (or the name says `.jsonl`).
 */
function jsonFormat(text: string, start: number, ext: string): SourceFormat | undefined {
  const first = text.charCodeAt(start);
  if (first !== 0x7b && first !== 0x5b) return undefined;
  const next = firstNonBlank(text, start + 1);
  if (next !== -1) {
    const c = text[next] ?? '';
    // `{` must open a property name or close; `[` a value. `[Section]` (INI) or `{a;b}` are not JSON.
    const plausible = first === 0x7b ? c === '"' || c === '}' : '{["-0123456789tfn]'.includes(c);
    if (!plausible) return undefined;
  }
  const nl = text.indexOf('\n', start);
  const lineLike = ext === 'jsonl' || ext === 'ndjson';
  if (nl === -1) return lineLike ? 'ndjson' : 'json';
  const after = firstNonBlank(text, nl + 1);
  const firstLineWhole = isJson(text.slice(start, nl));
  if (firstLineWhole && after !== -1 && (text[after] === '{' || text[after] === '[')) return 'ndjson';
  if (firstLineWhole && lineLike) return 'ndjson';
  return 'json';
}

function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

const MYSQL_STRONG = /^-- (?:MySQL|MariaDB) dump|\/\*!\d{5} /m;
const MYSQL_WEAK = /^(?:INSERT (?:IGNORE )?INTO|REPLACE INTO|CREATE TABLE(?: IF NOT EXISTS)?|LOCK TABLES|DROP TABLE IF EXISTS) `/m;
const PG_STRONG = /^-- PostgreSQL database dump|^COPY [^\n;]{1,512} FROM stdin;|^SET standard_conforming_strings|^SELECT pg_catalog\.set_config/m;
const SQL_GENERIC = /^(?:INSERT INTO|CREATE TABLE) /im;
const PG_HINTS = /^(?:INSERT INTO|CREATE TABLE) (?:public\.|")/im;

/** mysqldump or pg_dump from their markers; other SQL by its quoting style. */
function sqlFormat(text: string): SourceFormat | undefined {
  if (/^-- PostgreSQL database dump/m.test(text)) return 'pgdump';
  if (MYSQL_STRONG.test(text)) return 'mysqldump';
  if (PG_STRONG.test(text)) return 'pgdump';
  if (MYSQL_WEAK.test(text)) return 'mysqldump';
  if (SQL_GENERIC.test(text)) return PG_HINTS.test(text) ? 'pgdump' : 'mysqldump';
  return undefined;
}

function firstNonBlank(s: string, from = 0): number {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0xfeff && c !== 0x0c) return i;
  }
  return -1;
}

function extension(name: string | undefined): string {
  if (name === undefined) return '';
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/**
 * The single-file compressors Vigie reads (bzip2, xz, Zstandard) by their magic bytes, and the
 * archivers and compressors it does not (7-Zip, RAR, lz4, lzip, Unix compress) refused by name
 * with the command that opens them.
 */
function compression(sample: Buffer, file: string): SourceFormat | undefined {
  const starts = (hex: string): boolean => sample.length >= hex.length / 2 && sample.subarray(0, hex.length / 2).equals(Buffer.from(hex, 'hex'));
  // bzip2: "BZh", the block size 1-9, then a block's magic (π's digits) or the end of an empty stream (√π's).
  const level = sample[3] ?? 0;
  if (sample.length >= 10 && sample.toString('latin1', 0, 3) === 'BZh' && level >= 0x31 && level <= 0x39) {
    const next = sample.subarray(4, 10).toString('hex');
    if (next === '314159265359' || next === '177245385090') return 'bzip2';
  }
  // xz file format §2.1.1.1: FD '7zXZ' 00.
  if (starts('fd377a585a00')) return 'xz';
  // RFC 8878 §3.1.1: a Zstandard frame's magic 0xFD2FB528, or a skippable frame's 0x184D2A5? (pzstd starts with one).
  if (starts('28b52ffd') || (sample.length >= 4 && sample[3] === 0x18 && sample[2] === 0x4d && sample[1] === 0x2a && ((sample[0] ?? 0) & 0xf0) === 0x50))
    return 'zstd';
  const refuse = (what: string): never => {
    throw new VigieError('VIGIE_BAD_FORMAT', what, { position: { file } });
  };
  if (starts('377abcaf271c')) refuse('a 7-Zip archive, not read: extract it with 7z x (Debian: p7zip-full), then ingest the files it holds');
  if (starts('526172211a0700') || starts('526172211a070100')) {
    refuse('a RAR archive, not read: extract it with unrar x or 7z x, then ingest the files it holds');
  }
  if (starts('04224d18') || starts('02214c18')) refuse('an lz4-compressed file, not read: decompress it with lz4 -d, then ingest the result');
  if (starts('4c5a4950')) refuse('an lzip-compressed file, not read: decompress it with lzip -d, then ingest the result');
  if (starts('1f9d')) refuse('a file compressed by Unix compress (.Z), not read: decompress it with gzip -d or uncompress, then ingest the result');
  return undefined;
}
