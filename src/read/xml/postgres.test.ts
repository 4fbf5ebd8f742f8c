/**
 * PostgreSQL's XML of tables (`table_to_xml`, `query_to_xml`, `schema_to_xml`, as tables or as
 * forests): the generator's people are loaded into PostgreSQL and written by the server itself;
 * records and per-class counts must equal the ground truth, awkward values read back as stored.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroundTruth } from '../../gen/index.js';
import { ingest } from '../../ingest/index.js';
import { expectClassesOf, peopleInPostgres, PSQL } from '../../test-helpers/people.js';
import { readText } from '../test-helpers/events.js';
import { readXml } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-pg-xml-'));
const schema = `vigie_pg_xml_${process.pid}`;
const psql = (...args: string[]): Buffer => execFileSync('psql', [...PSQL, ...args], { maxBuffer: 1 << 27 });
/** What one SQL/XML function returns, as the server writes it. */
const xml = (call: string): Buffer => psql('-At', '-c', `SELECT ${call}`);
let truth: GroundTruth;

const AWKWARD = ['Boulangerie "Au Bon Pain" & fils', 'ligne 1\nligne 2', null, '', '<b>gras</b> ]]> fin', 'Zoë 😀'];

beforeAll(async () => {
  truth = await peopleInPostgres(schema, dir, 1500, 87);
  const literal = (v: string | null): string => (v === null ? 'NULL' : `'${v.replace(/'/g, "''")}'`);
  psql(
    '-c',
    `CREATE TABLE ${schema}.bizarre (id int, note text); INSERT INTO ${schema}.bizarre VALUES ${AWKWARD.map((v, i) => `(${i}, ${literal(v)})`).join(', ')}`,
  );
}, 60_000);

afterAll(() => {
  try {
    psql('-c', `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

async function expectTruth(file: string, tables: [string, number][]): Promise<void> {
  const r = await ingest({ files: [file], breach: { name: 'Export' }, dryRun: true, workers: 0 });
  expect(r.tables.map((t) => [t.name.slice(file.length + 1), t.records, t.skipped])).toEqual(tables.map(([n, k]) => [n, k, 0]));
  expect(r.people).toBe(truth.people);
  expectClassesOf(r, truth);
}

describe("PostgreSQL's XML of tables", () => {
  it.each([
    ['table_to_xml', `table_to_xml('${schema}.personnes', true, false, '')`, 'personnes'],
    ['table_to_xml as a forest', `table_to_xml('${schema}.personnes', true, true, '')`, 'personnes'],
    ['query_to_xml without nulls', `query_to_xml('SELECT * FROM ${schema}.personnes', false, false, '')`, 'table'],
  ])('%s: the people equal the ground truth', async (_, call, name) => {
    const file = join(dir, `${name}-${call.length}.xml`);
    writeFileSync(file, xml(call));
    await expectTruth(file, [[name, truth.rows]]);
  });

  it.each([
    ['tables', false],
    ['forests', true],
  ])('schema_to_xml, %s: one table per table of the schema', async (_, forest) => {
    const file = join(dir, `schema-${forest}.xml`);
    writeFileSync(file, xml(`schema_to_xml('${schema}', true, ${forest}, '')`));
    await expectTruth(file, [
      ['bizarre', AWKWARD.length],
      ['personnes', truth.rows],
    ]);
  });

  it('values read back as stored (markup, ampersands, line breaks, emoji), xsi:nil as absent, whatever the chunking', async () => {
    const text = xml(`table_to_xml('${schema}.bizarre', true, false, '')`).toString();
    expect(text).toContain('xsi:nil="true"');
    for (const size of [text.length, 7, 1]) {
      const { columns, rows } = await readText(readXml, 'bizarre.xml', text, size);
      expect(columns).toEqual(['id', 'note']);
      expect(rows).toEqual(AWKWARD.map((v, i) => [String(i), v]));
    }
  });
});
