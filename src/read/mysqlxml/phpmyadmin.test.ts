/**
 * phpMyAdmin's XML export: the generator's people are loaded into MariaDB and written by PHP
 * over `mysqli`, each value through PHP's own `htmlspecialchars`, laid out as phpMyAdmin 5.2's
 * export plugin lays them (`test-helpers/pma-export-xml.php`), with and without its structure
 * schemas; records and per-class counts must equal the ground truth, awkward values read back.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroundTruth } from '../../gen/index.js';
import { ingest } from '../../ingest/index.js';
import { expectClassesOf, MYSQL, mysqlLogin, peopleInMariaDb } from '../../test-helpers/people.js';
import { readSource, type Cell } from '../index.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-pma-xml-'));
const db = `vigie_pma_xml_${process.pid}`;
const SCRIPT = fileURLToPath(new URL('./test-helpers/pma-export-xml.php', import.meta.url));
let truth: GroundTruth;

const AWKWARD = ['Boulangerie "Au Bon Pain" & fils', "l'atelier <b>", 'ligne 1\nligne 2', 'Zoë 😀', null, ''];

/** phpMyAdmin's XML export of `tables`, by PHP. */
function pmaExport(what: 'structure' | 'data', ...tables: string[]): Buffer {
  return execFileSync('php', [SCRIPT, ...mysqlLogin(), db, what, ...tables], { maxBuffer: 1 << 26 });
}

beforeAll(async () => {
  truth = await peopleInMariaDb(db, dir, 1500, 86);
  const literal = (v: string | null): string => (v === null ? 'NULL' : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`);
  execFileSync('mysql', [
    ...MYSQL,
    db,
    '-e',
    `CREATE TABLE bizarre (id INT, note TEXT); INSERT INTO bizarre VALUES ${AWKWARD.map((v, i) => `(${i}, ${literal(v)})`).join(', ')}`,
  ]);
}, 60_000);

afterAll(() => {
  try {
    execFileSync('mysql', [...MYSQL, '-e', `DROP DATABASE IF EXISTS ${db}`]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("phpMyAdmin's XML export", () => {
  it.each(['structure', 'data'] as const)('with %s: one table per table name, the people equal the ground truth', async (what) => {
    const file = join(dir, `export-${what}.xml`);
    writeFileSync(file, pmaExport(what, 'personnes', 'bizarre'));
    expect(readFileSync(file, 'utf8')).toContain('<pma_xml_export version="1.0"');
    const r = await ingest({ files: [file], breach: { name: 'Export' }, dryRun: true, workers: 0 });
    expect(r.tables.map((t) => [t.name, t.records, t.skipped])).toEqual([
      [`${file}:personnes`, truth.rows, 0],
      [`${file}:bizarre`, AWKWARD.length, 0],
    ]);
    expect(r.people).toBe(truth.people);
    expectClassesOf(r, truth);
  });

  it('values read back as stored: quotes, ampersands, markup, line breaks, emoji; NULL as absent', async () => {
    const file = join(dir, 'bizarre.xml');
    writeFileSync(file, pmaExport('structure', 'bizarre'));
    const rows: Cell[][] = [];
    let meta: Record<string, string> = {};
    for await (const ev of readSource(file, { displayName: file })) {
      if (ev.kind === 'table') meta = ev.meta;
      if (ev.kind === 'rows') rows.push(...ev.rows);
      if (ev.kind === 'skip') throw new Error(`unexpected skip: ${ev.reason}`);
    }
    expect(meta).toEqual(expect.objectContaining({ database: db, layout: 'phpMyAdmin', null: 'NULL' }));
    expect(rows).toEqual(AWKWARD.map((v, i) => [String(i), v]));
  });

  it('an export cut inside a row fails with the line and the record, the rows before delivered', async () => {
    const whole = pmaExport('data', 'bizarre').toString();
    const file = join(dir, 'coupé.xml');
    writeFileSync(file, whole.slice(0, whole.indexOf('<column name="note">ligne 1')));
    const rows: Cell[][] = [];
    const read = async (): Promise<void> => {
      for await (const ev of readSource(file, { displayName: file })) if (ev.kind === 'rows') rows.push(...ev.rows);
    };
    await expect(read()).rejects.toMatchObject({ code: 'VIGIE_TRUNCATED', message: expect.stringMatching(/coupé\.xml.*line \d+.*record 3/) });
    expect(rows).toEqual([
      ['0', AWKWARD[0]],
      ['1', AWKWARD[1]],
    ]);
  });
});
