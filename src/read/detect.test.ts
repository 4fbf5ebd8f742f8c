import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect.js';
import type { SourceFormat } from './types.js';

const b = (s: string) => Buffer.from(s, 'utf8');
const csv = 'nom;prénom;email\nLefèvre;Éloïse;eloise.lefevre@exemple.fr\n';

const table: Array<[string, Buffer, SourceFormat, string?]> = [
  ['gzip magic', gzipSync(csv), 'gzip'],
  ['zip local header', Buffer.from('504b0304140000000800', 'hex'), 'zip'],
  ['empty zip', Buffer.from('504b0506' + '00'.repeat(18), 'hex'), 'zip'],
  [
    'flat OpenDocument spreadsheet',
    b(
      '<?xml version="1.0" encoding="UTF-8"?>\n\n<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">',
    ),
    'ods',
  ],
  ['JSON array', b('[\n  {"nom": "Lefèvre", "email": "eloise.lefevre@exemple.fr"}\n]'), 'json'],
  ['JSON array of arrays', b('[["Dupont","Jean"]]'), 'json'],
  ['JSON object', b('  {"users": [{"nom": "Lefèvre"}]}'), 'json'],
  ['pretty object', b('{\n  "nom": "Lefèvre"\n}\n'), 'json'],
  ['NDJSON', b('{"nom":"Lefèvre"}\n{"nom":"N\'Diaye"}\n'), 'ndjson'],
  ['NDJSON, CRLF and blank lines', b('{"nom":"Lefèvre"}\r\n\r\n{"nom":"Roux"}\r\n'), 'ndjson'],
  ['one JSON line named .jsonl', b('{"nom":"Lefèvre"}'), 'ndjson', 'fuite.jsonl'],
  ['one JSON line named .json', b('{"nom":"Lefèvre"}\n'), 'json', 'fuite.json'],
  ['JSON named .csv', b('[{"a":1}]'), 'json', 'fuite.csv'],
  ['mysqldump header', b('-- MySQL dump 10.13  Distrib 8.0.36\n--\n-- Host: localhost\n'), 'mysqldump'],
  ['MariaDB header', b('-- MariaDB dump 10.19  Distrib 10.11.6-MariaDB\n'), 'mysqldump'],
  ['conditional comment', b('/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n'), 'mysqldump'],
  ['backticked INSERT', b("INSERT INTO `clients` VALUES (1,'Lefèvre');\n"), 'mysqldump'],
  ['pg_dump header', b('--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;\n'), 'pgdump'],
  ['COPY block', b('COPY public.clients (id, nom) FROM stdin;\n1\tLefèvre\n\\.\n'), 'pgdump'],
  ['pg settings', b("SET standard_conforming_strings = on;\nINSERT INTO public.clients VALUES (1, 'x');\n"), 'pgdump'],
  ['plain SQL, pg quoting', b('INSERT INTO "clients" VALUES (1, \'x\');\n'), 'pgdump'],
  ['pg_dump -Fc archive', Buffer.concat([b('PGDMP'), Buffer.from([1, 14, 0, 4, 8, 1, 0, 0, 0, 0, 0])]), 'pgcustom'],
  ['PGDMP that is not an archive', b('PGDMP;nom\n1;Dupont\n'), 'delimited'],
  ['plain SQL', b("CREATE TABLE clients (id int);\nINSERT INTO clients VALUES (1, 'x');\n"), 'mysqldump'],
  ['CSV', b(csv), 'delimited'],
  ['CSV starting with a bracket', b('[Section];x\na;b\n'), 'delimited'],
  ['CSV starting with a brace', b('{a;b}\n1;2\n'), 'delimited'],
  ['CSV with UTF-8 BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b(csv)]), 'delimited'],
  ['JSON with UTF-8 BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b('[{"a":1}]')]), 'json'],
  ['CSV in Windows-1252', iconv.encode(csv, 'windows-1252'), 'delimited'],
  ['CSV in UTF-16LE with BOM', iconv.encode(`\ufeff${csv}`, 'utf16le'), 'delimited'],
  ['JSON in UTF-16LE without BOM', iconv.encode('[{"nom":"Lefèvre"}]\n', 'utf16le'), 'json'],
  ['NDJSON in UTF-16BE with BOM', iconv.encode('\ufeff{"a":1}\n{"a":2}\n', 'utf16-be'), 'ndjson'],
  ['mysqldump in UTF-16LE', iconv.encode('\ufeff-- MySQL dump 10.13\n', 'utf16le'), 'mysqldump'],
  [
    'SQLite database header',
    Buffer.concat([b('SQLite format 3\0'), Buffer.from('100001014020202000000005', 'hex'), Buffer.alloc(72)]),
    'sqlite',
    'boutique.csv',
  ],
  // [MS-CFB] §2.2: the signature, whatever the name; the xls reader tells a workbook from a Word document.
  ['OLE compound file header', Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]), 'xls', 'clients.csv'],
];

describe('detectFormat', () => {
  it.each(table)('%s', (_label, sample, expected, name) => {
    expect(detectFormat(sample, name ?? 'fuite')).toBe(expected);
  });

  it('takes the extension hint from hintName when given', () => {
    expect(detectFormat(b('{"a":1}'), 'fuite.jsonl.gz', 'fuite.jsonl')).toBe('ndjson');
  });

  it('refuses empty and blank input', () => {
    expect(() => detectFormat(Buffer.alloc(0), 'vide.csv')).toThrow(expect.objectContaining({ code: 'VIGIE_EMPTY_FILE', message: 'vide.csv: file is empty' }));
    expect(() => detectFormat(b(' \r\n\t\n'), 'blanc.csv')).toThrow(expect.objectContaining({ code: 'VIGIE_EMPTY_FILE' }));
    expect(() => detectFormat(Buffer.from([0xef, 0xbb, 0xbf]), 'bom.csv')).toThrow(expect.objectContaining({ code: 'VIGIE_EMPTY_FILE' }));
  });

  it('refuses a Microsoft Access database with what to do', () => {
    for (const kind of ['Jet', 'ACE']) {
      const mdb = Buffer.concat([Buffer.from([0, 1, 0, 0]), Buffer.from(`Standard ${kind} DB\0`, 'latin1'), Buffer.alloc(2048, 0x4f)]);
      expect(() => detectFormat(mdb, 'clients.mdb')).toThrow(
        expect.objectContaining({
          code: 'VIGIE_BAD_FORMAT',
          message: expect.stringContaining('clients.mdb: a Microsoft Access database, not read: export each table to CSV'),
        }),
      );
    }
  });

  it('refuses binary garbage, naming the file and the cause', () => {
    let seed = 42;
    const garbage = Buffer.alloc(4096);
    for (let i = 0; i < garbage.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      garbage[i] = seed >>> 16;
    }
    expect(() => detectFormat(garbage, 'dump.bin')).toThrow(
      expect.objectContaining({ code: 'VIGIE_BAD_FORMAT', message: 'dump.bin: binary content, not text or a supported archive' }),
    );
    // Under a database's name (an encrypted SQLCipher file looks like this): a word about it.
    expect(() => detectFormat(garbage, 'app.db')).toThrow(
      'app.db: binary content, not a SQLite database (an encrypted one, SQLCipher, cannot be read without its key), not text or a supported archive',
    );
    expect(() => detectFormat(garbage, 'app.sqlite.gz', 'app.sqlite')).toThrow(/SQLCipher/);
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64)]);
    expect(() => detectFormat(png, 'photo.csv')).toThrow(expect.objectContaining({ code: 'VIGIE_BAD_FORMAT' }));
  });

  it('tells a tar archive by its ustar magic, whatever the name', () => {
    const tar = Buffer.alloc(1024);
    tar.write('clients.csv', 0);
    tar.write('0000644\u0000', 100);
    tar.write('ustar\u000000', 257);
    expect(detectFormat(tar, 'fuite.csv')).toBe('tar');
    tar.write('ustar  \u0000', 257); // GNU
    expect(detectFormat(tar, 'fuite.tar')).toBe('tar');
  });

  it('names known formats it does not read', () => {
    expect(() => detectFormat(b('%PDF-1.7\n%âãÏÓ\n'), 'a.pdf')).toThrow(/PDF document/);
    expect(() => detectFormat(b('<!DOCTYPE html><html>'), 'a.html')).toThrow(/HTML page with no table/);
    expect(() => detectFormat(b('<!-- page -->\n<html lang="fr"><body>'), 'a.htm')).toThrow(/HTML page with no table/);
    expect(detectFormat(b('<!DOCTYPE html><html><body><h1>Export</h1><table><tr><td>Durand</td></tr></table>'), 'a.htm')).toBe('html');
    const excel2003 = '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">';
    expect(detectFormat(b(excel2003), 'a.xml')).toBe('spreadsheetml');
  });

  it('sends other XML to the XML reader of records, whatever it is named', () => {
    expect(detectFormat(b('<?xml version="1.0"?><clients/>'), 'a.xml')).toBe('xml');
    expect(detectFormat(b('<!DOCTYPE personnes [\n<!ELEMENT personnes (DATA_RECORD*)>\n]>\n<personnes><DATA_RECORD>'), 'a.txt')).toBe('xml');
    // PostgreSQL's query_to_xml opens with <table>, as an HTML table does, but holds no <tr>.
    expect(detectFormat(b('<table xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n\n<row>\n  <nom>Durand</nom>\n</row>'), 'a.xml')).toBe('xml');
    expect(detectFormat(b('<table border="1">\n  <tr>\n    <th align="center">nom</th>'), 'a.html')).toBe('html');
    expect(detectFormat(b('<TR><TH>nom</TH>\n<TH>email</TH>\n</TR>'), 'a.txt')).toBe('html');
  });

  it('defaults the file name in messages', () => {
    expect(() => detectFormat(Buffer.alloc(0))).toThrow('(input): file is empty');
  });
});
