/**
 * Invariant 2 under a real crash: a child process loading a breach is killed with SIGKILL
 * (no handler runs, nothing is flushed), then the store is reopened.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pseudonymiser } from '../pseudonymise/index.js';
import { openStore } from './index.js';
import type { Store } from './store.js';
import { PG_URL } from '../test-helpers/services.js';

const CHILD = fileURLToPath(new URL('./test-helpers/crash.child.ts', import.meta.url));
const key = randomBytes(32);
const p = new Pseudonymiser(key);
const pseudonym = (i: number): Buffer => p.one('email', `camille.martin${i}@example.fr`);

interface Child {
  /** Resolves when a stdout line satisfies `test`. */
  until(test: (line: string) => boolean): Promise<void>;
  kill(): Promise<void>;
  exit: Promise<number | null>;
}

function run(url: string, dataDir: string, schema: string, breach: string, mode: 'forever' | 'full', rows: number): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, url, dataDir, schema, breach, mode, key.toString('hex'), String(rows)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { test: (l: string) => boolean; resolve: () => void }[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let buf = '';
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      lines.push(line);
      for (const w of waiters.splice(0)) {
        if (w.test(line)) w.resolve();
        else waiters.push(w);
      }
    }
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    until: (test) =>
      new Promise<void>((resolve, reject) => {
        if (lines.some(test)) return resolve();
        waiters.push({ test, resolve });
        void exit.then((code) => reject(new Error(`child exited (${code}) before the awaited line: ${stderr}`)));
      }),
    kill: async () => {
      child.kill('SIGKILL');
      await exit;
    },
    exit,
  };
}

const wrote = (n: number) => (line: string) => line.startsWith('wrote ') && Number(line.slice(6)) >= n;

async function expectNothing(store: Store, breach: string): Promise<void> {
  expect(await store.getBreach(breach)).toBeUndefined();
  expect(await store.lookup(pseudonym(0))).toEqual([]);
  expect(await store.lookup(pseudonym(12_345))).toEqual([]);
}

async function expectComplete(store: Store, breach: string, rows: number): Promise<void> {
  const entry = await store.getBreach(breach);
  expect(entry?.stats).toMatchObject({ identifiers: rows, records: rows, loads: 1 });
  for (const i of [0, Math.floor(rows / 2), rows - 1]) expect(await store.lookup(pseudonym(i))).toEqual([{ breach, mask: 0b101 }]);
  expect(await store.lookup(pseudonym(rows))).toEqual([]);
}

function crashSuite(engine: string, url: () => string, schema: string): void {
  describe(`${engine}: a load killed with SIGKILL`, () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'vigie-crash-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('while staging leaves nothing, and a rerun commits exact counts', async () => {
      const child = run(url(), dir, schema, 'Killed', 'forever', 0);
      await child.until(wrote(50_000));
      await child.kill();
      const store = await openStore(url() === 'sqlite:' ? undefined : url(), dir, { schema });
      try {
        await expectNothing(store, 'Killed');
        const rerun = run(url(), dir, schema, 'Killed', 'full', 30_000);
        expect(await rerun.exit).toBe(0);
        await expectComplete(store, 'Killed', 30_000);
      } finally {
        await store.close();
      }
    });

    it('while committing leaves either nothing or the whole breach', async () => {
      const rows = 200_000;
      const child = run(url(), dir, schema, 'KilledLate', 'full', rows);
      await child.until((l) => l === 'committing');
      // Kill somewhere inside the publishing transaction (it takes a few hundred ms here).
      await new Promise((r) => setTimeout(r, 20 + Math.floor(Math.random() * 150)));
      await child.kill();
      const store = await openStore(url() === 'sqlite:' ? undefined : url(), dir, { schema });
      try {
        const entry = await store.getBreach('KilledLate');
        if (entry) await expectComplete(store, 'KilledLate', rows);
        else expect(await store.lookup(pseudonym(rows - 1))).toEqual([]);
      } finally {
        await store.close();
      }
    });
  });
}

crashSuite('sqlite', () => 'sqlite:', 'unused');

const pgSchema = `vigie_test_${randomBytes(6).toString('hex')}`;
afterAll(async () => {
  const admin = postgres(PG_URL, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`);
  await admin.end();
});
crashSuite('postgres', () => PG_URL, pgSchema);
