/**
 * The door of `read/ods/`: an OpenDocument spreadsheet (`.ods`, LibreOffice's own format,
 * ODF 1.3) read as tables, one per sheet, streaming `content.xml` from the zip with the xlsx
 * reader's tokenizer (ADR 0005); a flat `.fods` (one XML document) the same way. Cells are
 * text as the xlsx reader gives the same workbook saved as `.xlsx`.
 */
import { VigieError } from '../../errors.js';
import { type ExpansionBudget, openZipIndex, type ZipSource } from '../archive/index.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_RECORD_CHARS } from '../limits.js';
import type { ReadEvent, ReadOptions } from '../types.js';
import { parseXml } from '../xlsx/index.js';
import { readContent } from './content.js';

export { dateText } from './values.js';

/** The `mimetype` of a spreadsheet and of a spreadsheet template (ODF 1.3 part 2 §3.3, appendix C). */
const SPREADSHEET_TYPES: ReadonlySet<string> = new Set([
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.spreadsheet-template',
]);

/** Longest `mimetype` member read: the types above are 46 and 55 bytes. */
const MAX_MIMETYPE_BYTES = 256;

interface OdsOptions {
  /** The spreadsheet's name in messages and tables (`book.ods`, `archive.zip:book.ods`). */
  file: string;
  budget: ExpansionBudget;
  read: ReadOptions;
  onRaw?: (n: number) => void;
  /** The error for an OpenDocument file that is not a spreadsheet (a text, a presentation). */
  notSpreadsheet: () => VigieError;
}

/**
 * Yields one table per sheet of an `.ods` zip, named `file:sheet name`, format `ods`; hidden
 * sheets and rows are read, comments are not cell text, merged (covered) cells are empty.
 *
 * @throws VigieError `o.notSpreadsheet()` for another OpenDocument type, `VIGIE_BAD_FORMAT`
 * for a password-protected spreadsheet (`manifest:encryption-data`), no `content.xml` or
 * malformed XML, `VIGIE_TOO_LARGE` and `VIGIE_UNSAFE_ARCHIVE` as `readContent` and the
 * archive throw them.
 * @example
 * for await (const ev of readOds({ path: 'fuite.ods' }, { file: 'fuite.ods', budget, read, notSpreadsheet })) use(ev);
 */
export async function* readOds(src: ZipSource, o: OdsOptions): AsyncGenerator<ReadEvent> {
  const zip = await openZipIndex(src, { file: o.file, budget: o.budget, ...(o.onRaw ? { onRaw: o.onRaw } : {}) });
  try {
    const maxRecordChars = o.read.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
    const maxRun = maxRecordChars + 64 * 1024;
    if (zip.names.has('mimetype')) {
      const type = zip.size('mimetype') <= MAX_MIMETYPE_BYTES ? await whole(zip.read('mimetype')) : '';
      if (!SPREADSHEET_TYPES.has(type.trim())) throw o.notSpreadsheet();
    }
    if (zip.names.has('META-INF/manifest.xml')) {
      let encrypted = false;
      const h = { open: (name: string) => void (encrypted ||= name === 'encryption-data'), close: () => undefined, text: () => undefined };
      for await (const _ of parseXml(zip.read('META-INF/manifest.xml'), h, { file: `${o.file}:META-INF/manifest.xml`, maxRun })) {
        if (encrypted) break;
      }
      if (encrypted) {
        throw new VigieError(
          'VIGIE_BAD_FORMAT',
          'password-protected OpenDocument spreadsheet (its content is encrypted): open it with its password and save it without one, or save each sheet as CSV, then ingest that file',
          { position: { file: o.file } },
        );
      }
    }
    if (!zip.names.has('content.xml')) {
      throw new VigieError('VIGIE_BAD_FORMAT', 'OpenDocument spreadsheet without a content.xml part', { position: { file: o.file } });
    }
    yield* readContent(zip.read('content.xml'), {
      file: o.file,
      part: 'content.xml',
      budget: o.budget,
      batchSize: o.read.batchSize ?? DEFAULT_BATCH_SIZE,
      maxRecordChars,
      maxRun,
      notSpreadsheet: o.notSpreadsheet,
    });
  } finally {
    zip.close();
  }
}

/**
 * Yields the tables of a flat OpenDocument spreadsheet (`.fods`: one UTF-8 XML document,
 * `<office:document office:mimetype="application/vnd.oasis.opendocument.spreadsheet">`),
 * as `readOds` does those of a zipped one. `budget` bounds what repeated cells expand to.
 *
 * @throws VigieError as `readOds`, naming the file.
 */
export async function* readFlatOds(
  bytes: AsyncIterable<Buffer>,
  o: { file: string; budget: ExpansionBudget; read: ReadOptions; notSpreadsheet: () => VigieError },
): AsyncGenerator<ReadEvent> {
  const maxRecordChars = o.read.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  yield* readContent(bytes, {
    file: o.file,
    part: undefined,
    budget: o.budget,
    batchSize: o.read.batchSize ?? DEFAULT_BATCH_SIZE,
    maxRecordChars,
    maxRun: maxRecordChars + 64 * 1024,
    notSpreadsheet: o.notSpreadsheet,
  });
}

async function whole(bytes: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const b of bytes) parts.push(b);
  return Buffer.concat(parts).toString('latin1');
}
