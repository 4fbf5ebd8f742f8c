/**
 * Checks on what callers hand the store, shared by both engines so both refuse the same input
 * with the same error. Messages name the field, never its value (a value could be anything).
 */
import { DataClassBits } from '../dataclasses.js';
import type { DataClassKey } from '../dataclasses.js';
import { VigieError } from '../errors.js';
import { PSEUDONYM_BYTES } from '../pseudonymise/index.js';
import type { BreachInput, IngestRun, LoadRequest, LoadStats, RunStatus } from './store.js';

export { PSEUDONYM_BYTES };

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const DIGEST = /^[0-9a-f]{64}$/;
const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const FORMAT = /^[a-z0-9][a-z0-9._+-]{0,31}$/;
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
const RUN_STATUSES: readonly RunStatus[] = ['running', 'committed', 'failed', 'aborted'];
const TEXT_LIMIT = 10_000;

function usage(message: string): VigieError {
  return new VigieError('VIGIE_USAGE', message);
}

/** The breach-name rule, defined here only: 1 to 64 of `A-Za-z0-9._-`, starting with a letter or digit. */
export function isBreachName(name: unknown): name is string {
  return typeof name === 'string' && NAME.test(name);
}

/** A breach name: also a URL path segment in the HIBP API, hence the small alphabet. */
export function checkBreachName(name: unknown): string {
  if (!isBreachName(name)) {
    throw usage('a breach name must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit');
  }
  return name;
}

export function checkBreachInput(b: BreachInput): void {
  checkBreachName(b.Name);
  for (const field of ['Title', 'Domain', 'Description', 'LogoPath'] as const) {
    const v = b[field];
    if (v !== undefined && (typeof v !== 'string' || v.length > TEXT_LIMIT))
      throw usage(`breach ${field} must be a string of at most ${TEXT_LIMIT} characters`);
  }
  if (b.BreachDate !== undefined && b.BreachDate !== null && (typeof b.BreachDate !== 'string' || !DAY.test(b.BreachDate))) {
    throw usage('breach BreachDate must be a day written YYYY-MM-DD');
  }
}

export function checkLoadRequest(r: LoadRequest): string[] {
  checkBreachInput(r.breach);
  if (!Array.isArray(r.fileDigests) || r.fileDigests.length === 0) throw usage('a load needs at least one file digest');
  for (const d of r.fileDigests) {
    if (typeof d !== 'string' || !DIGEST.test(d)) throw usage('a file digest must be a SHA-256 written as 64 lowercase hex digits');
  }
  return [...new Set(r.fileDigests)];
}

/** Checks one `Load.write` batch; returns its record count. */
export function checkBatch(pseudonyms: Buffer, masks: Uint32Array): number {
  if (!(masks instanceof Uint32Array) || pseudonyms.length !== masks.length * PSEUDONYM_BYTES) {
    throw new VigieError('VIGIE_INTERNAL', `a batch needs ${PSEUDONYM_BYTES} bytes of pseudonym per mask`);
  }
  return masks.length;
}

/** Checks a `lookupMany` batch (n × 16 bytes); returns n. */
export function checkPseudonymBatch(pseudonyms: Buffer): number {
  if (!Buffer.isBuffer(pseudonyms) || pseudonyms.length % PSEUDONYM_BYTES !== 0) {
    throw new VigieError('VIGIE_INTERNAL', `a lookup batch is a whole number of ${PSEUDONYM_BYTES}-byte pseudonyms`);
  }
  return pseudonyms.length / PSEUDONYM_BYTES;
}

function count(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw new VigieError('VIGIE_INTERNAL', `load statistic ${what} must be a non-negative integer`);
  return v;
}

function checkClassCounts(c: unknown, what: string): void {
  if (typeof c !== 'object' || c === null) throw new VigieError('VIGIE_INTERNAL', `load statistic ${what} must be an object`);
  for (const [k, v] of Object.entries(c)) {
    if (!Object.hasOwn(DataClassBits, k)) throw new VigieError('VIGIE_INTERNAL', `load statistic ${what} names an unknown data class`);
    count(v, `${what}.${k}`);
  }
}

/** Statistics come from our own ingest, but they are stored and served: check their shape. */
export function checkLoadStats(s: LoadStats): void {
  count(s.records, 'records');
  count(s.skipped, 'skipped');
  count(s.people, 'people');
  const e = s.peopleStandardError;
  if (e !== undefined && (typeof e !== 'number' || !(e > 0 && e < 1)))
    throw new VigieError('VIGIE_INTERNAL', 'load statistic peopleStandardError must be between 0 and 1');
  checkClassCounts(s.classCounts, 'classCounts');
  checkClassCounts(s.invalidCounts, 'invalidCounts');
  if (!Array.isArray(s.formats) || s.formats.length > 32 || !s.formats.every((f) => typeof f === 'string' && FORMAT.test(f))) {
    throw new VigieError('VIGIE_INTERNAL', 'load statistic formats must be at most 32 short lowercase format names');
  }
}

/** The data classes a load's statistics say were present, as a mask. */
export function maskOfClassCounts(c: Partial<Record<DataClassKey, number>>): number {
  let mask = 0;
  for (const [k, v] of Object.entries(c)) if (v && v > 0) mask |= 1 << DataClassBits[k as DataClassKey];
  return mask >>> 0;
}

export function checkRun(run: IngestRun): void {
  if (typeof run.id !== 'string' || !RUN_ID.test(run.id)) throw usage('a run id must be 1 to 100 letters, digits, ".", "_", ":" or "-"');
  checkBreachName(run.breach);
  if (!RUN_STATUSES.includes(run.status)) throw usage('unknown run status');
  if (!Array.isArray(run.inputDigests) || !run.inputDigests.every((d) => typeof d === 'string' && DIGEST.test(d))) {
    throw usage('run input digests must be SHA-256 hex digests');
  }
  for (const t of [run.startedAt, run.finishedAt]) {
    if (t !== undefined && (typeof t !== 'string' || Number.isNaN(Date.parse(t)))) throw usage('run times must be ISO 8601 dates');
  }
  if (run.error !== undefined && typeof run.error !== 'string') throw usage('a run error must be a string');
}

/** ISO 8601 to the second, as HIBP writes AddedDate and ModifiedDate. */
export function isoSeconds(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

const KEY_HASH = /^[0-9a-f]{64}$/;
/** The most requests per minute a key may be given. */
export const MAX_RPM = 10_000_000;

/** An API key as `createApiKey` takes it: the name follows the breach-name rule. */
export function checkApiKey(key: { name: unknown; hash: unknown; rpm: unknown }): { name: string; hash: string; rpm: number } {
  if (typeof key.name !== 'string' || !NAME.test(key.name)) {
    throw usage('an API key name must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit');
  }
  if (typeof key.hash !== 'string' || !KEY_HASH.test(key.hash)) throw usage('an API key hash must be 64 lowercase hex digits');
  if (typeof key.rpm !== 'number' || !Number.isInteger(key.rpm) || key.rpm < 1 || key.rpm > MAX_RPM) {
    throw usage(`an API key rate must be an integer from 1 to ${MAX_RPM} requests per minute`);
  }
  return { name: key.name, hash: key.hash, rpm: key.rpm };
}

/** A key name given to `revokeApiKey`. */
export function checkApiKeyName(name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name)) throw usage('an API key name must be 1 to 64 letters, digits, ".", "_" or "-"');
  return name;
}

/** Largest statement kept, serialised: a profile or an incident is a few kilobytes. */
const STATEMENT_BYTES = 64 * 1024;

function isJson(v: unknown, depth: number): boolean {
  if (depth > 8) return false;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every((x) => isJson(x, depth + 1));
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.values(v).every((x) => isJson(x, depth + 1));
  return false;
}

/** A statement: a plain JSON object (no array, no non-JSON value) of at most `STATEMENT_BYTES`; returns its JSON text. */
export function checkStatement(value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) {
    throw usage('a statement must be a JSON object');
  }
  if (!isJson(value, 0)) throw usage('a statement must hold JSON values only (strings, finite numbers, booleans, null, arrays, objects)');
  const text = JSON.stringify(value);
  if (Buffer.byteLength(text) > STATEMENT_BYTES) throw usage(`a statement must be at most ${STATEMENT_BYTES} bytes of JSON`);
  return text;
}
