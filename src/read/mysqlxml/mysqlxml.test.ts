/**
 * The reader on the committed fixtures (real `mysqldump --xml` and `mysql --xml` output, see
 * fixtures/make.sh) and on hostile files made by editing them: positions, resynchronisation after
 * a malformed row, bounded memory on a 100 MB field, column and depth caps, cut files.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VigieError } from '../../errors.js';
import { detectFormat } from '../detect.js';
import { MAX_COLUMNS } from '../limits.js';
import { chunked, collect, readAll } from '../sqldump/test-helpers/collect.js';
import type { ReadEvent } from '../types.js';
import { resultsetTable } from './document.js';
import { readMysqlXml } from './index.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const DUMP = fixture('dump.xml');
const RESULTSET = fixture('resultset.xml');
const opts = { displayName: 'dump.xml' };
const COLUMNS = ['id', 'nom', 'prénom', 'email', 'téléphone', 'date_naissance', 'ville', 'nir', 'notes'];

/** The line (1-based) of the n-th `<row>` of a text. */
function rowLine(text: string, n: number): number {
  let at = -1;
  for (let i = 0; i < n; i++) at = text.indexOf('<row>', at + 1);
  return text.slice(0, at).split('\n').length;
}

/** The text with its n-th `<row>…</row>` (1-based) passed through `edit`. */
function editRow(text: string, n: number, edit: (row: string) => string): string {
  let at = -1;
  for (let i = 0; i < n; i++) at = text.indexOf('<row>', at + 1);
  const end = text.indexOf('</row>', at) + '</row>'.length;
  return text.slice(0, at) + edit(text.slice(at, end)) + text.slice(end);
}

async function failure(text: AsyncIterable<string> | string, o: Partial<typeof opts & { maxRecordChars: number; maxDepth: number }> = {}) {
  const events: ReadEvent[] = [];
  try {
    for await (const ev of readMysqlXml(typeof text === 'string' ? chunked(text, 1, 300) : text, { ...opts, ...o })) events.push(ev);
  } catch (err) {
    if (!(err instanceof VigieError)) throw err;
    return { err, rows: events.flatMap((e) => (e.kind === 'rows' ? e.rows : [])) };
  }
  throw new Error('no error');
}

describe('readMysqlXml on real mysqldump --xml output', () => {
  it('one table with rows (the empty one gives none), its columns from table_structure, values exact', async () => {
    const r = await readAll(readMysqlXml, DUMP, opts);
    expect(r.tables.map((t) => [t.name, t.columns, t.meta])).toEqual([
      ['dump.xml:clients', COLUMNS, { table: 'clients', database: 'vigie_xml_fixture', columnsFrom: 'table_structure' }],
    ]);
    const rows = r.tables[0]?.rows ?? [];
    expect(rows).toHaveLength(5);
    expect(rows[0]).toEqual([
      '1',
      "O'Brien",
      'Seán',
      'sean.obrien@example.com',
      '06 39 98 12 34',
      '1969-08-20',
      "L'Haÿ-les-Roses",
      '169089403818116',
      'fidèle & <VIP>',
    ]);
    expect(rows[1]).toEqual(['2', 'Dupont', 'Élodie', 'elodie.dupont@example.org', null, '1985-03-02', 'Paris', null, '']);
    expect(rows[2]?.[8]).toBe('ligne 1\nligne 2');
    expect(rows[3]?.[8]).toBe('Très satisfaite 😀 !');
    expect(rows[4]?.[8]).toBeNull();
  });

  it.each([
    [1, 7],
    [1, 300],
    [4000, 9000],
  ])('gives the same events whatever the chunks (%i..%i characters)', async (min, max) => {
    const whole = await readAll(readMysqlXml, DUMP, opts);
    for (const seed of [1, 2, 3]) expect((await collect(readMysqlXml, chunked(DUMP, min, max, seed), opts)).events).toEqual(whole.events);
  });

  it('a mysql --xml result set: named after the table of its FROM, columns from the first row', async () => {
    const r = await readAll(readMysqlXml, RESULTSET, { displayName: 'r.xml' });
    expect(r.tables.map((t) => [t.name, t.columns, t.meta])).toEqual([['r.xml:clients', ['id', 'nom', 'email'], { table: 'clients', columnsFrom: 'row' }]]);
    expect(r.tables[0]?.rows.map((row) => row[0])).toEqual(['1', '2', '3', '4', '5']);
    // Two statements' documents one after the other, the second empty: one table each with rows.
    const two =
      RESULTSET +
      RESULTSET.replace(/<resultset statement="[^"]*"/, '<resultset statement="SELECT a.x FROM a, b"') +
      RESULTSET.replace(/<row>[\s\S]*<\/row>/, '');
    expect((await readAll(readMysqlXml, two, { displayName: 'r.xml' })).tables.map((t) => [t.name, t.rows.length])).toEqual([
      ['r.xml:clients', 5],
      ['r.xml:resultset', 5],
    ]);
  });

  it('names a result set from a plain SELECT only', () => {
    expect(resultsetTable('SELECT id, nom FROM clients\n')).toBe('clients');
    expect(resultsetTable('select * from `ma base`.`clients` where id &lt; 3 order by id limit 5')).toBe('ma base.clients');
    expect(resultsetTable('SELECT nom FROM clients c WHERE 1')).toBe('clients');
    expect(resultsetTable('SELECT * FROM a JOIN b USING (id)')).toBe('resultset');
    expect(resultsetTable('SELECT * FROM a, b')).toBe('resultset');
    expect(resultsetTable('SELECT * FROM (SELECT 1) t')).toBe('resultset');
    expect(resultsetTable('SELECT (SELECT max(id) FROM b) FROM a')).toBe('resultset');
    expect(resultsetTable('SELECT 1 UNION SELECT 2')).toBe('resultset');
    expect(resultsetTable('SHOW TABLES')).toBe('resultset');
  });

  it('places fields by name: another order, an unknown name (a new column), a missing one (NULL), a name twice', async () => {
    let text = editRow(DUMP, 2, (row) => row.replace(/(\t\t<field name="id">2<\/field>\n)(\t\t<field name="nom">Dupont<\/field>\n)/, '$2$1'));
    text = editRow(text, 3, (row) => row.replace('<field name="ville">Rennes</field>', '<field name="extra">x &amp; y</field>'));
    text = editRow(text, 4, (row) => row.replace('</row>', '<field name="nom">Autre</field></row>'));
    const r = await readAll(readMysqlXml, text, opts);
    expect(r.tables[0]?.columns).toEqual([...COLUMNS, 'extra', 'nom']);
    const rows = r.tables[0]?.rows ?? [];
    expect(rows[1]?.slice(0, 2)).toEqual(['2', 'Dupont']);
    expect(rows[2]?.slice(6)).toEqual([null, '190123523800185', 'ligne 1\nligne 2', 'x & y']);
    expect(rows[3]?.slice(9)).toEqual([null, 'Autre']);
    expect(rows[4]).toHaveLength(11);
  });

  it('character references, CDATA and a self-closing field without xsi:nil (the empty string); lines count the file, not the text', async () => {
    let text = editRow(DUMP, 2, (row) =>
      row.replace('<field name="notes"></field>', '<field name="notes">a&#10;b&#x263A;&unknown;&lt;<![CDATA[<&>]]></field>'),
    );
    text = editRow(text, 3, (row) => row.replace('<field name="ville">Rennes</field>', '<field name="ville" />'));
    text = editRow(text, 4, (row) => row.replace('<field name="nom">Nguyen</field>', '<field name="nom">\n\n</field>'));
    // A sixth row, malformed, after text holding line breaks and `&#10;`: its line is the file's.
    text = text.replace('</table_data>', '<row>\n<field name="id">6</field><b/></row>\n</table_data>');
    const r = await collect(readMysqlXml, chunked(text, 1, 20), opts);
    const rows = r.tables[0]?.rows ?? [];
    expect(rows[1]?.[8]).toBe('a\nb☺&unknown;<<&>');
    expect(rows[2]?.[6]).toBe('');
    expect(rows[3]?.[1]).toBe('\n\n');
    expect(r.tables[0]?.skips).toEqual([{ reason: 'malformed row', line: rowLine(text, 6), record: 6 }]);
    expect(rowLine(text, 6)).toBe(rowLine(DUMP, 5) + 13);
  });

  it('is detected after the XML declaration; other XML goes to the XML reader of records', () => {
    const b = (s: string) => Buffer.from(s);
    expect(detectFormat(b(DUMP), 'dump.xml')).toBe('mysqlxml');
    expect(detectFormat(b(RESULTSET), 'r.xml')).toBe('mysqlxml');
    expect(detectFormat(b(`\ufeff${DUMP}`), 'dump.txt')).toBe('mysqlxml');
    expect(detectFormat(Buffer.from(`\ufeff${RESULTSET}`, 'utf16le'), 'r.xml')).toBe('mysqlxml');
    // A statement that fills the sample before the namespace comes.
    expect(detectFormat(b(`<?xml version="1.0"?>\n<resultset statement="SELECT ${'x, '.repeat(40000)}y FROM t`), 'r.xml')).toBe('mysqlxml');
    expect(detectFormat(b('<?xml version="1.0"?>\n<mysqldump>\n<database name="a">'), 'a.xml')).toBe('xml');
    expect(detectFormat(b('<?xml version="1.0"?>\n<clients xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'), 'a.xml')).toBe('xml');
  });
});

describe('readMysqlXml on hostile files', () => {
  it('a malformed row is a skip at the line of its <row> and its record number; the rows after it are read', async () => {
    const cases: [string, (row: string) => string][] = [
      ['an element inside a field', (row) => row.replace('>Le Goff<', '><b>Le Goff</b><')],
      ['an unclosed field', (row) => row.replace('Le Goff</field>', 'Le Goff')],
      ['text between fields', (row) => row.replace('\t\t<field name="nom">', 'texte perdu <field name="nom">')],
      ['an unclosed row', (row) => row.replace('</row>', '')],
    ];
    for (const [what, edit] of cases) {
      const r = await collect(readMysqlXml, chunked(editRow(DUMP, 3, edit), 1, 50), opts);
      const t = r.tables[0];
      expect(t?.skips, what).toEqual([{ reason: 'malformed row', line: rowLine(DUMP, 3), record: 3 }]);
      expect(
        t?.rows.map((row) => row[0]),
        what,
      ).toEqual(['1', '2', '4', '5']);
    }
    const skip = (await readAll(readMysqlXml, editRow(DUMP, 3, cases[0]?.[1] ?? String), opts)).events.find((e) => e.kind === 'skip');
    expect(skip).toEqual({ kind: 'skip', reason: 'malformed row', position: { file: 'dump.xml', table: 'clients', line: rowLine(DUMP, 3), record: 3 } });
  });

  it('a field of 100 MB is a `record too long` skip, memory bounded, and reading goes on', async () => {
    const [head, tail] = DUMP.split('>Le Goff<') as [string, string];
    async function* big(): AsyncGenerator<string> {
      yield `${head}>`;
      const piece = 'Lorem ipsum dolor sit amet & co '.repeat(2048);
      for (let n = 0; n < 100 * 1024 * 1024; n += piece.length) yield piece;
      yield `<${tail}`;
    }
    const before = process.memoryUsage().heapUsed;
    let peak = 0;
    const events: ReadEvent[] = [];
    for await (const ev of readMysqlXml(big(), opts)) {
      events.push(ev);
      peak = Math.max(peak, process.memoryUsage().heapUsed - before);
    }
    const skips = events.filter((e) => e.kind === 'skip');
    expect(skips).toEqual([{ kind: 'skip', reason: 'record too long', position: { file: 'dump.xml', table: 'clients', line: rowLine(DUMP, 3), record: 3 } }]);
    expect(events.flatMap((e) => (e.kind === 'rows' ? e.rows.map((r) => r[0]) : []))).toEqual(['1', '2', '4', '5']);
    expect(peak).toBeLessThan(64 * 1024 * 1024);
  });

  it('10,000 fields in a row: `too many columns`, whether the columns come from a structure or from the first row', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => `<field name="c${i}">v</field>`).join('');
    const dump = editRow(DUMP, 2, (row) => row.replace('</row>', `${many}</row>`));
    expect((await readAll(readMysqlXml, dump, opts)).tables[0]?.skips).toEqual([{ reason: 'too many columns', line: rowLine(DUMP, 2), record: 2 }]);
    const rs = editRow(RESULTSET, 1, () => `<row>${many}</row>`);
    const r = await readAll(readMysqlXml, rs, opts);
    expect(r.tables[0]?.skips).toEqual([{ reason: 'too many columns', line: rowLine(RESULTSET, 1), record: 1 }]);
    expect(r.tables[0]?.columns).toEqual(['id', 'nom', 'email']);
    expect(r.tables[0]?.rows).toHaveLength(4);
    // Appending past the cap through unknown names is refused the same way.
    const grow = Array.from({ length: MAX_COLUMNS }, (_, i) => `<field name="n${i}">v</field>`).join('');
    const r2 = await readAll(
      readMysqlXml,
      editRow(DUMP, 4, (row) => row.replace('</row>', `${grow}</row>`)),
      opts,
    );
    expect(r2.tables[0]?.skips).toEqual([{ reason: 'too many columns', line: rowLine(DUMP, 4), record: 4 }]);
  });

  it('absurd nesting: refused past the depth limit outside rows, a malformed row inside one', async () => {
    const deep = `${'<a>'.repeat(100_000)}x${'</a>'.repeat(100_000)}`;
    const { err, rows } = await failure(DUMP.replace('<table_data name="clients">', `${deep}<table_data name="clients">`));
    const line = DUMP.slice(0, DUMP.indexOf('<table_data')).split('\n').length;
    expect(err).toMatchObject({ code: 'VIGIE_BAD_FORMAT', position: { file: 'dump.xml', line } });
    expect(err.message).toMatch(/nested deeper than 64/);
    expect(rows).toEqual([]);
    const inRow = await readAll(
      readMysqlXml,
      editRow(DUMP, 2, (row) => row.replace('</row>', `${deep}</row>`)),
      opts,
    );
    expect(inRow.tables[0]?.skips).toEqual([{ reason: 'malformed row', line: rowLine(DUMP, 2), record: 2 }]);
    expect(inRow.tables[0]?.rows).toHaveLength(4);
  });

  it('a file cut inside a row: the rows before, then VIGIE_TRUNCATED at that row', async () => {
    for (const cut of ['<field name="ville">Nî', '<field name="vi', '<row>']) {
      const at = DUMP.indexOf(cut, DUMP.indexOf('<field name="id">5<') - 10) + cut.length;
      const { err, rows } = await failure(DUMP.slice(0, at));
      expect(err, cut).toMatchObject({ code: 'VIGIE_TRUNCATED', position: { file: 'dump.xml', table: 'clients', line: rowLine(DUMP, 5), record: 5 } });
      expect(rows.map((r) => r[0])).toEqual(['1', '2', '3', '4']);
    }
    // Cut between rows: every row is read, the document is still cut.
    const between = DUMP.slice(0, DUMP.indexOf('<row>', DUMP.indexOf('Nguyen')));
    const { err, rows } = await failure(between);
    expect(err).toMatchObject({ code: 'VIGIE_TRUNCATED', position: { file: 'dump.xml', line: rowLine(DUMP, 5) } });
    expect(err.message).toMatch(/<\/mysqldump>/);
    expect(rows).toHaveLength(4);
  });

  it('malformed XML, a foreign root, a huge tag, an empty input: errors with file and line, no value in the message', async () => {
    const unquoted = await failure(editRow(DUMP, 4, (row) => row.replace('<field name="nom">', '<field name=nom>')));
    expect(unquoted.err).toMatchObject({ code: 'VIGIE_BAD_FORMAT', position: { file: 'dump.xml', line: rowLine(DUMP, 4) + 2 } });
    expect(unquoted.rows).toHaveLength(3);
    const foreign = await failure('<?xml version="1.0"?>\n<clients><row><field name="nom">Dupont</field></row></clients>');
    expect(foreign.err).toMatchObject({ code: 'VIGIE_BAD_FORMAT', position: { line: 2 } });
    expect(foreign.err.message).not.toContain('Dupont');
    const tag = await failure(
      editRow(DUMP, 2, (row) => row.replace('<field name="nom">', `<field name="nom" x="${'y'.repeat(70_000)}">`)),
      { maxRecordChars: 100 },
    );
    expect(tag.err).toMatchObject({ code: 'VIGIE_TOO_LARGE', position: { file: 'dump.xml' } });
    expect((await failure('')).err.code).toBe('VIGIE_EMPTY_FILE');
    const cut = await failure(DUMP.slice(0, DUMP.indexOf('Seán') + 2));
    expect(cut.err.message).not.toContain('Se');
  });
});
