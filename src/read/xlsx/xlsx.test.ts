import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeZip } from '../archive/test-helpers/zip.js';
import { readSource } from '../index.js';
import { MAX_COLUMNS } from '../limits.js';
import { makeBook, sheet } from './test-helpers/book.js';
import { failure, read, tables } from '../test-helpers/events.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-xlsx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function write(book: Buffer): Promise<string> {
  const file = join(dir, `book${++n}.xlsx`);
  writeFileSync(file, book);
  return file;
}

const is = (ref: string, text: string): string => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

describe('xlsx cells', () => {
  it('reads shared, inline and rich strings, numbers as shown, booleans, errors and formulas', async () => {
    const file = await write(
      await makeBook({
        sst: '<si><t>nom</t></si><si><t xml:space="preserve">Lefèvre &amp; fils</t></si><si><r><rPr><b/></rPr><t>Élo</t></r><r><t>ïse</t></r><rPh><t>エロイーズ</t></rPh></si>',
        sheets: [
          {
            name: 'Clients',
            xml: sheet(
              '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>2</v></c>' +
                is('C1', 'tél') +
                '</row>' +
                '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="b"><v>1</v></c><c r="C2"><v>612345678</v></c>' +
                '<c r="D2"><v>0.1</v></c><c r="E2"><v>0.30000000000000004</v></c><c r="F2"><v>185017512345678</v></c>' +
                '<c r="G2" t="e"><v>#N/A</v></c><c r="H2" t="str"><f>A2&amp;"!"</f><v>Lefèvre &amp; fils!</v></c>' +
                '<c r="I2" t="b"><v>0</v></c><c r="J2"><v>-1.5E-3</v></c></row>',
            ),
          },
        ],
      }),
    );
    expect(tables(await read(file))['Clients']).toEqual([
      ['nom', 'Éloïse', 'tél'],
      ['Lefèvre & fils', 'TRUE', '612345678', '0.1', '0.3', '185017512345678', '#N/A', 'Lefèvre & fils!', 'FALSE', '-0.0015'],
    ]);
  });

  it('keeps column positions from cell references: gaps are empty cells, skipped rows are not rows', async () => {
    const file = await write(
      await makeBook({
        sheets: [
          {
            name: 'Feuil1',
            xml: sheet(
              `<row r="1">${is('A1', 'a')}${is('C1', 'c')}</row><row r="5">${is('B5', 'b')}<c r="E5" s="0"/></row><row r="7"/><row r="9"><c><v>1</v></c><c><v>2</v></c>${is('E9', 'e')}<c><v>6</v></c></row>`,
            ),
          },
        ],
      }),
    );
    const events = await read(file);
    expect(tables(events)['Feuil1']).toEqual([
      ['a', '', 'c'],
      ['', 'b'],
      ['1', '2', '', '', 'e', '6'],
    ]);
    // Columns grow (append-only) when a later row is wider than the first.
    const table = events.find((e) => e.kind === 'table');
    expect(table?.kind === 'table' && table.columns).toHaveLength(6);
    expect(events.find((e) => e.kind === 'rows')).toMatchObject({ firstRecord: 2 });
  });

  it('converts date serials to ISO dates when the style is a date format, in both date systems', async () => {
    const styles =
      '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/><numFmt numFmtId="165" formatCode="&quot;n°&quot;\\ 0"/></numFmts>' +
      '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>' +
      '<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="22"/><xf numFmtId="165"/><xf numFmtId="20"/></cellXfs>';
    const rows = sheet(
      `<row r="1">${is('A1', 'general')}${is('B1', 'builtin')}${is('C1', 'custom')}${is('D1', 'datetime')}${is('E1', 'text')}${is('F1', 'time')}</row>` +
        '<row r="2"><c r="A2"><v>31120</v></c><c r="B2" s="1"><v>31120</v></c><c r="C2" s="2"><v>31120</v></c><c r="D2" s="3"><v>31120.5</v></c><c r="E2" s="4"><v>31120</v></c><c r="F2" s="5"><v>0.75</v></c></row>' +
        '<row r="3"><c r="A3" s="1"><v>59</v></c><c r="B3" s="1"><v>61</v></c><c r="C3" s="2"><v>1</v></c><c r="D3" t="d" s="1"><v>1985-03-12T00:00:00Z</v></c></row>',
    );
    const file = await write(await makeBook({ styles, sheets: [{ name: 'Dates', xml: rows }] }));
    expect(tables(await read(file))['Dates']).toEqual([
      ['general', 'builtin', 'custom', 'datetime', 'text', 'time'],
      ['31120', '1985-03-14', '1985-03-14', '1985-03-14T12:00:00', '31120', '18:00:00'],
      // Serial 60 is Excel's 29 February 1900 that never was: 59 and 61 are 28 Feb and 1 Mar.
      ['1900-02-28', '1900-03-01', '1900-01-01', '1985-03-12'],
    ]);
    const file1904 = await write(await makeBook({ styles, date1904: true, sheets: [{ name: 'Dates', xml: rows }] }));
    expect(tables(await read(file1904))['Dates']?.[1]?.[1]).toBe('1989-03-15');
  });

  it('names each table after its sheet, in workbook order, prefixed names and entities included', async () => {
    const x = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const file = await write(
      await makeBook({
        sheets: [
          { name: 'Clients 2024', xml: sheet(`<row r="1">${is('A1', 'un')}</row>`) },
          { name: 'Vide', xml: sheet('') },
          {
            name: 'R&amp;D',
            xml: `<?xml version="1.0"?><!-- exported --><x:worksheet ${x}><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t><![CDATA[a<b]]> &#233;&#x20AC;</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>`,
          },
        ],
      }),
    );
    const events = await read(file);
    expect(events.filter((e) => e.kind === 'table').map((e) => e.kind === 'table' && [e.name, e.format, e.meta['part']])).toEqual([
      [`${file}:Clients 2024`, 'xlsx', 'xl/worksheets/sheet1.xml'],
      [`${file}:R&D`, 'xlsx', 'xl/worksheets/sheet3.xml'],
    ]);
    expect(tables(events)['R&D']).toEqual([['a<b é€']]);
  });

  it('reads a workbook inside a zip archive', async () => {
    const inner = await makeBook({ sheets: [{ name: 'S', xml: sheet(`<row r="1">${is('A1', 'x')}</row>`) }] });
    const file = join(dir, 'fuite.zip');
    writeFileSync(file, await makeZip([{ name: 'export/clients.xlsx', data: inner }]));
    const events = await read(file);
    expect(events[0]).toMatchObject({ kind: 'table', name: `${file}:export/clients.xlsx:S`, meta: { container: 'zip' } });
  });
});

describe('hostile xlsx', () => {
  it('refuses a zip bomb by its expansion ratio before holding the sheet', async () => {
    const bomb = sheet('<row r="1"/>'.repeat(4_000_000));
    const file = await write(await makeBook({ sheets: [{ name: 'S', xml: bomb }] }));
    const err = await failure(read(file, { expansionFloor: 1 << 20 }));
    expect(err.code).toBe('VIGIE_UNSAFE_ARCHIVE');
    expect(err.message).toMatch(/decompression bomb/);
  });

  it('refuses a zip whose declared sizes pass the total size cap, before inflating', async () => {
    const file = await write(
      await makeBook({ sheets: [{ name: 'S', xml: sheet('') }], extra: [{ name: 'xl/media/big.bin', data: 'x', declaredSize: 0xfffffff0 }] }),
    );
    // The lying member is never read: only the parts the workbook names are.
    expect(await read(file)).toEqual([]);
    const lying = await write(
      await makeZip([
        { name: '[Content_Types].xml', data: '<Types/>' },
        { name: 'xl/workbook.xml', data: '<workbook/>', declaredSize: 0xfffffff0 },
      ]),
    );
    expect((await failure(read(lying))).code).toBe('VIGIE_UNSAFE_ARCHIVE');
  });

  it('refuses a workbook listing more entries than any real one', async () => {
    const many = Array.from({ length: 10_001 }, (_, i) => ({ name: `xl/media/i${i}.png`, data: '', method: 0 }));
    const file = await write(await makeBook({ sheets: [{ name: 'S', xml: sheet('') }], extra: many }));
    const err = await failure(read(file));
    expect(err.code).toBe('VIGIE_UNSAFE_ARCHIVE');
    expect(err.message).toMatch(/zip lists 1000\d entries, more than 10000/);
  });

  it('caps the shared-string table at 64 MiB, naming the file and the part', async () => {
    const si = `<si><t>${'x'.repeat(1000)}</t></si>`;
    const file = await write(await makeBook({ sst: si.repeat(70_000), sheets: [{ name: 'S', xml: sheet('') }] }));
    const before = process.memoryUsage();
    const err = await failure(read(file));
    const after = process.memoryUsage();
    expect(err.code).toBe('VIGIE_TOO_LARGE');
    expect(err.message).toContain(`${file}:xl/sharedStrings.xml`);
    expect(err.message).toMatch(/shared-string table larger than 67108864 bytes/);
    // What the cap lets through is held in one buffer of at most 64 MiB.
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(80 * 1024 * 1024);
  });

  it('refuses one shared string of gigabytes while it is read', async () => {
    const big = `<si><t>${'y'.repeat(70 * 1024 * 1024)}</t></si>`;
    const file = await write(await makeBook({ sst: big, sheets: [{ name: 'S', xml: sheet('') }] }));
    expect((await failure(read(file))).code).toBe('VIGIE_TOO_LARGE');
  });

  it('skips rows past MAX_COLUMNS or beyond column XFD, and reads the rows after them', async () => {
    const wide = Array.from({ length: MAX_COLUMNS + 1 }, () => '<c><v>1</v></c>').join('');
    const file = await write(
      await makeBook({
        sheets: [
          {
            name: 'S',
            xml: sheet(
              `<row r="1">${is('A1', 'email')}</row><row r="2">${wide}</row><row r="3"><c r="XFD3"><v>1</v></c></row><row r="4"><c r="ZZZZZZ4"><v>1</v></c></row><row r="5">${is('A5', 'a@b.fr')}</row>`,
            ),
          },
        ],
      }),
    );
    const events = await read(file);
    expect(events.filter((e) => e.kind === 'skip')).toEqual([
      { kind: 'skip', reason: 'too many columns', position: { file: `${file}:S`, line: 2, record: 2 } },
      { kind: 'skip', reason: 'too many columns', position: { file: `${file}:S`, line: 3, record: 3 } },
      { kind: 'skip', reason: 'too many columns', position: { file: `${file}:S`, line: 4, record: 4 } },
    ]);
    expect(tables(events)['S']).toEqual([['email'], ['a@b.fr']]);
  });

  it('skips a row whose cells pass the record limit, and refuses a tag longer than it', async () => {
    const cell = 'z'.repeat(600_000);
    const file = await write(
      await makeBook({
        sheets: [
          { name: 'S', xml: sheet(`<row r="1">${is('A1', 'n')}</row><row r="2">${is('A2', cell)}${is('B2', cell)}</row><row r="3">${is('A3', 'ok')}</row>`) },
        ],
      }),
    );
    const events = await read(file);
    expect(events.filter((e) => e.kind === 'skip').map((e) => e.kind === 'skip' && e.reason)).toEqual(['record too long']);
    expect(tables(events)['S']).toEqual([['n'], ['ok']]);
    // A single text node of 5 MB streams through in pieces: skipped, not held.
    const huge = await write(
      await makeBook({ sheets: [{ name: 'S', xml: sheet(`<row r="1">${is('A1', 'z'.repeat(5_000_000))}</row><row r="2">${is('A2', 'ok')}</row>`) }] }),
    );
    expect(tables(await read(huge))['S']).toEqual([['ok']]);
    const tag = await write(await makeBook({ sheets: [{ name: 'S', xml: sheet(`<row r="1" x="${'a'.repeat(2_000_000)}"/>`) }] }));
    const err = await failure(read(tag));
    expect(err.code).toBe('VIGIE_TOO_LARGE');
    expect(err.message).toContain(`${tag}:xl/worksheets/sheet1.xml`);
  });

  it('never reads outside the package: `../` entries and relationship targets lead nowhere', async () => {
    const file = await write(
      await makeBook({
        sheets: [
          { name: 'Evil', xml: '', target: '../../../../tmp/vigie-evil.xml' },
          { name: 'Ok', xml: sheet(`<row r="1">${is('A1', 'x')}</row>`) },
        ],
        extra: [{ name: '../../../../tmp/vigie-evil.xml', data: sheet(`<row r="1">${is('A1', 'stolen')}</row>`) }],
      }),
    );
    const events = await read(file);
    expect(events.filter((e) => e.kind === 'skip')).toEqual([{ kind: 'skip', reason: 'missing sheet', position: { file: `${file}:Evil` } }]);
    expect(tables(events)).toEqual({ Ok: [['x']] });
    expect(existsSync('/tmp/vigie-evil.xml')).toBe(false);
  });

  it('expands no entity a DOCTYPE declares (billion laughs) and refuses malformed XML naming the part', async () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>' +
      `<worksheet><sheetData><row r="1">${is('A1', '&lol2;')}</row></sheetData></worksheet>`;
    const file = await write(await makeBook({ sheets: [{ name: 'S', xml: laughs }] }));
    expect(tables(await read(file))['S']).toEqual([['&lol2;']]);
    const bad = await write(await makeBook({ sheets: [{ name: 'S', xml: '<worksheet><sheetData><row r="1"><c r=1>' }] }));
    const err = await failure(read(bad));
    expect(err.code).toBe('VIGIE_BAD_FORMAT');
    expect(err.message).toContain(`${bad}:xl/worksheets/sheet1.xml`);
  });

  it('reads a large sheet in bounded memory', async () => {
    const rows = 250_000;
    const parts: string[] = [];
    for (let i = 1; i <= rows; i++)
      parts.push(`<row r="${i}"><c r="A${i}"><v>${i}</v></c>${is(`B${i}`, `p${i}@exemple.fr`)}<c r="C${i}"><v>6${i}</v></c></row>`);
    const xml = sheet(parts.join(''));
    parts.length = 0;
    const file = await write(await makeBook({ sheets: [{ name: 'S', xml }] }));
    const base = process.memoryUsage();
    let peak = 0;
    let count = 0;
    for await (const ev of readSource(file, { displayName: file, maxExpansion: 10_000 })) {
      if (ev.kind !== 'rows') continue;
      count += ev.rows.length;
      const m = process.memoryUsage();
      peak = Math.max(peak, m.heapUsed + m.arrayBuffers - base.heapUsed - base.arrayBuffers);
    }
    expect(count).toBe(rows - 1);
    // The sheet is ~37 MB of XML: what the reader holds at any time is a chunk and a batch.
    expect(xml.length).toBeGreaterThan(35_000_000);
    expect(peak).toBeLessThan(32 * 1024 * 1024);
  }, 60_000);
});
