/**
 * Synthetic data for the store's tests: French-looking identifiers (never real people),
 * pseudonymised with the real construction, and helpers to load them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { DataClassBits } from '../../dataclasses.js';
import type { DataClassKey } from '../../dataclasses.js';
import { Pseudonymiser } from '../../pseudonymise/index.js';
import type { ErrorCode } from '../../errors.js';
import { VigieError } from '../../errors.js';
import type { CommitResult, LoadStats, Store } from '../store.js';

const FIRST = ['camille', 'lucas', 'léa', 'hugo', 'chloé', 'louis', 'manon', 'gabriel', 'inès', 'jules'];
const LAST = ['martin', 'bernard', 'dubois', 'thomas', 'robert', 'richard', 'petit', 'durand', 'leroy', 'moreau'];

/** The i-th synthetic email: distinct for every i. */
export function email(i: number): string {
  return `${FIRST[i % 10]}.${LAST[Math.floor(i / 10) % 10]}${i}@example.fr`;
}

const pseudonymiser = new Pseudonymiser(randomBytes(32));

/** Pseudonyms of emails number `from` to `to - 1`, as one n × 16 buffer. */
export function pseudonyms(from: number, to: number): Buffer {
  const out = Buffer.allocUnsafe((to - from) * 16);
  for (let i = from; i < to; i++) pseudonymiser.writeInto(out, (i - from) * 16, 'email', email(i));
  return out;
}

export function one(i: number): Buffer {
  return pseudonymiser.one('email', email(i));
}

export function mask(...keys: DataClassKey[]): number {
  return keys.reduce((m, k) => (m | (1 << DataClassBits[k])) >>> 0, 0);
}

export function masks(n: number, m: number): Uint32Array {
  return new Uint32Array(n).fill(m);
}

/** A SHA-256 hex digest standing for an input file. */
export function digest(label: string): string {
  return createHash('sha256').update(label).digest('hex');
}

export function stats(records: number, people = records, extra: Partial<LoadStats> = {}): LoadStats {
  return { records, skipped: 0, people, classCounts: { email: records }, invalidCounts: {}, formats: ['csv'], ...extra };
}

/** Loads emails [from, to) with one mask, as one new (or appended) file, and commits. */
export async function loadRange(store: Store, name: string, file: string, from: number, to: number, m: number, append = false): Promise<CommitResult> {
  const load = await store.beginLoad({ breach: { Name: name }, append, fileDigests: [digest(file)] });
  await load.write(pseudonyms(from, to), masks(to - from, m));
  return load.commit(stats(to - from));
}

/** Asserts that `p` rejects with a VigieError of this code. */
export async function rejectsWith(p: Promise<unknown>, code: ErrorCode, pattern?: RegExp): Promise<VigieError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e, `expected ${code}`).toBeInstanceOf(VigieError);
  expect((e as VigieError).code).toBe(code);
  if (pattern) expect((e as VigieError).message).toMatch(pattern);
  return e as VigieError;
}

/** The breaches holding email number i, as "Name:mask" strings. */
export async function hits(store: Store, i: number): Promise<string[]> {
  return (await store.lookup(one(i))).map((x) => `${x.breach}:${x.mask}`);
}

/** A clock the test sets by hand, so dates in snapshots are the same on both engines. */
export function manualClock(start = '2025-04-07T09:00:00Z'): { now: () => Date; set: (iso: string) => void } {
  let t = new Date(start);
  return { now: () => new Date(t), set: (iso) => (t = new Date(iso)) };
}
