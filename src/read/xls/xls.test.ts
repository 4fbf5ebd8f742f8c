/**
 * Excel 97-2003 workbooks made by LibreOffice now (Debian's libreoffice-calc-nogui, 7.4 here)
 * from an openpyxl workbook and from a CSV of generated people, compared with the same
 * workbook saved as .xlsx and read by the xlsx reader, and with the generator's ground truth;
 * then damaged and hostile files built record by record (test-helpers/cfb.ts), and BIFF5,
 * which LibreOffice no longer writes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { VigieError } from '../../errors.js';
import { writeDataset } from '../../gen/index.js';
import { ingest } from '../../ingest/index.js';
import { makeZip } from '../archive/test-helpers/zip.js';
import { Records } from './biff.js';
import { openCompoundFile } from './cfb.js';
import { compoundFile, filler, rec } from './test-helpers/cfb.js';
import { failure, read, tables } from '../test-helpers/events.js';

const PYTHON = '/usr/bin/python3';
const BOOK = fileURLToPath(new URL('./test-helpers/book.py', import.meta.url));
const TYPED_XLS = fileURLToPath(new URL('../ods/fixtures/typed.xls', import.meta.url));
const hasSoffice = spawnSync('soffice', ['--version'], { stdio: 'ignore' }).status === 0;
const hasOpenpyxl = spawnSync(PYTHON, ['-c', 'import openpyxl'], { stdio: 'ignore' }).status === 0;
const ci = process.env['CI'] !== undefined && process.env['CI'] !== '';

const dir = mkdtempSync(join(tmpdir(), 'vigie-xls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** LibreOffice, headless, with a profile of its own in the test's directory. */
function soffice(args: string[]): void {
  execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${join(dir, 'profile')}`, ...args], { stdio: 'ignore', timeout: 120_000 });
}

/** The workbook stream's records of one type, with their data. */
function records(xls: string, type: number): Buffer[] {
  const data = openCompoundFile(readFileSync(xls), xls).stream('Workbook') as Buffer;
  const r = new Records(data, (what) => new VigieError('VIGIE_BAD_FORMAT', what));
  const out: Buffer[] = [];
  for (let x = r.next(); x !== undefined; x = r.next()) if (x.type === type) out.push(data.subarray(x.start, x.end));
  return out;
}

/** typed workbook → LibreOffice .xls → LibreOffice .xlsx of that .xls: both from one document. */
function typedBook(tag: string, ...pyArgs: string[]): { xls: string; xlsx: string } {
  const src = join(dir, `${tag}.xlsx`);
  execFileSync(PYTHON, [BOOK, src, ...pyArgs]);
  soffice(['--convert-to', 'xls', '--outdir', join(dir, 'xls'), src]);
  const xls = join(dir, 'xls', `${tag}.xls`);
  soffice(['--convert-to', 'xlsx', '--outdir', join(dir, 'back'), xls]);
  return { xls, xlsx: join(dir, 'back', `${tag}.xlsx`) };
}

describe('Excel 97-2003 workbooks saved by LibreOffice', () => {
  it.runIf(!hasSoffice && ci)('needs LibreOffice on CI (apt-get install -y --no-install-recommends libreoffice-calc-nogui)', () => {
    throw new Error('soffice not found: install libreoffice-calc-nogui');
  });

  it.skipIf(!hasSoffice || !hasOpenpyxl)(
    'reads typed cells, formulas, hidden and second sheets as the xlsx reader reads the same workbook as .xlsx',
    async () => {
      const { xls, xlsx } = typedBook('typed');
      const events = await read(xls);
      const got = tables(events);
      expect(got).toEqual(tables(await read(xlsx)));
      // The empty sheet yields nothing, as in the xlsx reader; the hidden one is read and says so.
      expect(Object.keys(got)).toEqual(['Clients', 'Caché', 'Deux']);
      const heads = events.filter((e) => e.kind === 'table');
      expect(heads.map((e) => [e.format, e.meta['hidden']])).toEqual([
        ['xls', undefined],
        ['xls', 'true'],
        ['xls', undefined],
      ]);
      expect(got['Clients']?.slice(1)).toEqual([
        ['Dupont', 'Éloïse', 'eloise.dupont@exemple.fr', '612345678', '1985-03-12', '1234.5', 'TRUE', '2469', 'Dupont Éloïse', 'FALSE'],
        ['Œuvre', 'Zoë', '', '+33 6 12 34 56 78', '2024-03-05T14:30:00', '0.1', 'FALSE', '#DIV/0!', 'Zoë Œuvre', 'TRUE'],
        ['Straße', 'Jürgen', 'j.strasse@exemple.de', '698765432', '1956-06-17', '-12.75', '', '-25.5', 'Straße Jürgen', 'TRUE'],
      ]);
      expect(got['Deux']).toEqual([
        ['code', 'ville'],
        ['1000', 'Bourg-en-Bresse'],
        ['75001', 'Paris'],
      ]);

      // The 1904 date system (DATEMODE 1, as a Mac Excel workbook): the same dates.
      const mac = typedBook('mac', '1904');
      expect(records(mac.xls, 0x0022).map((b) => b.readUInt16LE(0))).toEqual([1]);
      expect(tables(await read(mac.xls))).toEqual(got);
      expect(tables(await read(mac.xlsx))).toEqual(got);

      // Inside a zip, as leaks travel.
      const zip = join(dir, 'typed.zip');
      writeFileSync(zip, await makeZip([{ name: 'clients.xls', data: readFileSync(xls) }]));
      expect(tables(await read(zip))).toEqual(got);
    },
    180_000,
  );

  it.skipIf(!hasSoffice || !hasOpenpyxl)(
    'refuses a workbook LibreOffice saved with a password (FILEPASS) with what to do',
    async () => {
      const src = join(dir, 'secret-src.xlsx');
      execFileSync(PYTHON, [BOOK, src]);
      // Calc's "Save with password" for Excel 97: storeToURL with a Password, from a Basic macro.
      const basic = join(dir, 'profile', 'user', 'basic', 'Standard');
      soffice(['--terminate_after_init']);
      mkdirSync(basic, { recursive: true });
      writeFileSync(join(basic, 'Module1.xba'), MACRO);
      const out = join(dir, 'secret.xls');
      soffice([`macro:///Standard.Module1.Encrypt("${src}","${out}","secret")`]);
      expect(records(out, 0x002f)).toHaveLength(1);
      const err = await failure(read(out));
      expect(err.code).toBe('VIGIE_BAD_FORMAT');
      expect(err.message).toBe(
        `${out}: this Excel 97-2003 workbook is encrypted (saved with a password to open), not read: open it and save it again without a password, then ingest that`,
      );
    },
    180_000,
  );

  it.skipIf(!hasSoffice)(
    'ingests 3,000 generated people with the ground truth, shared strings spanning CONTINUE records, the same report as .xlsx',
    async () => {
      const csv = join(dir, 'clients.csv');
      const truth = await writeDataset({ out: csv, rows: 3000, seed: 43, format: 'csv', columns: 'standard' });
      // A French CSV (`;`, UTF-8, fr-FR): dates become dates, digit-only values numbers.
      for (const fmt of ['xls', 'xlsx']) soffice(['--infilter=CSV:59,34,76,1,,1036', '--convert-to', fmt, '--outdir', join(dir, 'csv'), csv]);
      const xls = join(dir, 'csv', 'clients.xls');
      const xlsx = join(dir, 'csv', 'clients.xlsx');
      // The shared strings really are split: an SST record holds 8,224 bytes at most.
      expect(records(xls, 0x00fc)).toHaveLength(1);
      expect(records(xls, 0x003c).length).toBeGreaterThan(20);
      const rows = tables(await read(xls));
      expect(rows).toEqual(tables(await read(xlsx)));
      const chars = (rows['clients'] ?? []).flat().reduce((n, c) => n + (c?.length ?? 0), 0);
      expect(chars).toBeGreaterThan(65_536);

      const a = await ingest({ files: [xls], breach: { name: 'X' }, dryRun: true, workers: 0 });
      const b = await ingest({ files: [xlsx], breach: { name: 'X' }, dryRun: true, workers: 0 });
      expect(a.tables).toMatchObject([{ name: `${xls}:clients`, format: 'xls', records: truth.rows, skipped: 0 }]);
      expect(a.dataClasses).toEqual(b.dataClasses);
      expect(a.tables[0]?.columns.map((c) => [c.name, c.dataClass])).toEqual(b.tables[0]?.columns.map((c) => [c.name, c.dataClass]));
      for (const cls of ['Email addresses', 'Names']) {
        expect(a.dataClasses[cls], cls).toEqual(expect.objectContaining({ valid: truth.dataClasses[cls]?.valid, distinct: truth.dataClasses[cls]?.distinct }));
      }
      expect(a.dataClasses['Dates of birth']?.valid).toBe(truth.dataClasses['Dates of birth']?.valid);
    },
    180_000,
  );
});

const MACRO = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Encrypt(src As String, dst As String, pw As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(src), &quot;_blank&quot;, 0, args())
  Dim out(2) As New com.sun.star.beans.PropertyValue
  out(0).Name = &quot;FilterName&quot;
  out(0).Value = &quot;MS Excel 97&quot;
  out(1).Name = &quot;Password&quot;
  out(1).Value = pw
  out(2).Name = &quot;Overwrite&quot;
  out(2).Value = True
  doc.storeToURL(ConvertToURL(dst), out())
  doc.close(True)
End Sub
</script:module>
`;

// Records built by hand: BIFF8 unless said.
const bof = (dt: number, vers = 0x0600): Buffer => {
  const b = Buffer.alloc(16);
  b.writeUInt16LE(vers, 0);
  b.writeUInt16LE(dt, 2);
  return rec(0x0809, b);
};
const EOF = rec(0x000a);
const u16 = (n: number): number[] => [n & 0xff, n >> 8];
const u32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
const number = (rw: number, col: number, v: number): Buffer => {
  const b = Buffer.alloc(14);
  b.writeUInt16LE(rw, 0);
  b.writeUInt16LE(col, 2);
  b.writeDoubleLE(v, 6);
  return rec(0x0203, b);
};

/** A workbook stream: globals (padded past the mini-stream cutoff), BOUNDSHEETs pointing at each sheet's substream. */
function workbook(o: { globals?: Buffer[]; sheets: { name: string; body: Buffer[]; offset?: number }[]; biff?: 5 | 8 }): Buffer {
  const biff = o.biff ?? 8;
  const name = (s: string): number[] => {
    if (biff === 8) return [s.length, 1, ...Buffer.from(s, 'utf16le')];
    const bytes = iconv.encode(s, 'cp1252');
    return [bytes.length, ...bytes];
  };
  const sheet = (offset: number, s: string): Buffer => rec(0x0085, [...u32(offset), 0, 0, ...name(s)]);
  const vers = biff === 8 ? 0x0600 : 0x0500;
  const head = Buffer.concat([bof(5, vers), filler(4096), ...(o.globals ?? [])]);
  const sheetsLen = o.sheets.reduce((n, s) => n + sheet(0, s.name).length, 0);
  let offset = head.length + sheetsLen + EOF.length;
  const bodies = o.sheets.map((s) => Buffer.concat([bof(0x10, vers), ...s.body, EOF]));
  const refs = o.sheets.map((s, i) => {
    const r = sheet(s.offset ?? offset, s.name);
    offset += (bodies[i] as Buffer).length;
    return r;
  });
  return Buffer.concat([head, ...refs, EOF, ...bodies]);
}

function xlsFile(stream: Buffer, streamName = 'Workbook'): string {
  const file = join(dir, `built-${Math.random().toString(36).slice(2)}.xls`);
  writeFileSync(file, compoundFile([{ name: streamName, data: stream }]));
  return file;
}

describe('Excel 97-2003 workbooks built record by record', () => {
  it('reads a BIFF5 (Excel 95) Book stream, its 8-bit text in the CODEPAGE it states', async () => {
    const label = (rw: number, col: number, s: string): Buffer => {
      const bytes = iconv.encode(s, 'cp1252');
      return rec(0x0204, [...u16(rw), ...u16(col), 0, 0, ...u16(bytes.length), ...bytes]);
    };
    const stream = workbook({
      biff: 5,
      globals: [rec(0x0042, u16(1252))],
      sheets: [{ name: 'Clients é', body: [label(0, 0, 'prénom'), label(0, 1, 'code'), label(1, 0, 'Gwenaëlle – Œuvre'), number(1, 1, 29200)] }],
    });
    const file = xlsFile(stream, 'Book');
    expect(tables(await read(file))).toEqual({
      'Clients é': [
        ['prénom', 'code'],
        ['Gwenaëlle – Œuvre', '29200'],
      ],
    });
  });

  it('reads shared strings whose characters, rich-text runs and phonetic blocks are split across CONTINUE records', async () => {
    // String 1: 10 compressed characters, 4 of them in the SST record, the rest after a CONTINUE's flags byte
    // (now 16-bit); string 2: rich text (2 runs) and a phonetic block of 6 bytes, split inside the runs and the block;
    // string 3 is read right only if those were skipped right.
    const sst = rec(0x00fc, [...u32(3), ...u32(3), ...u16(11), 0x00, ...Buffer.from('Dupo', 'latin1')]);
    const c1 = rec(0x003c, [0x01, ...Buffer.from('nt Éloï', 'utf16le'), ...u16(3), 0x0c, ...u16(2), ...u32(6), ...Buffer.from('Zoë', 'latin1'), 1, 0, 0, 0, 2]);
    const c2 = rec(0x003c, [0, 0, 0, 9, 9, 9, 9, 9]);
    const c3 = rec(0x003c, [9, ...u16(2), 0x00, ...Buffer.from('Ok', 'latin1')]);
    const labelsst = (rw: number, col: number, i: number): Buffer => rec(0x00fd, [...u16(rw), ...u16(col), 0, 0, ...u32(i)]);
    const stream = workbook({ globals: [sst, c1, c2, c3], sheets: [{ name: 'S', body: [labelsst(0, 0, 0), labelsst(0, 1, 1), labelsst(0, 2, 2)] }] });
    expect(tables(await read(xlsFile(stream)))).toEqual({ S: [['Dupont Éloï', 'Zoë', 'Ok']] });
  });

  it('refuses a truncated file, naming it and where the structure breaks', async () => {
    const file = join(dir, 'cut.xls');
    writeFileSync(file, readFileSync(TYPED_XLS).subarray(0, 5000));
    const err = await failure(read(file));
    expect(err.code).toBe('VIGIE_BAD_FORMAT');
    expect(err.message).toMatch(new RegExp(`^${file}, byte \\d+: damaged OLE compound file \\(Excel 97-2003 \\.xls\\): .*past the end of the file`));
  });

  it('refuses a record whose length runs past the stream end', async () => {
    const stream = Buffer.concat([bof(5), filler(4100), Buffer.from([0xfc, 0x00, 0x40, 0x1f]), Buffer.alloc(10)]);
    const file = xlsFile(stream);
    const err = await failure(read(file));
    expect(err.code).toBe('VIGIE_BAD_FORMAT');
    expect(err.message).toBe(
      `${file}, byte 4124: damaged Excel 97-2003 workbook: record 0x00fc declares 8000 bytes, past the end of the 4138-byte stream (byte 4124 of the Workbook stream)`,
    );
  });

  it('refuses a shared-string count of 2^31 before holding anything for it', async () => {
    const sst = rec(0x00fc, [...u32(0x80000000), ...u32(0x80000000), ...u16(1), 0, 0x61]);
    const err = await failure(read(xlsFile(workbook({ globals: [sst], sheets: [] }))));
    expect(err.code).toBe('VIGIE_BAD_FORMAT');
    expect(err.message).toMatch(/byte 4120: damaged Excel 97-2003 workbook: the shared-string table \(SST\) declares 2147483648 strings in 4 bytes/);
  });

  it('refuses a string whose CONTINUE records run on to the end of the stream', async () => {
    // One string of 60,000 16-bit characters; 200 CONTINUE records carry 150 each, and no EOF comes.
    const parts = [bof(5), filler(4096), rec(0x00fc, [...u32(1), ...u32(1), ...u16(60000), 0x01])];
    for (let i = 0; i < 200; i++) parts.push(rec(0x003c, [0x01, ...Buffer.alloc(300, 0x41)]));
    const started = Date.now();
    const err = await failure(read(xlsFile(Buffer.concat(parts))));
    expect(err.code).toBe('VIGIE_BAD_FORMAT');
    expect(err.message).toMatch(/damaged Excel 97-2003 workbook: a string or count runs past the end of its record/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses a sheet whose offset is outside the stream, naming the sheet', async () => {
    const file = xlsFile(workbook({ sheets: [{ name: 'Clients', body: [number(0, 0, 1)], offset: 0x7fffffff }] }));
    const err = await failure(read(file));
    expect(err.code).toBe('VIGIE_BAD_FORMAT');
    expect(err.message).toMatch(/byte 2147483647: damaged Excel 97-2003 workbook: sheet Clients starts at byte 2147483647, outside the stream/);
  });

  it('refuses sheets that point into one another, each a new pass over the same records', async () => {
    const body = Array.from({ length: 50 }, (_, i) => number(i, 0, i));
    const stream = workbook({ sheets: [{ name: 'A', body }] });
    // Forty more BOUNDSHEETs at A's offset: read once each, they would cost forty times the sheet.
    const at = stream.indexOf(Buffer.from([0x85, 0x00]));
    const ref = stream.subarray(at, at + 4 + stream.readUInt16LE(at + 2));
    const forged = Buffer.concat([stream.subarray(0, at), ...Array.from({ length: 40 }, () => ref), stream.subarray(at)]);
    const shift = 40 * ref.length;
    for (let i = 0; i <= 40; i++) forged.writeUInt32LE(forged.readUInt32LE(at + i * ref.length + 4) + shift, at + i * ref.length + 4);
    const err = await failure(read(xlsFile(forged)));
    expect(err.code).toBe('VIGIE_BAD_FORMAT');
    expect(err.message).toMatch(/sheet A overlaps another: the sheets' records add up past the stream's length/);
  });

  it('reads a cyclic FAT chain (which runs SheetJS cfb out of memory) within bounds: a clear refusal', async () => {
    // typed.xls: its Workbook stream is sectors 2..10; the last now links back to 3, and the stream starts at 3.
    const b = Buffer.from(readFileSync(TYPED_XLS));
    const fat = (b.readUInt32LE(0x4c) + 1) * 512;
    expect(b.readUInt32LE(fat + 4 * 10)).toBe(0xfffffffe);
    b.writeUInt32LE(3, fat + 4 * 10);
    const dirEntry = (b.readUInt32LE(0x30) + 1) * 512 + 128;
    expect(b.toString('utf16le', dirEntry, dirEntry + 16)).toBe('Workbook');
    b.writeUInt32LE(3, dirEntry + 0x74);
    const file = join(dir, 'cycle.xls');
    writeFileSync(file, b);
    const err = await failure(read(file));
    expect(err.code).toBe('VIGIE_BAD_FORMAT');
    expect(err.message).toMatch(/damaged Excel 97-2003 workbook: (the Workbook stream starts with record|record 0x)/);
  });

  it('refuses OLE files that hold no workbook: a Word document, an Office file saved with a password', async () => {
    const word = await failure(read(xlsFile(Buffer.alloc(4096), 'WordDocument')));
    expect(word.message).toMatch(/a Word 97-2003 document \(\.doc\), not a data export: save its tables as CSV/);
    const ooxml = await failure(read(xlsFile(Buffer.alloc(4096), 'EncryptedPackage')));
    expect(ooxml.code).toBe('VIGIE_BAD_FORMAT');
    expect(ooxml.message).toMatch(
      /an Office file saved with a password \(an encrypted \.xlsx or \.docx\), not read: open it and save it again without a password/,
    );
  });
});
