/**
 * The door of `read/xml/`: XML documents of records that other tools write (PostgreSQL's
 * `table_to_xml` and `query_to_xml`, DBeaver, Navicat, Access, Oracle SQL Developer, SQL
 * Server's `FOR XML`...), read with Vigie's own XML tokenizer (`xlsx/`'s `XmlScanner`, ADR 0005),
 * streaming: where the records lie is decided from the document's start (`layout.ts`), then each
 * record is read as it closes (`records.ts`). MySQL's, MariaDB's and phpMyAdmin's own XML have
 * their reader (`read/mysqlxml/`).
 */
import { VigieError } from '../../errors.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_RECORD_CHARS, positiveInteger } from '../limits.js';
import type { ReadEvent, ReadOptions, TextReader } from '../types.js';
import { XmlScanner } from '../xlsx/index.js';
import { streamXml } from '../xml-stream.js';
import { recordDepth } from './layout.js';
import { XmlRecords } from './records.js';

/** Characters of the document's start that decide where its records lie. */
const LAYOUT_SAMPLE_CHARS = 256 * 1024;
/** Markup a tag may hold beyond a record's length (its name and attributes' quoting). */
const TAG_SLACK = 64 * 1024;

/**
 * Reads an XML document of records: a `table` event per run of records of one table (named
 * `file:name`), then its rows, fields placed by name. A malformed record is a `skip` with the
 * line where it opened and its record number: `record too long`, `too many columns`,
 * `malformed record` (an element left open), `empty record`.
 *
 * @throws VigieError `VIGIE_BAD_FORMAT` for malformed XML, nesting deeper than `maxDepth`
 * (default 64) or a document whose start shows no record; `VIGIE_TRUNCATED` when it ends inside
 * a record or before its root closes (the records before are delivered first); `VIGIE_TOO_LARGE`
 * for a tag longer than the record limit; all with file and line.
 * @example
 * for await (const ev of readXml(chunks, { displayName: 'export.xml' })) {
 *   if (ev.kind === 'table') console.log(ev.name, ev.columns); // export.xml:personnes [...]
 * }
 */
export const readXml: TextReader = async function* read(text: AsyncIterable<string>, opts: ReadOptions): AsyncGenerator<ReadEvent> {
  const file = opts.displayName;
  const maxRecordChars = positiveInteger(opts.maxRecordChars, DEFAULT_MAX_RECORD_CHARS, 'maxRecordChars');
  const maxDepth = Math.max(1, opts.maxDepth ?? 64);
  const it = text[Symbol.asyncIterator]();
  const head: string[] = [];
  let sampled = 0;
  let done = false;
  while (sampled < LAYOUT_SAMPLE_CHARS) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    head.push(r.value);
    sampled += r.value.length;
  }
  const depth = recordDepth(head.join('').slice(0, LAYOUT_SAMPLE_CHARS), maxDepth, file);
  if (depth === null) {
    throw new VigieError('VIGIE_BAD_FORMAT', 'an XML document whose start holds no record (no element with fields of its own): not a table', {
      position: { file },
    });
  }
  const doc = new XmlRecords({ file, depth, batchSize: positiveInteger(opts.batchSize, DEFAULT_BATCH_SIZE, 'batchSize'), maxRecordChars, maxDepth });
  const scanner = new XmlScanner(doc, maxRecordChars + TAG_SLACK, file, true);
  doc.lineOf = () => scanner.line;
  // The chunks read for the sample, then the rest.
  async function* all(): AsyncGenerator<string> {
    try {
      yield* head;
      if (done) return;
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
      done = true;
    } finally {
      // Left early (an error, a reader stopped): the source is released now.
      if (!done) await it.return?.();
    }
  }
  yield* streamXml(all(), scanner, doc);
};
