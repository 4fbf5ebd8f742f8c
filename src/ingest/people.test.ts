/**
 * People across files (issue 11, item 5): two files sharing 30 % of their people give the
 * union's people, whether they are read in one ingest or the second is appended later, on
 * both store engines. The truth is the generator's, for one file cut in two overlapping parts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDataset, type GroundTruth } from '../gen/index.js';
import { openStore, type Store } from '../store/index.js';
import { PG_URL } from '../test-helpers/services.js';
import { ingest } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'vigie-people-'));
const A = join(root, 'a.ndjson');
const B = join(root, 'b.ndjson');
const key = randomBytes(32);
let truth: GroundTruth;

beforeAll(async () => {
  // 1,700 records, no duplicate: A holds records 0–999, B records 700–1699, 300 of each in both.
  const whole = join(root, 'whole.ndjson');
  truth = await writeDataset({ out: whole, rows: 1700, seed: 11, format: 'ndjson', duplicateShare: 0 });
  const lines = readFileSync(whole, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  expect(lines).toHaveLength(1700);
  writeFileSync(A, `${lines.slice(0, 1000).join('\n')}\n`);
  writeFileSync(B, `${lines.slice(700).join('\n')}\n`);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const publish = (store: Store, name: string, files: string[], append: boolean, workers: number, memory?: number) =>
  ingest({ files, breach: { name }, dryRun: false, workers, memory, publish: { store, key, append } });

describe('people across the files of one ingest', () => {
  it('a dry run of both files counts the union, inline and on workers', async () => {
    for (const workers of [0, 2]) {
      const r = await ingest({ files: [A, B], breach: { name: 'Both' }, dryRun: true, workers });
      expect(r.records).toBe(2000);
      expect(r.people).toBe(truth.people);
      expect(r.peopleStandardError).toBeUndefined();
    }
  });
});

/** One ingest of both files, and one file then the other appended, into one store. */
function acrossFiles(open: () => Promise<Store>): void {
  let store: Store;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(() => store.close());

  it('one ingest and an append both give the union: exact, the truth', async () => {
    const together = await publish(store, 'Together', [A, B], false, 2);
    expect(together.published?.pwnCount).toBe(truth.people);

    const first = await publish(store, 'Appended', [A], false, 0);
    const second = await publish(store, 'Appended', [B], true, 2);
    expect(second.people).toBeLessThan(truth.people); // B alone
    expect(first.people + second.people).toBeGreaterThan(truth.people); // what a sum would say
    expect(second.published?.pwnCount).toBe(truth.people);
    expect(second.published?.pwnCountStandardError).toBeUndefined();
    const entry = await store.getBreach('Appended');
    expect(entry?.breach.PwnCount).toBe(truth.people);
    expect(entry?.stats.people).toBe(truth.people);

    // The same files again: nothing changes, nothing is counted twice.
    const again = await publish(store, 'Appended', [A, B], true, 0);
    expect(again.published?.changed).toBe(false);
    expect((await store.getBreach('Appended'))?.breach.PwnCount).toBe(truth.people);
  });

  it('under a small memory budget, both are estimates within their stated error', async () => {
    const memory = 2 * 1024 ** 2; // no room for exact sets: every count is a HyperLogLog estimate
    const together = await publish(store, 'SmallTogether', [A, B], false, 0, memory);
    await publish(store, 'SmallAppended', [A], false, 0, memory);
    const appended = await publish(store, 'SmallAppended', [B], true, 0, memory);
    for (const r of [together, appended]) {
      const e = r.published!.pwnCountStandardError!;
      expect(e).toBeGreaterThan(0);
      expect(Math.abs(r.published!.pwnCount - truth.people)).toBeLessThanOrEqual(3 * e * truth.people);
    }
    expect(Math.abs(together.published!.pwnCount - appended.published!.pwnCount)).toBeLessThanOrEqual(3 * 0.0081 * truth.people);
    expect((await store.getBreach('SmallAppended'))?.stats.peopleStandardError).toBeGreaterThan(0);
  });

  it('the kept sketch depends on the key: no unkeyed hash is stored', async () => {
    const other = randomBytes(32);
    const r = await ingest({ files: [A], breach: { name: 'OtherKey' }, dryRun: false, workers: 0, publish: { store, key: other, append: false } });
    expect(r.published?.pwnCount).toBe(r.people);
    const sketches = await storedSketches(store, ['Appended', 'OtherKey']);
    expect(sketches[0]!.length).toBe(1 + 8 * truth.people);
    // A's people are a subset of Appended's under the same key; under another key they share nothing.
    const values = (s: Buffer) => new Set(Array.from({ length: (s.length - 1) / 8 }, (_, i) => s.subarray(1 + 8 * i, 9 + 8 * i).toString('hex')));
    const mine = values(sketches[0]!);
    expect([...values(sketches[1]!)].filter((v) => mine.has(v))).toEqual([]);
  });

  it('retiring the leak drops its sketch', async () => {
    await store.retireBreach('Together');
    expect(await storedSketches(store, ['Together'])).toEqual([undefined]);
  });
}

let pgSchema = '';

/** The sketch each breach keeps, read from the engine's table. */
async function storedSketches(store: Store, names: string[]): Promise<(Buffer | undefined)[]> {
  const ids = await Promise.all(names.map((n) => store.getBreach(n)));
  if (store.engine === 'sqlite') {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(join(root, 'sqlite', 'vigie.db'), { readonly: true });
    try {
      return ids.map((e) => {
        const row = e && db.prepare('SELECT s.sketch FROM breach_people s JOIN breaches b ON b.id = s.breach_id WHERE b.name = ?').get(e.breach.Name);
        return (row as { sketch: Buffer } | undefined)?.sketch;
      });
    } finally {
      db.close();
    }
  }
  const sql = postgres(PG_URL, { onnotice: () => undefined });
  try {
    const out: (Buffer | undefined)[] = [];
    for (const e of ids) {
      const [row] = await sql.unsafe<{ sketch: Buffer }[]>(
        `SELECT s.sketch FROM ${pgSchema}.breach_people s JOIN ${pgSchema}.breaches b ON b.id = s.breach_id WHERE b.name = $1`,
        [e?.breach.Name ?? ''],
      );
      out.push(row?.sketch);
    }
    return out;
  } finally {
    await sql.end();
  }
}

describe('people across appended files: SQLite', () => {
  acrossFiles(() => openStore(undefined, join(root, 'sqlite')));
});

describe('people across appended files: PostgreSQL', () => {
  pgSchema = `vigie_people_${randomBytes(6).toString('hex')}`;
  afterAll(async () => {
    const sql = postgres(PG_URL, { onnotice: () => undefined });
    await sql.unsafe(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`);
    await sql.end();
  });
  acrossFiles(() => openStore(PG_URL, join(root, 'pg'), { schema: pgSchema }));
});
