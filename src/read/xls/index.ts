/**
 * The door of `read/xls/`: an Excel 97-2003 workbook (`.xls`: BIFF8, and Excel 95's BIFF5)
 * read as tables, one per worksheet, as the xlsx reader reads the same workbook saved as
 * `.xlsx`. The file is an OLE compound file (`cfb.ts`) held in memory within a cap; its
 * `Workbook` (BIFF8) or `Book` (BIFF5) stream is a sequence of BIFF records (`biff.ts`): the
 * workbook globals (`globals.ts`), then each sheet's substream at the offset its BOUNDSHEET
 * record gives (`sheet.ts`). Other OLE files (Word, encrypted Office Open XML) are refused
 * with what to do.
 */
import { VigieError } from '../../errors.js';
import { heldWhole } from '../file-bytes.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_RECORD_CHARS } from '../limits.js';
import type { ReadEvent, ReadOptions } from '../types.js';
import { MAX_SHARED_STRINGS_BYTES, printable } from '../xlsx/index.js';
import { openCompoundFile } from './cfb.js';
import { readGlobals } from './globals.js';
import { readSheetStream } from './sheet.js';

/**
 * Largest `.xls` file held in memory. Excel 97-2003 caps a sheet at 65,536 rows of 256
 * columns; real workbooks stay far below this.
 */
const MAX_XLS_BYTES = 256 * 1024 * 1024;

interface XlsOptions {
  /** The workbook's name in messages and tables (`book.xls`, `archive.zip:book.xls`). */
  file: string;
  read: ReadOptions;
  /** Cap on the file's size. Default `MAX_XLS_BYTES`. */
  maxBytes?: number;
}

/**
 * Yields one table per worksheet, named `file:sheet name`, format `xls`, hidden sheets
 * included (`meta.hidden`); chart, macro and VBA sheets are `skip`s, an empty sheet yields
 * nothing, as in the xlsx reader.
 *
 * @throws VigieError `VIGIE_TOO_LARGE` past `maxBytes` or the shared strings' cap,
 * `VIGIE_BAD_FORMAT` for an encrypted workbook (FILEPASS), an OLE file that holds no
 * workbook (a Word document, an encrypted .xlsx), and any damaged structure, with the byte
 * in the Workbook stream where it breaks.
 */
export async function* readXls(bytes: AsyncIterable<Buffer>, o: XlsOptions): AsyncGenerator<ReadEvent> {
  const file = o.file;
  const buf = await heldWhole(
    bytes,
    file,
    o.maxBytes ?? MAX_XLS_BYTES,
    `Excel 97-2003 workbook larger than ${o.maxBytes ?? MAX_XLS_BYTES} bytes: save it as .xlsx or CSV and ingest that`,
  );
  const cfb = openCompoundFile(buf, file);
  const streamName = cfb.names.has('WORKBOOK') ? 'Workbook' : cfb.names.has('BOOK') ? 'Book' : undefined;
  if (streamName === undefined) throw notWorkbook(cfb.names, file);
  const data = cfb.stream(streamName);
  if (data === undefined) throw notWorkbook(cfb.names, file);
  const bad = (what: string, byte: number): VigieError =>
    new VigieError('VIGIE_BAD_FORMAT', `damaged Excel 97-2003 workbook: ${what} (byte ${byte} of the ${streamName} stream)`, {
      position: { file, byte },
    });
  const g = readGlobals(data, bad, file, MAX_SHARED_STRINGS_BYTES);
  const read = o.read;
  const spent = { bytes: 0 };
  for (const s of g.sheets) {
    const name = `${file}:${printable(s.name)}`;
    if (s.dt !== 0) {
      yield { kind: 'skip', reason: 'not a worksheet', position: { file: name } };
      continue;
    }
    if (s.offset >= data.length) throw bad(`sheet ${printable(s.name)} starts at byte ${s.offset}, outside the stream`, s.offset);
    const sheetBad = (what: string, byte: number): VigieError =>
      new VigieError('VIGIE_BAD_FORMAT', `damaged Excel 97-2003 workbook: ${what} (byte ${byte} of the ${streamName} stream)`, {
        position: { file: name, byte },
      });
    yield* readSheetStream(data, s.offset, {
      name,
      sheet: printable(s.name),
      hidden: s.hidden,
      g,
      batchSize: read.batchSize ?? DEFAULT_BATCH_SIZE,
      maxRecordChars: read.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS,
      bad: sheetBad,
      spent,
    });
  }
}

/** An OLE file without a workbook stream: say what it is when its streams tell. */
function notWorkbook(names: ReadonlySet<string>, file: string): VigieError {
  let what = 'an OLE compound file that holds no Excel workbook stream: not a supported format';
  // [MS-OFFCRYPTO] §2.3.4.4: an encrypted Office Open XML file is an OLE file with an EncryptedPackage stream.
  if (names.has('ENCRYPTEDPACKAGE'))
    what = 'an Office file saved with a password (an encrypted .xlsx or .docx), not read: open it and save it again without a password, then ingest that';
  else if (names.has('WORDDOCUMENT')) what = 'a Word 97-2003 document (.doc), not a data export: save its tables as CSV and ingest those';
  else if (names.has('POWERPOINT DOCUMENT')) what = 'a PowerPoint 97-2003 presentation, not a data export';
  else if (names.has('__PROPERTIES_VERSION1.0')) what = 'an Outlook message (.msg), not a data export: save its attachments and ingest those';
  return new VigieError('VIGIE_BAD_FORMAT', what, { position: { file } });
}
