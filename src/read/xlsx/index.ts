/**
 * The door of `read/xlsx/`: an Excel workbook (Office Open XML, ECMA-376) read as tables,
 * one per worksheet, streaming (ADR 0005). The zip is opened for random access within the
 * source's expansion budget (`archive/`); the shared strings and styles are read first, then
 * each sheet in workbook order. Nothing is written to disk; part names come from the
 * workbook's relationships and are resolved inside the package only.
 */
import { type ExpansionBudget, openZipIndex, type ZipSource } from '../archive/index.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_RECORD_CHARS } from '../limits.js';
import type { ReadEvent, ReadOptions } from '../types.js';
import { MAX_SHARED_STRINGS_BYTES, type PartReader, readRels, readSharedStrings, readStyles, readWorkbook } from './parts.js';
import { readSheet } from './sheet.js';

export { MAX_SHARED_STRINGS_BYTES } from './parts.js';
export { XmlScanner } from './scan.js';
export { parseXml, type XmlHandlers } from './xml.js';
export { builtinKind, type DateKind, formatKind, NOT_DATE, numberText, serialText } from './cells.js';

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/';
const STRICT_REL = 'http://purl.oclc.org/ooxml/officeDocument/relationships/';

interface XlsxOptions {
  /** The workbook's name in messages and tables (`book.xlsx`, `archive.zip:book.xlsx`). */
  file: string;
  budget: ExpansionBudget;
  read: ReadOptions;
  onRaw?: (n: number) => void;
  /** Cap on the shared-string table's memory. Default `MAX_SHARED_STRINGS_BYTES` (64 MiB). */
  maxSharedStringsBytes?: number;
}

/**
 * Yields one table per worksheet, named `file:sheet name`, format `xlsx`. Cells are text as
 * a person sees it (`cells.ts`); a row longer than `maxRecordChars` or past `MAX_COLUMNS` is
 * a `skip`. Chart sheets and sheets whose part is missing are `skip`s too.
 *
 * @throws VigieError `VIGIE_TOO_LARGE` (shared strings past the cap, an XML text or tag past
 * the record limit), `VIGIE_BAD_FORMAT` (malformed XML, no workbook part), and the archive's
 * errors (`VIGIE_UNSAFE_ARCHIVE` for bombs).
 */
export async function* readXlsx(src: ZipSource, o: XlsxOptions): AsyncGenerator<ReadEvent> {
  const zip = await openZipIndex(src, { file: o.file, budget: o.budget, ...(o.onRaw ? { onRaw: o.onRaw } : {}) });
  try {
    const maxRecordChars = o.read.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
    const r: PartReader = {
      file: o.file,
      // A text node or tag may be as long as a record, plus room for markup.
      maxRun: maxRecordChars + 64 * 1024,
      open: (path) => (zip.names.has(path) ? zip.read(path) : undefined),
    };
    const pkg = await readRels(r, '');
    const officeDoc = [...pkg.values()].find((x) => isRel(x.type, 'officeDocument'))?.target ?? 'xl/workbook.xml';
    const { sheets, date1904 } = await readWorkbook(r, officeDoc);
    const rels = await readRels(r, officeDoc);
    const target = (kind: string): string | undefined => [...rels.values()].find((x) => isRel(x.type, kind))?.target;
    const styles = await readStyles(r, target('styles'));
    const sst = await readSharedStrings(r, target('sharedStrings'), o.maxSharedStringsBytes ?? MAX_SHARED_STRINGS_BYTES);
    for (const sheet of sheets) {
      const name = `${o.file}:${printable(sheet.name)}`;
      const rel = rels.get(sheet.relId);
      if (rel === undefined || !isRel(rel.type, 'worksheet')) {
        yield { kind: 'skip', reason: rel === undefined ? 'missing sheet' : 'not a worksheet', position: { file: name } };
        continue;
      }
      if (!zip.names.has(rel.target)) {
        yield { kind: 'skip', reason: 'missing sheet', position: { file: name } };
        continue;
      }
      yield* readSheet(zip.read(rel.target), {
        name,
        part: rel.target,
        file: o.file,
        sst,
        styles,
        date1904,
        batchSize: o.read.batchSize ?? DEFAULT_BATCH_SIZE,
        maxRecordChars,
        maxRun: r.maxRun,
      });
    }
  } finally {
    zip.close();
  }
}

function isRel(type: string, kind: string): boolean {
  return type === REL + kind || type === STRICT_REL + kind;
}

/** A sheet name safe to print: control characters (terminal escapes) become `?`. */
export function printable(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this replaces
  return name.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '?');
}
