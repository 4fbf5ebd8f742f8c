import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digest, mask, pseudonyms, stats } from '../test-helpers/contract.helpers.js';
import { openStore } from '../index.js';
import { sortRun } from './runs.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigie-runs-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function scratch(n: number) {
  return { hi: new Uint32Array(n), idx: new Uint32Array(n), tmp: new Uint32Array(n), count: new Uint32Array(65537) };
}

/** The reference: every distinct key once, in byte order, with the OR of its masks. */
function reference(keys: Buffer, masks: Uint32Array): [string, number][] {
  const m = new Map<string, number>();
  for (let i = 0; i < masks.length; i++) {
    const k = keys.subarray(i * 16, (i + 1) * 16).toString('hex');
    m.set(k, ((m.get(k) ?? 0) | masks[i]!) >>> 0);
  }
  return [...m].sort((a, b) => Buffer.compare(Buffer.from(a[0], 'hex'), Buffer.from(b[0], 'hex')));
}

describe('sortRun', () => {
  it('orders keys as memcmp does and folds duplicates, keys sharing their first bytes included', () => {
    const n = 5000;
    const keys = Buffer.from(new ArrayBuffer(n * 16));
    randomBytes(n * 16).copy(keys);
    // Keys that differ only after the fourth byte, or only in the last one, and exact duplicates.
    for (let i = 0; i < 400; i++) keys.copy(keys, (i + 1000) * 16, i * 16, i * 16 + 4);
    for (let i = 0; i < 200; i++) keys.copy(keys, (i + 2000) * 16, i * 16, i * 16 + 15);
    for (let i = 0; i < 300; i++) keys.copy(keys, (i + 3000) * 16, (i + 10) * 16, (i + 11) * 16);
    keys.fill(0xff, 4000 * 16, 4001 * 16);
    keys.fill(0x00, 4001 * 16, 4002 * 16);
    const masks = new Uint32Array(n).map((_, i) => (1 << (i % 31)) >>> 0);
    const outKeys = Buffer.from(new ArrayBuffer(n * 16));
    const outMasks = new Uint32Array(n);
    const m = sortRun(keys, masks, n, outKeys, outMasks, scratch(n));
    const got: [string, number][] = [];
    for (let j = 0; j < m; j++) got.push([outKeys.subarray(j * 16, (j + 1) * 16).toString('hex'), outMasks[j]!]);
    const want = reference(keys, masks);
    expect(m).toBe(want.length);
    expect(m).toBeLessThan(n - 290);
    expect(got).toEqual(want);
  });

  it('sorts an empty run and a run of one key', () => {
    const keys = Buffer.from(new ArrayBuffer(16));
    keys.fill(7);
    const out = Buffer.from(new ArrayBuffer(16));
    const outMasks = new Uint32Array(1);
    expect(sortRun(keys, new Uint32Array([5]), 0, out, outMasks, scratch(1))).toBe(0);
    expect(sortRun(keys, new Uint32Array([5]), 1, out, outMasks, scratch(1))).toBe(1);
    expect([out.equals(keys), outMasks[0]]).toEqual([true, 5]);
  });
});

describe('a SQLite load staged as sorted runs', () => {
  it('publishes the same rows whatever the run size: many runs, merged runs, keys across runs, appends', async () => {
    const e = mask('email');
    const p = mask('phone');
    /** Loads four batches (duplicates inside and across them), then appends an overlapping file. */
    const scenario = async (label: string, sqliteRuns?: { runRows: number; maxRuns: number }) => {
      const store = await openStore(`sqlite:${label}.db`, dir, sqliteRuns ? { sqliteRuns } : {});
      const load = await store.beginLoad({ breach: { Name: 'Runs' }, append: false, fileDigests: [digest(`${label}-1`)] });
      await load.write(pseudonyms(0, 100), new Uint32Array(100).fill(e));
      await load.write(pseudonyms(50, 150), new Uint32Array(100).fill(p)); // 50..99 twice: masks OR-ed
      await load.write(Buffer.concat([pseudonyms(7, 8), pseudonyms(7, 8), pseudonyms(140, 141)]), new Uint32Array([e, e, e]));
      await load.write(pseudonyms(150, 230), new Uint32Array(80).fill(e));
      const first = await load.commit(stats(283));
      const more = await store.beginLoad({ breach: { Name: 'Runs' }, append: true, fileDigests: [digest(`${label}-2`)] });
      await more.write(pseudonyms(200, 260), new Uint32Array(60).fill(p)); // 200..229 already in
      const second = await more.commit(stats(60));
      const found = await store.lookupMany('Runs', pseudonyms(0, 270));
      await store.close();
      return { inserted: [first.inserted, second.inserted], identifiers: second.entry.stats.identifiers, found: [...found] };
    };
    const oneRun = await scenario('one-run');
    expect(oneRun.inserted).toEqual([230, 30]);
    expect(oneRun.identifiers).toBe(260);
    const want = Array.from({ length: 270 }, (_, i) => {
      if (i >= 260) return 0;
      let m = 0;
      if (i < 100 || (i >= 140 && i < 141) || (i >= 150 && i < 230)) m |= e;
      if ((i >= 50 && i < 150) || i >= 200) m |= p;
      return m >>> 0;
    });
    expect(oneRun.found).toEqual(want);
    // Runs of 13 rows, merged into one every 4 runs: the same store, row for row.
    expect(await scenario('small-runs', { runRows: 13, maxRuns: 4 })).toEqual(oneRun);
    expect(await scenario('tiny-runs', { runRows: 1, maxRuns: 2 })).toEqual(oneRun);
  });

  it("drops an aborted load's runs: the next load of the same file starts empty", async () => {
    const store = await openStore('sqlite:clean.db', dir, { sqliteRuns: { runRows: 10, maxRuns: 3 } });
    const load = await store.beginLoad({ breach: { Name: 'Clean' }, append: false, fileDigests: [digest('c1')] });
    await load.write(pseudonyms(0, 95), new Uint32Array(95).fill(1));
    await load.abort();
    const again = await store.beginLoad({ breach: { Name: 'Clean' }, append: false, fileDigests: [digest('c1')] });
    await again.write(pseudonyms(0, 95), new Uint32Array(95).fill(1));
    expect((await again.commit(stats(95))).inserted).toBe(95);
    expect([...(await store.lookupMany('Clean', pseudonyms(90, 96)))]).toEqual([1, 1, 1, 1, 1, 0]);
    await store.close();
  });
});
