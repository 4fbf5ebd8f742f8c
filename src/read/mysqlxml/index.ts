/**
 * The door of `read/mysqlxml/`: the XML output of MySQL and MariaDB's tools, `mysqldump --xml`
 * (`mariadb-dump --xml`) and the client's `mysql --xml -e "SELECT …"`, read as tables with
 * Vigie's own XML tokenizer (`xlsx/`'s `XmlScanner`, ADR 0005), streaming.
 */
import { VigieError } from '../../errors.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_RECORD_CHARS, positiveInteger } from '../limits.js';
import type { ReadEvent, ReadOptions, TextReader } from '../types.js';
import { XmlScanner } from '../xlsx/index.js';
import { MysqlXmlDocument } from './document.js';

/** Markup a tag may hold beyond a record's length (its name and attributes' quoting). */
const TAG_SLACK = 64 * 1024;

/**
 * Reads `mysqldump --xml` or `mysql --xml` output: one `table` event per `<table_data>` (or
 * `<resultset>`) that holds rows, named like the SQL reader names a dump's tables
 * (`dump.xml:clients`; a result set by the table after its statement's FROM when it is a plain
 * SELECT, else `dump.xml:resultset`), its columns from `<table_structure>` else from the first
 * row's fields; then its rows, fields placed by name. NULL (`xsi:nil`) is null, an empty field
 * the empty string, a `--hex-blob` field `0x…`. A malformed row is a `skip` with the line of
 * its `<row>` and its record number: `record too long` (past `maxRecordChars`), `too many
 * columns` (past `MAX_COLUMNS`), `malformed row` (an element inside a field, text between
 * fields, a tag left open), `empty row`.
 *
 * @throws VigieError `VIGIE_TRUNCATED` when the input ends inside a row or before its document
 * closes (the rows before are delivered first), `VIGIE_BAD_FORMAT` for malformed XML, a root
 * other than `<mysqldump>` or `<resultset>`, or nesting deeper than `maxDepth` (default 64),
 * `VIGIE_TOO_LARGE` for a tag longer than the record limit; all with file and line.
 * @example
 * for await (const ev of readMysqlXml(chunks, { displayName: 'dump.xml' })) {
 *   if (ev.kind === 'table') console.log(ev.name, ev.columns); // dump.xml:clients [...]
 * }
 */
export const readMysqlXml: TextReader = async function* read(text: AsyncIterable<string>, opts: ReadOptions): AsyncGenerator<ReadEvent> {
  const maxRecordChars = positiveInteger(opts.maxRecordChars, DEFAULT_MAX_RECORD_CHARS, 'maxRecordChars');
  const doc = new MysqlXmlDocument({
    file: opts.displayName,
    batchSize: positiveInteger(opts.batchSize, DEFAULT_BATCH_SIZE, 'batchSize'),
    maxRecordChars,
    maxDepth: Math.max(1, opts.maxDepth ?? 64),
  });
  const scanner = new XmlScanner(doc, maxRecordChars + TAG_SLACK, opts.displayName, true);
  doc.lineOf = () => scanner.line;
  let empty = true;
  try {
    for await (const chunk of text) {
      if (chunk.length > 0) empty = false;
      scanner.write(chunk);
      if (doc.out.length > 0) yield* doc.out.splice(0, doc.out.length);
    }
    if (empty) throw new VigieError('VIGIE_EMPTY_FILE', 'empty XML document', { position: { file: opts.displayName } });
    doc.end();
    scanner.end();
  } catch (err) {
    // What was complete is delivered before the error.
    doc.flush();
    yield* doc.out.splice(0, doc.out.length);
    throw err;
  }
  doc.flush();
  yield* doc.out.splice(0, doc.out.length);
};
