import { mkdtempSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { readSource, readSources, type ReadEvent, type SourceOptions } from './index.js';
import { makeZip } from './archive/test-helpers/zip.js';
import { VigieError } from '../errors.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const csv = 'nom;prénom;email;téléphone\nLefèvre;Éloïse;eloise.lefevre@exemple.fr;06 12 34 56 78\nN’Diaye;Aïssata;a.ndiaye@exemple.org;+33 7 98 76 54 32\n';
const csvRows = [
  ['Lefèvre', 'Éloïse', 'eloise.lefevre@exemple.fr', '06 12 34 56 78'],
  ['N’Diaye', 'Aïssata', 'a.ndiaye@exemple.org', '+33 7 98 76 54 32'],
];
const json = JSON.stringify({ clients: [{ nom: 'Roux', contact: { mail: 'paul.roux@exemple.fr', tel: ['0612345678'] } }] });
const mysql = [
  '-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)',
  'CREATE TABLE `clients` (',
  '  `id` int NOT NULL,',
  '  `nom` varchar(50) DEFAULT NULL,',
  '  `email` varchar(100) DEFAULT NULL,',
  '  PRIMARY KEY (`id`)',
  ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;',
  "INSERT INTO `clients` VALUES (1,'Lefèvre','eloise.lefevre@exemple.fr'),(2,'N\\'Diaye','a.ndiaye@exemple.org');",
  '',
].join('\n');
const pg = [
  '--',
  '-- PostgreSQL database dump',
  '--',
  'COPY public.clients (id, nom, email) FROM stdin;',
  '1\tLefèvre\teloise.lefevre@exemple.fr',
  '2\tRoux\t\\N',
  '\\.',
  '',
].join('\n');

function file(name: string, content: Buffer | string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

interface Result {
  events: ReadEvent[];
  error: (Error & { code?: string; position?: unknown }) | undefined;
  bytes: number[];
}

async function read(path: string, o: Partial<SourceOptions> = {}): Promise<Result> {
  const events: ReadEvent[] = [];
  const bytes: number[] = [];
  let error: Result['error'];
  try {
    for await (const ev of readSource(path, { displayName: path.slice(dir.length + 1), onBytes: (b) => bytes.push(b), ...o })) {
      events.push(ev);
    }
  } catch (err) {
    error = err as Result['error'];
  }
  return { events, error, bytes };
}

const tablesOf = (r: Result) => r.events.flatMap((e) => (e.kind === 'table' ? [[e.name, e.format, e.meta['container'] ?? '']] : []));
const rowsOf = (r: Result) => r.events.flatMap((e) => (e.kind === 'rows' ? e.rows : []));
const skipsOf = (r: Result) => r.events.flatMap((e) => (e.kind === 'skip' ? [[e.position.file, e.reason]] : []));

describe('readSource: plain files', () => {
  it('reads CSV, JSON, NDJSON, mysqldump and pg_dump by content', async () => {
    const cases: Array<[string, string | Buffer, string]> = [
      ['a.csv', csv, 'delimited'],
      ['a.txt', json, 'json'],
      ['a.data', '{"email":"paul.roux@exemple.fr"}\n{"email":"lea.petit@exemple.fr"}\n', 'ndjson'],
      ['a.sql', mysql, 'mysqldump'],
      ['b.sql', pg, 'pgdump'],
    ];
    for (const [name, content, format] of cases) {
      const r = await read(file(name, content));
      expect(r.error).toBeUndefined();
      expect(r.events[0]).toMatchObject({ kind: 'table', format });
    }
    const sql = await read(join(dir, 'a.sql'));
    expect(tablesOf(sql)).toEqual([['a.sql:clients', 'mysqldump', '']]);
    expect(rowsOf(sql)).toEqual([
      ['1', 'Lefèvre', 'eloise.lefevre@exemple.fr'],
      ['2', "N'Diaye", 'a.ndiaye@exemple.org'],
    ]);
  });

  it('decodes Windows-1252 and says so in the table meta', async () => {
    const r = await read(file('cp1252.csv', iconv.encode(csv, 'windows-1252')));
    expect(r.events[0]).toMatchObject({ kind: 'table', meta: { encoding: 'windows-1252' } });
    expect(rowsOf(r)).toEqual(csvRows);
  });

  it('reports on-disk progress up to the file size', async () => {
    const big = file('big.csv', csv + 'Martin;Zoé;zoe.martin@exemple.fr;01 23 45 67 89\n'.repeat(20_000));
    const r = await read(big);
    expect(r.error).toBeUndefined();
    expect(r.bytes.length).toBeGreaterThan(2);
    expect(r.bytes.every((b, i) => i === 0 || b >= (r.bytes[i - 1] ?? 0))).toBe(true);
    expect(r.bytes.at(-1)).toBe(statSync(big).size);
  });

  it('names a missing file, a directory, an empty file and binary garbage', async () => {
    const missing = await read(join(dir, 'absent.csv'));
    expect(missing.error).toMatchObject({ code: 'VIGIE_FILE_NOT_FOUND', message: 'absent.csv: no such file (ENOENT)' });
    mkdirSync(join(dir, 'dossier'));
    expect((await read(join(dir, 'dossier'))).error).toMatchObject({ code: 'VIGIE_FILE_NOT_FOUND' });
    expect((await read(file('vide.csv', ''))).error).toMatchObject({ code: 'VIGIE_EMPTY_FILE', message: 'vide.csv: file is empty' });
    const garbage = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256));
    expect((await read(file('garbage.csv', garbage))).error).toMatchObject({ code: 'VIGIE_BAD_FORMAT' });
  });
});

describe('readSource: gzip', () => {
  it('reads a gzipped CSV, and a gzipped JSON Lines file by its inner name', async () => {
    const r = await read(file('fuite.csv.gz', gzipSync(csv)));
    expect(r.error).toBeUndefined();
    expect(tablesOf(r)).toEqual([['fuite.csv.gz', 'delimited', 'gzip']]);
    expect(rowsOf(r)).toEqual(csvRows);
    expect(r.bytes.at(-1)).toBe(statSync(join(dir, 'fuite.csv.gz')).size);
    const lines = await read(file('une.jsonl.gz', gzipSync('{"email":"paul.roux@exemple.fr"}')));
    expect(tablesOf(lines)).toEqual([['une.jsonl.gz', 'ndjson', 'gzip']]);
  });

  it('fails on a truncated gzip with the byte offset, after the rows it could read', async () => {
    const body = csv + 'Martin;Zoé;zoe.martin@exemple.fr;01 23 45 67 89\n'.repeat(30_000);
    const gz = gzipSync(body);
    const cut = gz.subarray(0, Math.floor(gz.length / 2));
    const r = await read(file('coupe.csv.gz', cut));
    expect(r.error).toMatchObject({ code: 'VIGIE_TRUNCATED', position: { file: 'coupe.csv.gz', byte: cut.length } });
    expect(rowsOf(r).length).toBeGreaterThan(1000);
  });

  it('refuses three archive layers', async () => {
    const r = await read(file('triple.gz', gzipSync(gzipSync(gzipSync(csv)))));
    expect(r.error).toMatchObject({ code: 'VIGIE_UNSAFE_ARCHIVE' });
    const two = await read(file('double.gz', gzipSync(gzipSync(csv))));
    expect(rowsOf(two)).toEqual(csvRows);
  });
});

describe('readSource: zip', () => {
  it('reads each member as a source of its own', async () => {
    const zip = await makeZip([
      { name: 'export/clients.csv', data: csv },
      { name: 'export/crm.json', data: json, method: 0 },
    ]);
    const r = await read(file('fuite.zip', zip));
    expect(r.error).toBeUndefined();
    expect(tablesOf(r)).toEqual([
      ['fuite.zip:export/clients.csv', 'delimited', 'zip'],
      ['fuite.zip:export/crm.json:clients', 'json', 'zip'],
    ]);
    expect(rowsOf(r)).toEqual([...csvRows, ['Roux', 'paul.roux@exemple.fr', '0612345678']]);
    expect(r.bytes.at(-1)).toBe(zip.length);
  });

  it('skips unsafe, encrypted, empty and unreadable members with a message, and reads the rest', async () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(200)]);
    const corrupt = gzipSync(csv);
    corrupt.fill(0xff, 12, 30);
    const zip = await makeZip([
      { name: '../../../tmp/evil.csv', data: csv },
      { name: 'secret.csv', data: csv, flags: 0x801 },
      { name: 'vide.csv', data: '' },
      { name: 'vide.csv.gz', data: gzipSync('') },
      { name: 'photo.png', data: png },
      { name: 'photo.png.gz', data: gzipSync(png) },
      { name: 'abime.csv.gz', data: corrupt },
      { name: 'ok.csv', data: csv },
    ]);
    const r = await read(file('mixte.zip', zip));
    expect(r.error).toBeUndefined();
    expect(skipsOf(r)).toEqual([
      ['mixte.zip:../../../tmp/evil.csv', 'unsafe entry name'],
      ['mixte.zip:secret.csv', 'encrypted entry'],
      ['mixte.zip:vide.csv', 'empty file'],
      ['mixte.zip:vide.csv.gz', 'empty file'],
      ['mixte.zip:photo.png', 'unsupported format'],
      ['mixte.zip:photo.png.gz', 'unsupported format'],
      ['mixte.zip:abime.csv.gz', 'corrupt data'],
    ]);
    expect(tablesOf(r)).toEqual([['mixte.zip:ok.csv', 'delimited', 'zip']]);
    expect(rowsOf(r)).toEqual(csvRows);
  });

  it('opens one nested archive level, and skips a deeper one', async () => {
    const inner = await makeZip([{ name: 'in.csv', data: csv }]);
    const deepest = await makeZip([{ name: 'x.zip', data: inner }]);
    const zip = await makeZip([
      { name: 'a.csv.gz', data: gzipSync(csv), method: 0 },
      { name: 'b.zip', data: inner },
      { name: 'c.zip', data: deepest },
    ]);
    const r = await read(file('gigogne.zip', zip));
    expect(r.error).toBeUndefined();
    expect(tablesOf(r)).toEqual([
      ['gigogne.zip:a.csv.gz', 'delimited', 'zip>gzip'],
      ['gigogne.zip:b.zip:in.csv', 'delimited', 'zip>zip'],
    ]);
    expect(skipsOf(r)).toEqual([['gigogne.zip:c.zip:x.zip', 'nested archive too deep']]);
  });

  it('refuses a zip bomb fast', async () => {
    const bomb = await makeZip([
      { name: 'a.csv', data: csv },
      { name: 'zeros.csv', zeros: 200 << 20 },
    ]);
    const t = performance.now();
    const r = await read(file('bombe.zip', bomb));
    expect(performance.now() - t).toBeLessThan(1000);
    expect(r.error).toMatchObject({ code: 'VIGIE_UNSAFE_ARCHIVE', position: { file: 'bombe.zip' } });
    expect(rowsOf(r)).toEqual(csvRows);
  });

  it('fails on a JSON member with a syntax error, after its rows', async () => {
    const zip = await makeZip([{ name: 'crm.json', data: '[{"nom":"Roux"},{"nom":"Petit",}]' }]);
    const r = await read(file('json.zip', zip));
    expect(rowsOf(r)).toEqual([['Roux']]);
    expect(r.error).toMatchObject({ code: 'VIGIE_SYNTAX', position: { file: 'json.zip:crm.json', line: 1, record: 2 } });
  });
});

describe('readSources', () => {
  it('reads files in sequence with progress across them', async () => {
    const a = file('s1.csv', csv);
    const b = file('s2.json', json);
    const bytes: number[] = [];
    const names: string[] = [];
    for await (const ev of readSources([a, b], { onBytes: (n) => bytes.push(n) })) if (ev.kind === 'table') names.push(ev.name);
    expect(names).toEqual([a, `${b}:clients`]);
    expect(bytes.at(-1)).toBe(statSync(a).size + statSync(b).size);
  });
});

describe('readSource on office documents', () => {
  async function readAll(file: string): Promise<ReadEvent[]> {
    const out: ReadEvent[] = [];
    for await (const ev of readSource(file, { displayName: file })) out.push(ev);
    return out;
  }

  it('reads an xlsx workbook as its sheets (src/read/xlsx/ has the details)', async () => {
    const file = join(dir, 'clients.xlsx');
    writeFileSync(
      file,
      await makeZip([
        { name: '[Content_Types].xml', data: '<?xml version="1.0"?><Types/>' },
        {
          name: 'xl/workbook.xml',
          data: '<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Clients" sheetId="1" r:id="rId1"/></sheets></workbook>',
        },
        {
          name: 'xl/_rels/workbook.xml.rels',
          data: '<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        },
        {
          name: 'xl/worksheets/sheet1.xml',
          data: '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>email</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>eloise.lefevre@exemple.fr</t></is></c></row></sheetData></worksheet>',
        },
      ]),
    );
    const events = await readAll(file);
    expect(events[0]).toMatchObject({ kind: 'table', name: `${file}:Clients`, format: 'xlsx', headerRow: ['email'] });
    expect(events[1]).toMatchObject({ kind: 'rows', rows: [['eloise.lefevre@exemple.fr']] });
  });

  it('reads an OpenDocument spreadsheet as its sheets (src/read/ods/ has the details) and refuses an OpenDocument text', async () => {
    const file = join(dir, 'clients.ods');
    const content = (body: string): string =>
      `<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>${body}</office:body></office:document-content>`;
    writeFileSync(
      file,
      await makeZip([
        { name: 'mimetype', data: 'application/vnd.oasis.opendocument.spreadsheet', method: 0 },
        {
          name: 'content.xml',
          data: content(
            '<office:spreadsheet><table:table table:name="Clients"><table:table-row><table:table-cell office:value-type="string"><text:p>email</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell office:value-type="string"><text:p>eloise.lefevre@exemple.fr</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>',
          ),
        },
      ]),
    );
    const events = await readAll(file);
    expect(events[0]).toMatchObject({ kind: 'table', name: `${file}:Clients`, format: 'ods', headerRow: ['email'] });
    expect(events[1]).toMatchObject({ kind: 'rows', rows: [['eloise.lefevre@exemple.fr']] });
    const odt = join(dir, 'lettre.odt');
    writeFileSync(
      odt,
      await makeZip([
        { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text', method: 0 },
        { name: 'content.xml', data: content('<office:text><text:p>Cher client,</text:p></office:text>') },
      ]),
    );
    const err = await readAll(odt).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VigieError);
    expect((err as VigieError).code).toBe('VIGIE_BAD_FORMAT');
    expect((err as Error).message).toMatch(/lettre\.odt.*office document.*save each table as CSV/);
  });
});
