import { describe, expect, it } from 'vitest';
import { generatePeople } from '../gen/index.js';
import type { Cell } from '../read/index.js';
import { PEOPLE, RecordProcessor } from './processor.js';
import { WorkerPool } from './pool.js';

const spec = {
  columns: [
    { index: 0, kind: 'email' as const, confidence: 1 },
    { index: 1, kind: 'lastName' as const, confidence: 1 },
  ],
};
const rows: Cell[][] = [...generatePeople(2000, 5)].map((p) => [p.email, p.lastName]);

describe('WorkerPool', () => {
  it('counts distinct values in the workers’ shards, including hashes handed over by the main thread', async () => {
    const pool = new WorkerPool(2, { key: null, scope: 'T' });
    try {
      pool.defineTable(0, spec);
      const results = [];
      for (let i = 0; i < rows.length; i += 500) results.push((await pool.submit(0, rows.slice(i, i + 500))).done);
      // The same rows again: duplicates must not be counted twice.
      for (let i = 0; i < rows.length; i += 500) results.push((await pool.submit(0, rows.slice(i, i + 500))).done);
      const done = await Promise.all(results);
      expect(done.reduce((n, r) => n + r.records, 0)).toBe(4000);
      // A batch the main thread processed itself: its hashes go to the shards.
      const extra: Cell[][] = [...generatePeople(300, 6)].map((p) => [p.email, p.lastName]);
      const r = new RecordProcessor(spec).process([...extra, ...rows.slice(0, 100)]);
      pool.sendHashes(r.hashes, r.hashClass, r.hashCount);
      const counts = await pool.distinctCounts();
      const emails = new Set([...rows, ...extra].map((x) => x[0]!.trim().toLowerCase())).size;
      expect(counts.sizes[0]).toBe(emails);
      expect(counts.sizes[PEOPLE]).toBe(emails);
    } finally {
      await pool.close();
    }
  });

  it('fails instead of hanging when a worker stops', async () => {
    const pool = new WorkerPool(2, { key: null, scope: 'T' });
    try {
      pool.defineTable(0, spec);
      // Stop one worker from outside, as an out-of-memory kill would.
      await (pool as unknown as { workers: { terminate(): Promise<number> }[] }).workers[0]!.terminate();
      await expect(pool.distinctCounts()).rejects.toThrow(/worker 0 stopped/);
      expect(() => pool.hasFreeSlot()).toThrow(/worker 0 stopped/);
    } finally {
      await pool.close();
    }
  });
});
