/**
 * HTML tables as the real programs write them: `mysql -H`, `psql -H`, sqlite3's `.mode html`
 * and LibreOffice's HTML export of a workbook, each of the generator's people, ingested against
 * the ground truth; hand-made awkward people (a line break, an entity, NULL, an empty value)
 * read back cell for cell; and what pages and hostile files do.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDataset } from '../../gen/index.js';
import { ingest } from '../../ingest/index.js';
import { expectClassesOf, MYSQL, PSQL, peopleInMariaDb, peopleInPostgres } from '../../test-helpers/people.js';
import { readSource, type Cell, type ReadEvent } from '../index.js';
import { readText } from '../test-helpers/events.js';
import { readHtml } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vigie-html-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (file: string) => ingest({ files: [file], breach: { name: 'Html' }, dryRun: true, workers: 0 });

async function tables(path: string): Promise<{ name: string; header: Cell[] | undefined; rows: Cell[][] }[]> {
  const out: { name: string; header: Cell[] | undefined; rows: Cell[][] }[] = [];
  for await (const ev of readSource(path, { displayName: 'page.html' }) as AsyncIterable<ReadEvent>) {
    if (ev.kind === 'table') out.push({ name: ev.name, header: ev.headerRow, rows: [] });
    else if (ev.kind === 'rows') out.at(-1)?.rows.push(...ev.rows);
  }
  return out;
}

const page = (html: string): string => {
  const path = join(dir, `p${Math.random().toString(36).slice(2)}.html`);
  writeFileSync(path, html);
  return path;
};

describe('the generator’s people printed as HTML by the real programs', () => {
  it('mysql -H and psql -H give the ground truth', async () => {
    const my = await peopleInMariaDb('vigie_html', dir, 800, 401);
    const myHtml = join(dir, 'mysql.html');
    writeFileSync(myHtml, execFileSync('mysql', [...MYSQL, '-H', 'vigie_html', '-e', 'SELECT * FROM personnes'], { maxBuffer: 1 << 28 }));
    const r1 = await run(myHtml);
    expect(r1.tables.map((t) => [t.format, t.records, t.skipped])).toEqual([['html', 800, 0]]);
    expectClassesOf(r1, my);
    execFileSync('mysql', [...MYSQL, '-e', 'DROP DATABASE vigie_html']);

    const pg = await peopleInPostgres('vigie_html', dir, 700, 402);
    const pgHtml = join(dir, 'psql.html');
    writeFileSync(pgHtml, execFileSync('psql', [...PSQL, '-H', '-c', 'SELECT * FROM vigie_html.personnes'], { maxBuffer: 1 << 28 }));
    const r2 = await run(pgHtml);
    expect(r2.records).toBe(700);
    expectClassesOf(r2, pg);
    execFileSync('psql', [...PSQL, '-c', 'DROP SCHEMA vigie_html CASCADE']);
  }, 120_000);

  it('sqlite3 .mode html and LibreOffice’s HTML export of a workbook give the ground truth', async () => {
    const csv = join(dir, 'people.csv');
    const truth = await writeDataset({ out: csv, rows: 600, seed: 403, format: 'csv', columns: 'full', delimiter: ',' });
    const db = join(dir, 'people.db');
    execFileSync('sqlite3', [db, '.import --csv people.csv personnes'], { cwd: dir });
    const lite = join(dir, 'sqlite.html');
    writeFileSync(lite, execFileSync('sqlite3', ['-cmd', '.mode html', '-cmd', '.headers on', db, 'SELECT * FROM personnes'], { maxBuffer: 1 << 28 }));
    const r1 = await run(lite);
    expect(r1.records).toBe(600);
    expectClassesOf(r1, truth);

    const xlsx = join(dir, 'people.xlsx');
    execFileSync('/usr/bin/python3', [join(here, 'test-helpers', 'csv-to-text-xlsx.py'), csv, xlsx]);
    const out = join(dir, 'lo');
    execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${join(dir, 'lo-profile')}`, '--convert-to', 'html', '--outdir', out, xlsx], {
      stdio: 'ignore',
      timeout: 120_000,
    });
    expect(readdirSync(out)).toContain('people.html');
    const r2 = await run(join(out, 'people.html'));
    expect(r2.records).toBe(600);
    expectClassesOf(r2, truth);
  }, 180_000);
});

describe('cells as a person sees them', () => {
  it('reads awkward values back from each client: a line break, entities, NULL, an empty value', async () => {
    const rows: (string | null)[][] = [
      ['1', 'Lefèvre & fils', 'a<b>c', 'ligne 1\nligne 2'],
      ['2', 'Ørsted', null, ''],
    ];
    const q = (v: string | null): string => (v === null ? 'NULL' : `'${v.replace(/'/g, "''").replace(/\n/g, "' || char(10) || '")}'`);
    const db = join(dir, 'awkward.db');
    execFileSync('sqlite3', [db, `CREATE TABLE t (id, nom, note, autre); INSERT INTO t VALUES ${rows.map((r) => `(${r.map(q).join(', ')})`).join(', ')};`]);
    const lite = page(execFileSync('sqlite3', ['-cmd', '.mode html', '-cmd', '.headers on', db, 'SELECT * FROM t']).toString('utf8'));
    // sqlite3 writes NULL as an empty cell: it cannot be told from ''.
    expect(await tables(lite)).toEqual([{ name: 'page.html', header: ['id', 'nom', 'note', 'autre'], rows: [rows[0], ['2', 'Ørsted', '', '']] }]);

    const my = `DROP DATABASE IF EXISTS vigie_html2; CREATE DATABASE vigie_html2 CHARACTER SET utf8mb4; CREATE TABLE vigie_html2.t (id INT, nom TEXT, note TEXT, autre TEXT); INSERT INTO vigie_html2.t VALUES (1, 'Lefèvre & fils', 'a<b>c', 'ligne 1\\nligne 2'), (2, 'Ørsted', NULL, '')`;
    execFileSync('mysql', [...MYSQL, '-e', my]);
    const myHtml = page(execFileSync('mysql', [...MYSQL, '-H', '-e', 'SELECT * FROM vigie_html2.t']).toString('utf8'));
    expect(await tables(myHtml)).toEqual([{ name: 'page.html', header: ['id', 'nom', 'note', 'autre'], rows }]);
    execFileSync('mysql', [...MYSQL, '-e', 'DROP DATABASE vigie_html2']);

    const pgHtml = page(
      execFileSync('psql', [
        ...PSQL,
        '-H',
        '-c',
        "SELECT * FROM (VALUES (1, 'Lefèvre & fils', 'a<b>c', E'ligne 1\\nligne 2'), (2, 'Ørsted', NULL, '')) AS t(id, nom, note, autre)",
      ]).toString('utf8'),
    );
    // psql prints NULL and '' alike (a no-break space): both absent.
    expect(await tables(pgHtml)).toEqual([{ name: 'page.html', header: ['id', 'nom', 'note', 'autre'], rows: [rows[0], ['2', 'Ørsted', null, null]] }]);
  });

  it('reads each table of a page, spans, <br>, tables in cells, and passes over what is not a cell', async () => {
    const html = [
      '<!DOCTYPE html><html><head><title>Export</title><style>td { color: red }</style><script>var x = "<td>faux</td>";</script></head><body>',
      '<h1>Clients</h1><table><thead><tr><th>Nom</th><th colspan="2">Contact</th></tr></thead>',
      '<tbody><tr><td><b>Dupont</b></td><td>jean.dupont@exemple.fr</td><td>06&nbsp;12&nbsp;34&nbsp;56&nbsp;78</td></tr>',
      '<tr><td>Martin</td><td colspan="2">l.martin@exemple.org<br>autre ligne</td></tr>',
      '<tr><td>Roux<table><tr><td>dans</td><td>la cellule</td></tr></table></td><td>p.roux@exemple.fr</td><td></td></tr></tbody></table>',
      '<p>3 lignes</p><table border="1"><tr><td>Commandes</td></tr><tr><td>42</td></tr></table></body></html>',
    ].join('\n');
    expect(await tables(page(html))).toEqual([
      {
        name: 'page.html',
        header: ['Nom', 'Contact', null],
        rows: [
          ['Dupont', 'jean.dupont@exemple.fr', '06 12 34 56 78'],
          ['Martin', 'l.martin@exemple.org\nautre ligne', null],
          ['Roux dans la cellule', 'p.roux@exemple.fr', ''],
        ],
      },
      { name: 'page.html:table2', header: ['Commandes'], rows: [['42']] },
    ]);
  });
});

describe('hostile and odd files', () => {
  it('skips a record too long with its line and number, and reads on', async () => {
    const html = `<table>\n<tr><th>nom</th></tr>\n<tr><td>${'x'.repeat(5000)}</td></tr>\n<tr><td>Durand</td></tr>\n</table>`;
    const { events, rows } = await readText(readHtml, 'long.html', html, 100, 1000);
    expect(events.filter((e) => e.kind === 'skip')).toEqual([{ kind: 'skip', reason: 'record too long', position: { file: 'long.html', line: 3, record: 2 } }]);
    expect(rows).toEqual([['Durand']]);
  });

  it('skips a row wider than any table, without holding its cells', async () => {
    const wide = `<table><tr><th>nom</th></tr><tr>${'<td></td>'.repeat(200_000)}</tr><tr><td colspan="99999999">Durand</td></tr><tr><td>Roux</td></tr></table>`;
    const { events, rows } = await readText(readHtml, 'wide.html', wide, 65536);
    expect(events.filter((e) => e.kind === 'skip').map((e) => (e.kind === 'skip' ? [e.reason, e.position.record] : []))).toEqual([
      ['too many columns', 2],
      ['too many columns', 3],
    ]);
    expect(rows).toEqual([['Roux']]);
  });

  it('survives tags that never close, absurd nesting and a cut file, in bounded time', async () => {
    const deep = `<table><tr><td>a${'<table><tr><td>'.repeat(20_000)}b`;
    const t0 = performance.now();
    const r = await tables(page(deep));
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(r).toHaveLength(1);
    expect(r[0]?.header?.[0]).toMatch(/^a b/);
    expect(await tables(page('<TABLE BORDER=1><TR><TH>nom</TH><TH>email</TH></TR><TR><TD>Durand</TD><TD>a.durand@exem'))).toEqual([
      { name: 'page.html', header: ['nom', 'email'], rows: [['Durand', 'a.durand@exem']] },
    ]);
  });

  it('refuses a page with no table, as it did', async () => {
    await expect(tables(page('<!DOCTYPE html><html><body><p>Rien ici</p></body></html>'))).rejects.toThrow(/HTML page with no table/);
  });
});
