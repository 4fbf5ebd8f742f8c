/**
 * The workbook globals substream ([MS-XLS] §2.1.7.20.1, BIFF8; BIFF5 as `[MS-XLS]`'s
 * predecessor, Excel 95, writes it): sheets (BOUNDSHEET8), the shared strings (SST with its
 * CONTINUE records), the number formats (FORMAT) and cell formats (XF) that tell a date, the
 * date system (DATEMODE) and the 8-bit code page (CODEPAGE). FILEPASS means encrypted.
 */
import iconv from 'iconv-lite';
import { VigieError } from '../../errors.js';
import { builtinKind, type DateKind, formatKind } from '../xlsx/index.js';
import { type BiffRecord, Cursor, Records } from './biff.js';

const BOF = 0x0809;
const EOF = 0x000a;
const FILEPASS = 0x002f;
const CODEPAGE = 0x0042;
const DATEMODE = 0x0022;
const FORMAT = 0x041e;
const XF = 0x00e0;
const BOUNDSHEET = 0x0085;
const SST = 0x00fc;

/** A sheet as BOUNDSHEET8 lists it (§2.4.28). */
interface SheetRef {
  name: string;
  /** Offset of the sheet's BOF in the stream. */
  offset: number;
  /** 0 worksheet or dialog, 1 macro sheet, 2 chart, 6 VBA module. */
  dt: number;
  hidden: boolean;
}

export interface Globals {
  biff: 5 | 8;
  sheets: SheetRef[];
  sst: string[];
  /** Per XF index: whether its number format shows a date or time. */
  xfKinds: DateKind[];
  date1904: boolean;
  /** 8-bit text (BIFF5) in the workbook's code page. */
  decode8: (b: Buffer) => string;
}

/** Reads the globals from the stream's start, up to their EOF. */
export function readGlobals(data: Buffer, bad: (what: string, byte: number) => VigieError, file: string, maxSstBytes: number): Globals {
  const records = new Records(data, bad);
  const bof = records.next();
  if (bof === undefined || bof.type !== BOF || bof.end - bof.start < 4) {
    const what = bof === undefined ? 'nothing' : `record 0x${bof.type.toString(16)}`;
    throw bad(`the Workbook stream starts with ${what}, not a BIFF5/BIFF8 BOF record (older Excel 2-4 files are not read: save as .xlsx)`, 0);
  }
  const vers = data.readUInt16LE(bof.start);
  const dt = data.readUInt16LE(bof.start + 2);
  if ((vers !== 0x0600 && vers !== 0x0500) || dt !== 0x0005)
    throw bad(`BOF of version 0x${vers.toString(16)}, type 0x${dt.toString(16)}: not BIFF5/BIFF8 workbook globals`, 0);
  const biff: 5 | 8 = vers === 0x0600 ? 8 : 5;
  let codepage = 1252;
  let date1904 = false;
  const names: { raw: Buffer | string; offset: number; dt: number; hidden: boolean }[] = [];
  const formats = new Map<number, string>();
  const xfFormats: number[] = [];
  let sst: string[] = [];
  for (;;) {
    const r = records.next();
    if (r === undefined) throw bad('the workbook globals end without their EOF record', data.length);
    const len = r.end - r.start;
    switch (r.type) {
      case EOF:
        break;
      case FILEPASS:
        throw new VigieError(
          'VIGIE_BAD_FORMAT',
          'this Excel 97-2003 workbook is encrypted (saved with a password to open), not read: open it and save it again without a password, then ingest that',
          { position: { file } },
        );
      case CODEPAGE:
        if (len >= 2) codepage = data.readUInt16LE(r.start);
        continue;
      case DATEMODE:
        if (len >= 2) date1904 = data.readUInt16LE(r.start) === 1;
        continue;
      case XF:
        if (len >= 4) xfFormats.push(data.readUInt16LE(r.start + 2));
        continue;
      case FORMAT: {
        const c = new Cursor(data, [r], bad);
        const id = c.u16();
        // Only letters outside quotes and brackets matter to tell a date: 8-bit text read as Latin-1 is enough.
        const code = biff === 8 ? unicodeString(c, 2) : c.bytes(c.u8()).toString('latin1');
        formats.set(id, code);
        continue;
      }
      case BOUNDSHEET: {
        const c = new Cursor(data, [r], bad);
        const offset = c.u32();
        const state = c.u8();
        const kind = c.u8();
        const raw = biff === 8 ? unicodeString(c, 1) : c.bytes(c.u8());
        names.push({ raw, offset, dt: kind, hidden: (state & 3) !== 0 });
        continue;
      }
      case SST:
        sst = readSst(data, records.withContinues(r), bad, maxSstBytes, file);
        continue;
      default:
        continue;
    }
    break;
  }
  const decode8 = codepageDecoder(codepage);
  const sheets = names.map((n) => ({ name: typeof n.raw === 'string' ? n.raw : decode8(n.raw), offset: n.offset, dt: n.dt, hidden: n.hidden }));
  const custom = new Map([...formats].map(([id, code]) => [id, formatKind(code)]));
  const xfKinds = xfFormats.map((id) => custom.get(id) ?? builtinKind(id));
  return { biff, sheets, sst, xfKinds, date1904, decode8 };
}

/**
 * An XLUnicodeString (§2.5.294) or ShortXLUnicodeString (§2.5.240): a count of `countBytes`
 * bytes, a flags byte (bit 0: 16-bit characters), the characters.
 */
export function unicodeString(c: Cursor, countBytes: 1 | 2): string {
  const cch = countBytes === 1 ? c.u8() : c.u16();
  const flags = c.u8();
  return c.chars(cch, (flags & 1) === 1);
}

/**
 * The shared strings (§2.4.265 SST): XLUnicodeRichExtendedString after string (§2.5.293),
 * whose rich-text runs (4 bytes each) and phonetic block (ExtRst, its size given) follow the
 * characters and are skipped, across CONTINUE records as the characters are.
 */
function readSst(data: Buffer, frags: BiffRecord[], bad: (what: string, byte: number) => VigieError, maxBytes: number, file: string): string[] {
  const c = new Cursor(data, frags, bad);
  const at = (frags[0] as BiffRecord).at;
  if (c.remaining() < 8) throw bad('a shared-string table (SST) shorter than its counts', at);
  c.u32();
  const unique = c.u32();
  // Each string takes 3 bytes at least: a count of 2^31 strings in a few kilobytes is a lie,
  // refused before anything is held for it.
  if (unique > c.remaining() / 3) throw bad(`the shared-string table (SST) declares ${unique} strings in ${c.remaining()} bytes`, at);
  const out: string[] = [];
  let held = 0;
  for (let i = 0; i < unique; i++) {
    const cch = c.u16();
    const flags = c.u8();
    const runs = (flags & 0x08) !== 0 ? c.u16() : 0;
    const ext = (flags & 0x04) !== 0 ? c.u32() : 0;
    const s = c.chars(cch, (flags & 1) === 1);
    c.skip(runs * 4);
    if (ext > data.length) throw bad(`a shared string's phonetic block declares ${ext} bytes`, c.at);
    c.skip(ext);
    held += s.length * 2;
    if (held > maxBytes) {
      throw new VigieError('VIGIE_TOO_LARGE', `the shared-string table holds more than ${maxBytes} bytes of text`, { position: { file, byte: at } });
    }
    out.push(s);
  }
  return out;
}

/** CODEPAGE values (§2.4.52) to iconv-lite's names; 1200 is UTF-16, which BIFF8 strings state themselves. */
function codepageDecoder(cp: number): (b: Buffer) => string {
  const name = cp === 367 ? 'ascii' : cp === 10000 || cp === 32768 ? 'macintosh' : cp === 32769 || cp === 1200 ? 'cp1252' : `cp${cp}`;
  const enc = iconv.encodingExists(name) ? name : 'cp1252';
  return (b) => iconv.decode(b, enc);
}
