import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeZip } from '../archive/test-helpers/zip.js';
import { type ReadEvent, readSource } from '../index.js';
import { MAX_COLUMNS } from '../limits.js';
import { MAX_ROW_REPEAT } from './content.js';
import { parts, repack } from './test-helpers/repack.js';
import { failure, read, tables } from '../test-helpers/events.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const fixture = (name: string): string => join(FIXTURES, name);

const dir = mkdtempSync(join(tmpdir(), 'vigie-ods-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function write(data: Buffer | string, ext = 'ods'): string {
  const file = join(dir, `book${++n}.${ext}`);
  writeFileSync(file, data);
  return file;
}

const skips = (events: ReadEvent[]): ReadEvent[] => events.filter((e) => e.kind === 'skip');

/** LibreOffice's typed.ods with the rows of its first sheet (`Clients`) replaced. */
let typed: Map<string, Buffer>;
let content: string;
beforeAll(async () => {
  typed = await parts(fixture('typed.ods'));
  content = typed.get('content.xml')?.toString('utf8') ?? '';
});
function withRows(rows: string): Promise<Buffer> {
  const start = content.indexOf('<table:table-row');
  const end = content.indexOf('</table:table>');
  return repack(typed, { 'content.xml': content.slice(0, start) + rows + content.slice(end) });
}
const str = (text: string, attrs = ''): string => `<table:table-cell office:value-type="string"${attrs}><text:p>${text}</text:p></table:table-cell>`;
const row = (cells: string, attrs = ''): string => `<table:table-row${attrs}>${cells}</table:table-row>`;

const CLIENTS = [
  ['nom', 'prénom', 'email', 'téléphone', 'code postal', 'ville', 'date de naissance', 'solde', 'actif', 'note'],
  ['Dupont', 'Éloïse', 'eloise.dupont@exemple.fr', '612345678', '1000', 'Bourg-en-Bresse', '1985-03-12', '1234.5', 'TRUE', 'ligne 1\nligne 2'],
  ['Lefèvre', '', 'jean-marc.lefevre@orange.fr', '+33 6 12 34 56 78', '75001', 'Paris', '1990-07-01', '0.1', 'FALSE', 'a  b\tc'],
  ['Nguyen', 'Thérèse', '', '698765432', '13002', 'Marseille', '1956-06-17', '-12.75', 'TRUE'],
  ['Benali', 'Mohamed', 'm.benali@free.fr', '07 73 82 96 27', '69002', 'Lyon', '2002-04-18', '0', 'FALSE', 'client fidèle'],
  ['Le Goff', 'Gwenaëlle', 'gwen.legoff@laposte.net', '299123456', '29200', 'Brest', '1971-11-30', '99999.99', 'TRUE'],
  ['Fusion', '', 'rendez-vous', '', '', '', '2024-03-05T14:30:00', '0.15', '', '#DIV/0!'],
  ['Heure', '', '', '', '', '', '08:15:00', '0.3'],
];

describe('ods made by LibreOffice (fixtures/make-fixtures.sh)', () => {
  it('reads each sheet as the person sees it: numbers, dates, booleans, merged and empty cells; comments are not text', async () => {
    const file = fixture('typed.ods');
    const events = await read(file);
    expect(events.filter((e) => e.kind === 'table')).toEqual([
      expect.objectContaining({ name: `${file}:Clients`, format: 'ods', meta: { sheet: 'Clients', part: 'content.xml' }, headerRow: CLIENTS[0] }),
      expect.objectContaining({ name: `${file}:Caché`, format: 'ods', headerRow: ['email', 'source'] }),
    ]);
    // The empty row 7 is not a record; the hidden sheet is read; the million empty rows
    // LibreOffice writes at the end of each sheet cost nothing.
    expect(tables(events)).toEqual({ Clients: CLIENTS, Caché: [['email', 'source'], ...Array(3).fill(['doublon@exemple.fr', 'import'])] });
    expect(JSON.stringify(events)).not.toContain('dimanche');
    expect(events.find((e) => e.kind === 'rows')).toMatchObject({ firstRecord: 2 });
    expect(skips(events)).toEqual([]);
  });

  it('gives the cells the xlsx reader gives for the same workbook saved as .xlsx by LibreOffice', async () => {
    const ods = tables(await read(fixture('typed.ods')));
    const xlsx = tables(await read(fixture('typed.xlsx')));
    // LibreOffice's xlsx export drops a tab inside a cell (`a  b\tc` → `a  bc`); the ods keeps it.
    expect(xlsx['Clients']?.[2]?.[9]).toBe('a  bc');
    const tabless = (t: typeof ods) => JSON.parse(JSON.stringify(t).replace('a  b\\tc', 'a  bc'));
    expect(tabless(ods)).toEqual(xlsx);
    expect(tables(await read(fixture('people.ods')))['people']).toEqual(tables(await read(fixture('people.xlsx')))['people']);
    expect(tables(await read(fixture('people.ods')))['people']).toHaveLength(301);
  });

  it('reads a flat .fods (one XML document) as the same spreadsheet; other XML stays refused', async () => {
    const file = fixture('typed.fods');
    const events = await read(file);
    expect(events[0]).toMatchObject({ kind: 'table', name: `${file}:Clients`, format: 'ods', meta: { sheet: 'Clients' } });
    expect(tables(events)).toEqual(tables(await read(fixture('typed.ods'))));
    const xml = write('<?xml version="1.0"?><office:document office:mimetype="application/vnd.oasis.opendocument.text"/>', 'fods');
    expect((await failure(read(xml))).message).toMatch(/OpenDocument document other than a spreadsheet: not a supported format/);
  });

  it('refuses a password-protected spreadsheet (saved by LibreOffice with a password) with what to do', async () => {
    const file = fixture('encrypted.ods');
    const err = await failure(read(file));
    expect(err.code).toBe('VIGIE_BAD_FORMAT');
    expect(err.message).toBe(
      `${file}: password-protected OpenDocument spreadsheet (its content is encrypted): open it with its password and save it without one, or save each sheet as CSV, then ingest that file`,
    );
  });

  it('reads an Excel 97-2003 workbook (LibreOffice saved it) with the cells of its .xlsx, alone or inside a zip', async () => {
    const file = fixture('typed.xls');
    const xls = await read(file);
    expect(xls.filter((e) => e.kind === 'table').map((e) => e.kind === 'table' && e.format)).toEqual(['xls', 'xls']);
    expect(tables(xls)).toEqual(tables(await read(fixture('typed.xlsx'))));
    const zip = write(await makeZip([{ name: 'clients.xls', data: readFileSync(file) }]), 'zip');
    const inZip = await read(zip);
    expect(skips(inZip)).toEqual([]);
    expect(tables(inZip)).toEqual(tables(xls));
  });

  it('refuses other OpenDocument types and reads an ods inside a zip archive', async () => {
    const odt = write(await repack(typed, { mimetype: 'application/vnd.oasis.opendocument.text' }), 'odt');
    const err = await failure(read(odt));
    expect(err.code).toBe('VIGIE_BAD_FORMAT');
    expect(err.message).toMatch(/this is an office document .*save each table as CSV/);
    const docx = write(
      await makeZip([
        { name: '[Content_Types].xml', data: '<?xml version="1.0"?><Types/>' },
        { name: 'word/document.xml', data: '<w:document/>' },
      ]),
      'docx',
    );
    expect((await failure(read(docx))).message).toMatch(/this is an office document .*save each table as CSV/);
    // Without a mimetype member, the body says what it is.
    const body = content.replace(/<office:spreadsheet>.*<\/office:spreadsheet>/s, '<office:text><text:p>Cher client,</text:p></office:text>');
    const noType = write(await repack(typed, { mimetype: null, 'content.xml': body }));
    expect((await failure(read(noType))).message).toMatch(/this is an office document/);
    expect(tables(await read(write(await repack(typed, { mimetype: null }))))['Clients']).toEqual(CLIENTS);
    const zip = write(await makeZip([{ name: 'export/clients.ods', data: await repack(typed) }]), 'zip');
    expect((await read(zip))[0]).toMatchObject({ kind: 'table', name: `${zip}:export/clients.ods:Clients`, format: 'ods', meta: { container: 'zip' } });
  });
});

describe('ods cells', () => {
  it('joins paragraphs, spaces, tabs, line breaks, spans and links; leaves out comments and notes', async () => {
    const cells =
      str('Jean<text:s text:c="3"/>Marc<text:tab/>X<text:line-break/>Y') +
      '<table:table-cell office:value-type="string"><text:p>Élo<text:span text:style-name="T1">ïse</text:span> <text:a xlink:href="mailto:e@exemple.fr">e@exemple.fr</text:a></text:p><text:p/><text:p>fin</text:p></table:table-cell>' +
      '<table:table-cell office:value-type="string"><office:annotation><text:p>secret</text:p></office:annotation><text:p>visible<office:annotation><text:p>caché</text:p></office:annotation></text:p></table:table-cell>' +
      // Source white space collapses (ODF part 3 §6.1.2): a writer that pretty-prints its XML.
      '<table:table-cell office:value-type="string"><text:p>\n   rue  du\n\tPort </text:p></table:table-cell>';
    const events = await read(write(await withRows(row(str('a')) + row(cells))));
    expect(tables(events)['Clients']).toEqual([['a'], ['Jean   Marc\tX\nY', 'Éloïse e@exemple.fr\n\nfin', 'visible', 'rue du Port ']]);
  });

  it('gives typed values as xlsx does: floats to 15 digits, currency, percentage, dates, times, booleans, string values', async () => {
    const cell = (attrs: string, shown = 'ignored'): string => `<table:table-cell ${attrs}><text:p>${shown}</text:p></table:table-cell>`;
    const cells = [
      cell('office:value-type="float" office:value="0.30000000000000004"'),
      cell('office:value-type="float" office:value="185017512345678"', '1.85017512345678E+14'),
      cell('office:value-type="currency" office:currency="EUR" office:value="1234.5"', '1 234,50 €'),
      cell('office:value-type="percentage" office:value="0.155"', '15,5 %'),
      cell('office:value-type="date" office:date-value="1985-03-12T00:00:00"', '12/03/85'),
      cell('office:value-type="date" office:date-value="2024-03-05T14:29:59.6"'),
      cell('office:value-type="time" office:time-value="PT36H05M00S"'),
      cell('office:value-type="boolean" office:boolean-value="true"', 'VRAI'),
      cell('table:formula="of:=[.A1]&gt;3" office:value-type="float" office:value="0" calcext:value-type="float"', 'FAUX'),
      cell('table:formula="of:=1" office:value-type="float" office:value="1"', '1'),
      cell('office:value-type="float" office:value="1" calcext:value-type="boolean"', 'VRAI'),
      '<table:table-cell office:value-type="string" office:string-value="sans paragraphe"/>',
      cell('office:value-type="float"', 'shown only'),
    ].join('');
    const events = await read(write(await withRows(row(str('h')) + row(cells))));
    expect(tables(events)['Clients']?.[1]).toEqual([
      '0.3',
      '185017512345678',
      '1234.5',
      '0.155',
      '1985-03-12',
      '2024-03-05T14:30:00',
      '36:05:00',
      'TRUE',
      'FALSE',
      '1',
      'TRUE',
      'sans paragraphe',
      'shown only',
    ]);
  });

  it('expands repeated cells and rows that hold something, with their records and sheet row numbers', async () => {
    const rows =
      row(str('email') + str('ville')) +
      row(str('x@exemple.fr') + str('Lyon', ' table:number-columns-repeated="3"'), ' table:number-rows-repeated="2500"') +
      row('<table:table-cell table:number-columns-repeated="2"/><table:covered-table-cell/>' + str('y@exemple.fr'), ' table:number-rows-repeated="1"') +
      row('<table:table-cell table:number-columns-repeated="16384"/>', ' table:number-rows-repeated="1048000"') +
      row(
        str('z@exemple.fr') +
          `<table:table-cell table:number-columns-repeated="${MAX_COLUMNS}" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>`,
      ) +
      row(str('fin'));
    const events = await read(write(await withRows(rows)), { batchSize: 1000 });
    const t = tables(events)['Clients'] ?? [];
    expect(t).toHaveLength(1 + 2500 + 1 + 1);
    expect(t[1]).toEqual(['x@exemple.fr', 'Lyon', 'Lyon', 'Lyon']);
    expect(t[2500]).toEqual(t[1]);
    expect(t[2501]).toEqual(['', '', '', 'y@exemple.fr']);
    expect(t[2502]).toEqual(['fin']);
    // Batches of the repeated row number its copies; the rows after follow on.
    expect(events.filter((e) => e.kind === 'rows').map((e) => e.kind === 'rows' && [e.firstRecord, e.rows.length])).toEqual([
      [2, 1],
      [3, 1000],
      [1003, 1000],
      [2003, 499],
      [2502, 1],
      [2504, 1],
      // The hidden sheet, Caché.
      [2, 3],
    ]);
    // The row of 4097 cells is skipped at its sheet row, after 1,048,000 empty ones.
    expect(skips(events)).toEqual([
      { kind: 'skip', reason: 'too many columns', position: { file: events[0]?.kind === 'table' ? events[0].name : '', line: 1050503, record: 2503 } },
    ]);
  });
});

describe('hostile ods', () => {
  it('skips a non-empty row repeated more than a sheet holds, and refuses repeats past the expansion budget', async () => {
    const rows = row(str('email')) + row(str('x@exemple.fr'), ` table:number-rows-repeated="${MAX_ROW_REPEAT + 1}"`) + row(str('ok@exemple.fr'));
    const file = write(await withRows(rows));
    const events = await read(file);
    expect(skips(events)).toEqual([{ kind: 'skip', reason: 'too many repeats', position: { file: `${file}:Clients`, line: 2, record: 2 } }]);
    expect(tables(events)['Clients']).toEqual([['email'], ['ok@exemple.fr']]);
    // A 1,000-character row repeated a million times would be a gigabyte from a tiny file.
    const big = row(str('email')) + row(str('y'.repeat(1000)), ` table:number-rows-repeated="${MAX_ROW_REPEAT}"`);
    const bomb = write(await withRows(big));
    const err = await failure(read(bomb));
    expect(err.code).toBe('VIGIE_UNSAFE_ARCHIVE');
    expect(err.message).toMatch(
      new RegExp(`^${bomb}:Clients, line 2, record 2: repeated rows expand beyond the expansion limit \\(\\d+ bytes\\): possible bomb$`),
    );
    // Cells too: rows of 4,000 copies of 250 characters (1 MB each, within the record limit).
    const cells = row(str('z'.repeat(250), ' table:number-columns-repeated="4000"')).repeat(150);
    const wide = write(await withRows(row(str('h')) + cells));
    expect((await failure(read(wide))).message).toMatch(new RegExp(`^${wide}:Clients, line \\d+, record \\d+: repeated cells expand beyond`));
  });

  it('hands out a row repeated a million times in batches, never all at once', async () => {
    const file = write(await withRows(row(str('email')) + row(str('x@exemple.fr'), ` table:number-rows-repeated="${MAX_ROW_REPEAT}"`)));
    const base = process.memoryUsage();
    let peak = 0;
    let count = 0;
    for await (const ev of readSource(file, { displayName: file })) {
      if (ev.kind === 'table' && ev.name.endsWith(':Caché')) break;
      if (ev.kind !== 'rows') continue;
      count += ev.rows.length;
      const m = process.memoryUsage();
      peak = Math.max(peak, m.heapUsed + m.arrayBuffers - base.heapUsed - base.arrayBuffers);
    }
    expect(count).toBe(MAX_ROW_REPEAT);
    expect(peak).toBeLessThan(48 * 1024 * 1024);
  }, 60_000);

  it('skips a row past the record limit, text:s of a billion spaces included, and reads the next', async () => {
    const rows =
      row(str('n')) +
      row(str('z'.repeat(600_000)) + str('z'.repeat(600_000))) +
      row(str('<text:s text:c="1000000000"/>')) +
      row(str('w'.repeat(300_000), ' table:number-columns-repeated="4"')) +
      row(str('ok'));
    const file = write(await withRows(rows));
    const events = await read(file);
    expect(skips(events).map((e) => e.kind === 'skip' && [e.reason, e.position.line])).toEqual([
      ['record too long', 2],
      ['record too long', 3],
      ['record too long', 4],
    ]);
    expect(tables(events)['Clients']).toEqual([['n'], ['ok']]);
  });

  it('refuses a zip bomb by its expansion ratio', async () => {
    const rows = row(str('a')) + row('<table:table-cell/>').repeat(3_000_000);
    const err = await failure(read(write(await withRows(rows)), { expansionFloor: 1 << 20 }));
    expect(err.code).toBe('VIGIE_UNSAFE_ARCHIVE');
    expect(err.message).toMatch(/decompression bomb/);
  });

  it('reads deeply nested XML without recursion, and refuses unclosed elements after delivering the rows before', async () => {
    const deep = `<table:table-cell office:value-type="string"><text:p>${'<text:span>'.repeat(200_000)}profond${'</text:span>'.repeat(200_000)}</text:p></table:table-cell>`;
    expect(tables(await read(write(await withRows(row(str('h')) + row(deep)))))['Clients']).toEqual([['h'], ['profond']]);
    // content.xml cut after Benali's row (the fifth of Clients), at a tag's end.
    const cut = content.slice(0, content.indexOf('<table:table-row', content.indexOf('Benali')));
    const file = write(await repack(typed, { 'content.xml': cut }));
    const events: ReadEvent[] = [];
    const err = await failure(
      (async () => {
        for await (const ev of readSource(file, { displayName: file })) events.push(ev);
      })(),
    );
    expect(err.code).toBe('VIGIE_BAD_FORMAT');
    expect(err.message).toBe(`${file}:content.xml, table Clients, line 5: malformed XML (the part ends inside 4 unclosed elements)`);
    expect(tables(events)['Clients']).toEqual(CLIENTS.slice(0, 5));
  });

  it('refuses malformed XML and tags past the limit, naming the part, the sheet and the row', async () => {
    const bad = write(await withRows(row(str('h')) + row(str('a')) + '<table:table-row><table:table-cell office:value-type=string>'));
    const err = await failure(read(bad));
    expect(err.code).toBe('VIGIE_BAD_FORMAT');
    expect(err.message).toBe(`${bad}:content.xml, table Clients, line 3: malformed XML (an unquoted attribute in <table:table-cell>)`);
    const open = write(await repack(typed, { 'content.xml': content.slice(0, content.indexOf('Benali') - 20) }));
    expect((await failure(read(open))).message).toBe(`${open}:content.xml, table Clients, line 5: malformed XML (the part ends inside a tag)`);
    const tag = write(await withRows(row(str('h')) + `<table:table-row table:style-name="${'a'.repeat(2_000_000)}"/>`));
    const long = await failure(read(tag));
    expect(long.code).toBe('VIGIE_TOO_LARGE');
    expect(long.message).toContain(`${tag}:content.xml, table Clients`);
  });
});
