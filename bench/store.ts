/**
 * Store benchmark: pseudonymise N synthetic emails, load them as one breach, then a second
 * breach (10% of the first's identifiers plus as many new ones), measure bytes on disk and
 * point look-ups. Prints one JSON line.
 *
 *   npx tsx bench/store.ts [--engine sqlite|postgres] [--n 10000000] [--workers 1] [--url postgres://…]
 *
 * Working files live in a temp dir (SQLite) or a temp schema (PostgreSQL), removed at the end.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import postgres from 'postgres';
import Database from 'better-sqlite3';
import { Pseudonymiser } from '../src/pseudonymise/index.js';
import { openStore } from '../src/store/index.js';
import type { Load, Store } from '../src/store/index.js';

const BATCH = 100_000;
const MASK = 0b1101; // email, name, dob
const FIRST = ['camille', 'lucas', 'lea', 'hugo', 'chloe', 'louis', 'manon', 'gabriel', 'ines', 'jules'];
const LAST = ['martin', 'bernard', 'dubois', 'thomas', 'robert', 'richard', 'petit', 'durand', 'leroy', 'moreau'];
const email = (i: number): string => `${FIRST[i % 10]}.${LAST[Math.floor(i / 10) % 10]}${i}@example.fr`;

/** A contiguous or strided range of identifier numbers. */
interface Range {
  from: number;
  count: number;
  step: number;
}

// ---- worker: pseudonymises ranges, sends each batch back (transferred, not copied) ----
if (!isMainThread) {
  const p = new Pseudonymiser(Buffer.from(workerData.key as string, 'hex'));
  parentPort!.on('message', (r: Range) => {
    const out = Buffer.allocUnsafe(r.count * 16);
    for (let k = 0; k < r.count; k++) p.writeInto(out, k * 16, 'email', email(r.from + k * r.step));
    parentPort!.postMessage(out, [out.buffer as ArrayBuffer]);
  });
}

/** Splits a range into batches, pseudonymised by `workers` threads, written in completion order. */
async function loadRange(workers: Worker[], load: Load, r: Range): Promise<void> {
  const batches: Range[] = [];
  for (let k = 0; k < r.count; k += BATCH) batches.push({ from: r.from + k * r.step, count: Math.min(BATCH, r.count - k), step: r.step });
  const masks = new Uint32Array(BATCH).fill(MASK);
  let writing = Promise.resolve();
  const request = (w: Worker, range: Range): Promise<[Range, Buffer]> =>
    new Promise((resolve, reject) => {
      const fail = (e: unknown): void => reject(e);
      w.once('error', fail);
      w.once('message', (m: Uint8Array) => {
        w.off('error', fail);
        resolve([range, Buffer.from(m.buffer, m.byteOffset, m.byteLength)]);
      });
      w.postMessage(range);
    });
  await Promise.all(
    workers.map(async (w) => {
      const first = batches.shift();
      let next = first && request(w, first);
      while (next) {
        const [range, buf] = await next;
        // Ask for the next batch first: the worker hashes it while this one is written.
        const b = batches.shift();
        next = b && request(w, b);
        writing = writing.then(() => load.write(buf, masks.subarray(0, range.count)));
        await writing;
      }
    }),
  );
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = process.hrtime.bigint();
  const v = await fn();
  return [v, Number(process.hrtime.bigint() - t) / 1e9];
}

const stats = (n: number) => ({ records: n, skipped: 0, people: n, classCounts: { email: n }, invalidCounts: {}, formats: ['csv'] });
const digest = (s: string): string => createHash('sha256').update(s).digest('hex');

async function diskBytes(engine: string, dir: string, url: string, schema: string): Promise<number> {
  if (engine === 'sqlite') {
    const path = join(dir, 'vigie.db');
    const db = new Database(path);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const wal = await stat(`${path}-wal`).then(
      (s) => s.size,
      () => 0,
    );
    return (await stat(path)).size + wal;
  }
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  await sql.unsafe(`VACUUM ANALYZE ${schema}.exposures`);
  const [r] = await sql.unsafe<{ b: string }[]>(
    `SELECT sum(pg_total_relation_size(c.oid)) AS b FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '${schema}' AND c.relkind = 'r'`,
  );
  await sql.end();
  return Number(r!.b);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string', default: 'sqlite' },
      n: { type: 'string', default: '10000000' },
      workers: { type: 'string', default: '1' },
      url: { type: 'string', default: process.env.VIGIE_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test' },
      lookups: { type: 'string', default: '100000' },
    },
  });
  const engine = values.engine!;
  const n = Number(values.n);
  const url = values.url!;
  const key = randomBytes(32);
  const dir = await mkdtemp(join(tmpdir(), 'vigie-bench-'));
  const schema = `vigie_bench_${randomBytes(4).toString('hex')}`;
  // Workers do not inherit tsx's loader: register it, then load this very file.
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const workers = Array.from({ length: Number(values.workers) }, () => new Worker(boot, { eval: true, workerData: { key: key.toString('hex') } }));
  let store: Store | undefined;
  try {
    store = await openStore(engine === 'sqlite' ? undefined : url, dir, { schema });
    const s = store;
    // Breach 1: identifiers 0 … n-1.
    let commitOne = 0;
    const [, t1] = await timed(async () => {
      const load = await s.beginLoad({ breach: { Name: 'BenchOne' }, append: false, fileDigests: [digest('one')] });
      await loadRange(workers, load, { from: 0, count: n, step: 1 });
      const [res, t] = await timed(() => load.commit(stats(n)));
      commitOne = t;
      return res;
    });
    const bytesOne = await diskBytes(engine, dir, url, schema);
    // Breach 2: every 10th identifier of breach 1, plus n/10 new ones.
    const m = Math.floor(n / 10);
    const [res2, t2] = await timed(async () => {
      const load = await s.beginLoad({ breach: { Name: 'BenchTwo' }, append: false, fileDigests: [digest('two')] });
      await loadRange(workers, load, { from: 0, count: m, step: 10 });
      await loadRange(workers, load, { from: n, count: m, step: 1 });
      return load.commit(stats(2 * m));
    });
    const bytesAll = await diskBytes(engine, dir, url, schema);
    // Look-ups: half hits, half misses, pseudonyms computed before timing.
    const p = new Pseudonymiser(key);
    const q = Number(values.lookups);
    const probes = Array.from({ length: q }, (_, i) => p.one('email', email(i % 2 === 0 ? Math.floor(Math.random() * (n + m)) : 2 * n + i)));
    const lat = new Float64Array(q);
    let found = 0;
    for (let i = 0; i < q; i++) {
      const t = process.hrtime.bigint();
      found += (await s.lookup(probes[i]!)).length > 0 ? 1 : 0;
      lat[i] = Number(process.hrtime.bigint() - t) / 1e3;
    }
    lat.sort();
    const rows = n + 2 * m;
    // Deleting scans the whole table (no index on breach_id): time it on the smaller breach.
    const [, tDelete] = await timed(() => s.deleteBreach('BenchTwo'));
    console.log(
      JSON.stringify({
        engine,
        n,
        workers: workers.length,
        loadOnePerSec: Math.round(n / t1),
        loadOneSeconds: +t1.toFixed(1),
        commitOneSeconds: +commitOne.toFixed(1),
        loadTwoPerSec: Math.round((2 * m) / t2),
        loadTwoInserted: res2.inserted,
        bytesPerIdOne: +(bytesOne / n).toFixed(1),
        bytesPerRowAll: +(bytesAll / rows).toFixed(1),
        lookups: q,
        hitRate: +(found / q).toFixed(3),
        lookupP50us: +lat[Math.floor(q * 0.5)]!.toFixed(1),
        lookupP99us: +lat[Math.floor(q * 0.99)]!.toFixed(1),
        lookupMaxUs: +lat[q - 1]!.toFixed(1),
        deleteTwoSeconds: +tDelete.toFixed(1),
        maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      }),
    );
  } finally {
    await store?.close();
    await Promise.all(workers.map((w) => w.terminate()));
    await rm(dir, { recursive: true, force: true });
    if (engine === 'postgres') {
      const sql = postgres(url, { max: 1, onnotice: () => undefined });
      await sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await sql.end();
    }
  }
}

if (isMainThread) await main();
