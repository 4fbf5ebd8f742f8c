/**
 * The workbook's small parts: package and workbook relationships, the sheet list, the cell
 * styles that are dates, and the shared-string table (held in one byte buffer, within a cap).
 */
import { posix } from 'node:path';
import { VigieError } from '../../errors.js';
import { builtinKind, type DateKind, formatKind, NOT_DATE } from './cells.js';
import { parseXml } from './xml.js';

/** Entries the small parts may list (sheets, relationships, styles): Excel allows 64,000 styles. */
const MAX_ITEMS = 65_536;

export interface PartReader {
  /** A member's bytes; undefined when the workbook has no such part. */
  open(path: string): AsyncIterable<Buffer> | undefined;
  file: string;
  maxRun: number;
}

async function parse(r: PartReader, path: string, h: Parameters<typeof parseXml>[1]): Promise<boolean> {
  const bytes = r.open(path);
  if (bytes === undefined) return false;
  for await (const _ of parseXml(bytes, h, { file: `${r.file}:${path}`, maxRun: r.maxRun })) void _;
  return true;
}

const noop = (): void => undefined;

/** Relationships of a part (`xl/_rels/workbook.xml.rels`): id → target path resolved in the package, type. */
export async function readRels(r: PartReader, ofPart: string): Promise<Map<string, { target: string; type: string }>> {
  const dir = posix.dirname(ofPart);
  const relsPath = posix.join(dir === '.' ? '' : dir, '_rels', `${posix.basename(ofPart)}.rels`);
  const rels = new Map<string, { target: string; type: string }>();
  await parse(r, relsPath, {
    open(name, a) {
      if (name !== 'Relationship' || rels.size >= MAX_ITEMS || a['TargetMode'] === 'External') return;
      const target = resolveTarget(dir, a['Target'] ?? '');
      if (a['Id'] !== undefined && target !== undefined) rels.set(a['Id'], { target, type: a['Type'] ?? '' });
    },
    close: noop,
    text: noop,
  });
  return rels;
}

/** A relationship target as a package path, or undefined when it leaves the package (`../../x`). */
function resolveTarget(baseDir: string, target: string): string | undefined {
  if (target === '') return undefined;
  const joined = target.startsWith('/') ? target.slice(1) : posix.join(baseDir === '.' ? '' : baseDir, target);
  const norm = posix.normalize(joined);
  if (norm.startsWith('../') || norm === '..' || norm.startsWith('/')) return undefined;
  return norm;
}

interface SheetRef {
  name: string;
  relId: string;
}

/** The sheets in workbook order, and the 1904 date system flag (`xl/workbook.xml`). */
export async function readWorkbook(r: PartReader, path: string): Promise<{ sheets: SheetRef[]; date1904: boolean }> {
  const sheets: SheetRef[] = [];
  let date1904 = false;
  const found = await parse(r, path, {
    open(name, a) {
      if (name === 'workbookPr') date1904 = a['date1904'] === '1' || a['date1904'] === 'true';
      else if (name === 'sheet' && sheets.length < MAX_ITEMS) {
        const relId = Object.entries(a).find(([k]) => k.endsWith(':id'))?.[1];
        if (relId !== undefined) sheets.push({ name: a['name'] ?? `sheet${sheets.length + 1}`, relId });
      }
    },
    close: noop,
    text: noop,
  });
  if (!found) throw new VigieError('VIGIE_BAD_FORMAT', `workbook part ${path} is missing`, { position: { file: r.file } });
  return { sheets, date1904 };
}

/** For each cell style (`cellXfs` index, a cell's `s`), whether its number format is a date or time. */
export async function readStyles(r: PartReader, path: string | undefined): Promise<DateKind[]> {
  const custom = new Map<number, DateKind>();
  const xfFormats: number[] = [];
  let inCellXfs = false;
  if (path !== undefined) {
    await parse(r, path, {
      open(name, a, selfClosing) {
        if (name === 'numFmt' && custom.size < MAX_ITEMS) custom.set(Number(a['numFmtId']), formatKind(a['formatCode'] ?? ''));
        else if (name === 'cellXfs') inCellXfs = !selfClosing;
        else if (name === 'xf' && inCellXfs && xfFormats.length < MAX_ITEMS) xfFormats.push(Number(a['numFmtId'] ?? 0));
      },
      close(name) {
        if (name === 'cellXfs') inCellXfs = false;
      },
      text: noop,
    });
  }
  return xfFormats.map((id) => custom.get(id) ?? (Number.isInteger(id) ? builtinKind(id) : NOT_DATE));
}

/** Default cap on the shared-string table's memory. */
export const MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024;

/**
 * The shared-string table as UTF-8 in one buffer with an offset per string: its memory is
 * exactly what is counted against the cap (JavaScript strings would keep hidden overheads,
 * and slices of saxes' chunks).
 */
export class SharedStrings {
  private buf = Buffer.alloc(64 * 1024);
  private used = 0;
  private ends = new Uint32Array(1024);
  count = 0;

  constructor(
    private readonly cap: number,
    private readonly where: string,
  ) {}

  /** Throws if a string of at least `chars` more characters would not fit (one still being read). */
  check(chars: number): void {
    if (this.used + chars + 4 * (this.count + 1) > this.cap) throw this.tooLarge();
  }

  private tooLarge(): VigieError {
    return new VigieError(
      'VIGIE_TOO_LARGE',
      `shared-string table larger than ${this.cap} bytes (${this.count} strings read): the workbook is too large to read safely`,
      { position: { file: this.where } },
    );
  }

  push(s: string): void {
    const need = Buffer.byteLength(s);
    if (this.used + need + 4 * (this.count + 1) > this.cap) throw this.tooLarge();
    if (this.used + need > this.buf.length) {
      const grown = Buffer.alloc(Math.min(Math.max(this.buf.length * 2, this.used + need), this.cap));
      this.buf.copy(grown, 0, 0, this.used);
      this.buf = grown;
    }
    this.buf.write(s, this.used);
    this.used += need;
    if (this.count === this.ends.length) {
      const grown = new Uint32Array(this.ends.length * 2);
      grown.set(this.ends);
      this.ends = grown;
    }
    this.ends[this.count++] = this.used;
  }

  get(i: number): string {
    if (!(i >= 0 && i < this.count)) return '';
    const start = i === 0 ? 0 : (this.ends[i - 1] as number);
    return this.buf.toString('utf8', start, this.ends[i]);
  }
}

/** Reads `xl/sharedStrings.xml`: each `<si>`'s text, rich-text runs joined, phonetic runs (`rPh`) left out. */
export async function readSharedStrings(r: PartReader, path: string | undefined, cap: number): Promise<SharedStrings> {
  const sst = new SharedStrings(cap, `${r.file}:${path ?? 'xl/sharedStrings.xml'}`);
  if (path === undefined) return sst;
  let inSi = false;
  let inT = false;
  let inPhonetic = false;
  let parts: string[] = [];
  let chars = 0;
  await parse(r, path, {
    open(name, _a, selfClosing) {
      if (name === 'si') {
        inSi = true;
        parts = [];
        chars = 0;
        if (selfClosing) {
          sst.push('');
          inSi = false;
        }
      } else if (name === 'rPh') inPhonetic = !selfClosing;
      else if (name === 't' && inSi && !inPhonetic) inT = !selfClosing;
    },
    close(name) {
      if (name === 't') inT = false;
      else if (name === 'rPh') inPhonetic = false;
      else if (name === 'si' && inSi) {
        inSi = false;
        sst.push(parts.join(''));
        parts = [];
      }
    },
    text(t) {
      if (!inT) return;
      // One string of gigabytes is refused while it is read, not once it is whole.
      chars += t.length;
      sst.check(chars);
      parts.push(t);
    },
  });
  return sst;
}
