import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVigieError } from '../errors.js';
import { writeDataset } from '../gen/index.js';
import { openStore, type Store } from '../store/index.js';
import { ingest } from './index.js';
import { planFiles } from './plan.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-plan-'));
const A = join(dir, 'clients-2024.csv');
const B = join(dir, 'clients-2025.ndjson');
/** A's bytes under another name. */
const A2 = join(dir, 'copie-clients-2024.csv');
const key = randomBytes(32);
let store: Store;

beforeAll(async () => {
  await writeDataset({ out: A, rows: 300, seed: 31, format: 'csv', columns: 'standard' });
  await writeDataset({ out: B, rows: 200, seed: 32, format: 'ndjson', columns: 'ants' });
  copyFileSync(A, A2);
  store = await openStore(undefined, join(dir, 'data'));
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const size = (f: string): number => statSync(f).size;
const sha256 = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');
const entry = (f: string) => ({ path: f, bytes: size(f), records: 0, skipped: 0 });

describe('planFiles', () => {
  it('a dry run reads every file named, in order, with its size; nothing is deduplicated or begun', async () => {
    const plan = await planFiles({ files: [A, B, A], breach: { name: 'Crm' }, dryRun: true });
    expect(plan.files).toEqual([entry(A), entry(B), entry(A)]);
    expect(plan.toRead).toBe(plan.files);
    expect(plan.totalBytes).toBe(2 * size(A) + size(B));
    expect(plan.publication).toBeNull();
    expect(plan.known).toEqual([]);
  });

  it('names the first file that cannot be opened, by its position in the list', async () => {
    const missing = join(dir, 'absent.csv');
    const err = await planFiles({ files: [A, missing, join(dir, 'also-absent.csv')], breach: { name: 'Crm' }, dryRun: true }).catch((e: unknown) => e);
    expect(isVigieError(err) && err.code).toBe('VIGIE_FILE_NOT_FOUND');
    expect(isVigieError(err) && err.position).toEqual({ file: missing });
    expect((err as Error).message).toBe(`${missing}: cannot open file (no such file)`);
  });

  it('publishing needs a store', async () => {
    const err = await planFiles({ files: [A], breach: { name: 'Crm' }, dryRun: false }).catch((e: unknown) => e);
    expect(isVigieError(err) && err.code).toBe('VIGIE_INTERNAL');
  });

  it('publishing: the same file named twice, or under another name, is read once', async () => {
    const plan = await planFiles({ files: [A, B, A, A2], breach: { name: 'Twice' }, dryRun: false, publish: { store, key, append: false } });
    try {
      expect(plan.files.map((f) => f.path)).toEqual([A, B, A, A2]);
      expect(plan.toRead).toEqual([entry(A), entry(B)]);
      // The entries to read are the report's own: their counts are filled in as they are read.
      expect(plan.toRead[0]).toBe(plan.files[0]);
      expect(plan.toRead[1]).toBe(plan.files[1]);
      expect(plan.totalBytes).toBe(size(A) + size(B));
      expect(plan.known).toEqual([]);
      expect(plan.publication?.load.newDigests).toEqual(expect.arrayContaining([sha256(A), sha256(B)]));
    } finally {
      await plan.publication?.abort(new Error('test'));
    }
    // Aborted: the leak does not exist.
    expect(await store.getBreach('Twice')).toBeUndefined();
  });

  it('publishing: a file the leak already holds is not read again, and is counted as known', async () => {
    const first = await ingest({ files: [A], breach: { name: 'Held' }, dryRun: false, workers: 0, publish: { store, key, append: false } });
    expect(first.published?.changed).toBe(true);
    const plan = await planFiles({ files: [A2, B], breach: { name: 'Held' }, dryRun: false, publish: { store, key, append: true } });
    try {
      expect(plan.files).toEqual([entry(A2), entry(B)]);
      expect(plan.toRead).toEqual([entry(B)]);
      expect(plan.totalBytes).toBe(size(B));
      expect(plan.known).toEqual([sha256(A)]);
    } finally {
      await plan.publication?.abort(new Error('test'));
    }
    // Nothing new at all: nothing to read.
    const none = await planFiles({ files: [A], breach: { name: 'Held' }, dryRun: false, publish: { store, key, append: true } });
    try {
      expect(none.toRead).toEqual([]);
      expect(none.totalBytes).toBe(0);
      expect(none.known).toEqual([sha256(A)]);
    } finally {
      await none.publication?.abort(new Error('test'));
    }
  });

  it('publishing: a failure once the load has begun (reading the verified domains) aborts it and records the run failed', async () => {
    const failing = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'verifiedDomainNames') return () => Promise.reject(new Error('the store went away'));
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    await expect(
      ingest({ files: [B], breach: { name: 'Interrupted' }, dryRun: false, workers: 1, publish: { store: failing, key, append: false } }),
    ).rejects.toThrow('the store went away');
    expect(await store.getBreach('Interrupted')).toBeUndefined();
    const runs = (await store.listRuns({ limit: 100 })).filter((r) => r.breach === 'Interrupted');
    expect(runs.map((r) => [r.status, r.error])).toEqual([['failed', 'internal error']]);
    // Nothing of it holds the next try back.
    const again = await ingest({ files: [B], breach: { name: 'Interrupted' }, dryRun: false, workers: 0, publish: { store, key, append: false } });
    expect(again.published?.changed).toBe(true);
  });
});
