/**
 * JSON exported from PostgreSQL through a text `COPY` (`COPY (SELECT row_to_json(t) FROM t) TO
 * STDOUT`), which doubles every backslash of the JSON: the generator's people are loaded into
 * PostgreSQL and exported so by the real `psql`; records and per-class counts must equal the
 * ground truth, and values holding quotes, backslashes and line breaks read back as stored.
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
import { readJson } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-json-pgcopy-'));
const schema = `vigie_json_pgcopy_${process.pid}`;
const psql = (...args: string[]): Buffer => execFileSync('psql', [...PSQL, ...args], { maxBuffer: 1 << 26 });
let truth: GroundTruth;

beforeAll(async () => {
  truth = await peopleInPostgres(schema, dir, 800, 84);
  psql(
    '-c',
    `CREATE TABLE ${schema}.bizarre (id int, note text)`,
    '-c',
    `INSERT INTO ${schema}.bizarre VALUES (1, 'Boulangerie "Au Bon Pain"'), (2, E'C:\\\\Clients\\\\nouveau'), (3, E'ligne 1\\nligne 2'), (4, 'Zoë 😀')`,
  );
}, 60_000);

afterAll(() => {
  try {
    psql('-c', `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const copyJson = (table: string): Buffer => psql('-c', `COPY (SELECT row_to_json(t) FROM (SELECT * FROM ${schema}.${table}) t) TO STDOUT`);

describe('JSON Lines written through COPY', () => {
  it('the generated people equal the ground truth', async () => {
    const out = copyJson('personnes');
    expect(out.toString()).toContain('\\\\"'); // the doubled backslash before a quote
    const file = join(dir, 'people.ndjson');
    writeFileSync(file, out);
    const r = await ingest({ files: [file], breach: { name: 'Copie' }, dryRun: true, workers: 0 });
    expect(r.tables[0]?.meta['escapes']).toBe('postgres COPY text');
    expect(r.skipped).toBe(0);
    expect(r.records).toBe(truth.rows);
    expect(r.people).toBe(truth.people);
    expectClassesOf(r, truth);
  });

  it('quotes, backslashes, line breaks and emoji read back as stored', async () => {
    const { rows } = await readText(readJson, 'bizarre.ndjson', copyJson('bizarre ORDER BY id').toString());
    expect(rows.map((r) => r[1])).toEqual(['Boulangerie "Au Bon Pain"', 'C:\\Clients\\nouveau', 'ligne 1\nligne 2', 'Zoë 😀']);
  });

  it('plain JSON Lines with escaped backslashes are read as they are', async () => {
    const text = `${JSON.stringify({ id: 1, chemin: 'C:\\Clients\\nouveau' })}\n${JSON.stringify({ id: 2, chemin: 'dit "oui"' })}\n`;
    const { rows } = await readText(readJson, 'plain.ndjson', text);
    expect(rows.map((r) => r[1])).toEqual(['C:\\Clients\\nouveau', 'dit "oui"']);
  });
});
