/**
 * Objects keyed by record identifiers, as Firebase's Realtime Database exports a collection
 * (`{"users": {"-NaB…": {...}}}`, compact on one line) and as apps keep users by e-mail: the
 * generator's people, written as a JSON array by `vigie gen`'s writer, then keyed, must give
 * the ground truth as the array itself does.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GroundTruth, writeDataset } from '../../gen/index.js';
import { ingest } from '../../ingest/index.js';
import { readJson } from './index.js';
import { collect, oneChunk } from './test-helpers/collect.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-keyed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Firebase push ids: 20 characters of its alphabet, the first a time stamp (here a counter). */
const ALPHABET = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
function pushId(i: number): string {
  let id = '';
  for (let k = 0, n = i * 7919 + 1; k < 19; k++, n = Math.floor(n / 3) + k * 31) id += ALPHABET[n % 64];
  return `-${id}`;
}

let truth: GroundTruth;
let people: Record<string, unknown>[];

beforeAll(async () => {
  const file = join(dir, 'people.json');
  truth = await writeDataset({ out: file, rows: 1200, seed: 45, format: 'json', columns: 'full' });
  people = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[];
});

async function expectTruth(file: string): Promise<void> {
  const r = await ingest({ files: [file], breach: { name: 'Keyed' }, dryRun: true, workers: 0 });
  expect(r.records).toBe(truth.rows + 1); // and the wrapper's own record (`"schemaVersion"`)
  expect(r.skipped).toBe(0);
  expect(r.people).toBe(truth.people);
  for (const [cls, t] of Object.entries(truth.dataClasses)) {
    if (t.valid === 0 && t.invalid === 0) continue;
    expect(r.dataClasses[cls], cls).toEqual(expect.objectContaining({ valid: t.valid, invalid: t.invalid, distinct: t.distinct }));
  }
}

describe('objects keyed by record identifiers', () => {
  it('a Firebase export (push ids, one line): one record per key, the key in _key', async () => {
    expect(pushId(0)).toMatch(/^-[0-9A-Za-z_-]{19}$/);
    const users = Object.fromEntries(people.map((p, i) => [pushId(i), p]));
    const file = join(dir, 'firebase.json');
    writeFileSync(file, JSON.stringify({ schemaVersion: 3, users }));
    await expectTruth(file);
    const { events } = await collect(readJson(oneChunk(readFileSync(file, 'utf8')), { displayName: 'firebase.json' }));
    const table = events.find((e) => e.kind === 'table');
    expect(table).toMatchObject({ name: 'firebase.json:users', meta: { keyed: '_key', path: 'users' } });
    expect(table?.kind === 'table' && table.columns[0]).toBe('_key');
    const first = events.find((e) => e.kind === 'rows');
    expect(first?.kind === 'rows' && first.rows[0]?.[0]).toBe(pushId(0));
  });

  it('pretty-printed, numeric ids, at the top level', async () => {
    const file = join(dir, 'numeric.json');
    writeFileSync(file, JSON.stringify({ ...Object.fromEntries(people.map((p, i) => [String(1000 + i), p])) }, null, 2));
    const r = await ingest({ files: [file], breach: { name: 'Keyed' }, dryRun: true, workers: 0 });
    expect([r.records, r.people, r.tables.map((t) => t.name)]).toEqual([truth.rows, truth.people, [file]]);
  });

  it('keyed by e-mail: the keys are the e-mails, counted as such', async () => {
    const byMail: Record<string, unknown> = {};
    for (const [i, p] of people.entries()) {
      const { email, ...rest } = p as { email?: unknown };
      byMail[typeof email === 'string' && email !== '' && !(email in byMail) ? email : `sans-mail-${i}@exemple.invalid`] = rest;
    }
    const file = join(dir, 'by-mail.json');
    writeFileSync(file, JSON.stringify(byMail));
    const r = await ingest({ files: [file], breach: { name: 'Keyed' }, dryRun: true, workers: 0 });
    expect(r.records).toBe(truth.rows);
    expect(r.tables[0]?.columns[0]).toMatchObject({ name: '_key', dataClass: 'Email addresses' });
    expect(r.people).toBe(truth.people);
  });

  it('an object of fields keeps its meaning: a config is the wrapper record, an array beside it a table', async () => {
    const { events } = await collect(
      readJson(oneChunk(JSON.stringify({ stats2024: { theme: 'sombre', langue: 'fr' }, users: [{ email: 'zoe.muller@exemple.fr' }] })), {
        displayName: 'app.json',
      }),
    );
    expect(events.filter((e) => e.kind === 'table').map((e) => (e.kind === 'table' ? [e.name, e.columns] : []))).toEqual([
      ['app.json:users', ['email']],
      ['app.json', ['stats2024.theme', 'stats2024.langue']],
    ]);
  });

  it('a key that is not an identifier after the first one is still a record; bad JSON names its record', async () => {
    const { events } = await collect(readJson(oneChunk('{"u": {"1": {"a": 1}, "deux": {"a": 2}, "3": 4}}'), { displayName: 'k.json' }));
    const rows = events.flatMap((e) => (e.kind === 'rows' ? e.rows : []));
    // A row shorter than the columns lacks its trailing fields (the reader's contract).
    expect(rows).toEqual([
      ['1', '1'],
      ['deux', '2'],
      ['3', null, '4'],
    ]);
    const bad = await collect(readJson(oneChunk('{"u": {"1": {"a": 1}, "2": {"a": }}}'), { displayName: 'k.json' }));
    expect(bad.error).toMatchObject({ code: 'VIGIE_SYNTAX', position: { file: 'k.json', table: 'u', record: 2 } });
  });
});
