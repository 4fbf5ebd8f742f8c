/**
 * Invariant 1 (docs/architecture.md §5.1): "No leaked value at rest". A generated leak is published into
 * SQLite (through the CLI, and through `ingest()` with the store held open so the WAL and
 * shared-memory files are there to read) and into the real PostgreSQL; then every byte Vigie
 * wrote (data directory while open and after close, SQLite's temporary files, a `pg_dump`,
 * everything the CLI printed) is searched for the fixture's raw values in every usual writing.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../cli/index.js';
import { ErrorCodes } from '../errors.js';
import { generatePeople, writeDataset, type Person } from '../gen/index.js';
import { keyFingerprint, Pseudonymiser } from '../pseudonymise/index.js';
import { openStore } from '../store/index.js';
import { ingest } from './index.js';
import { describeHits, NeedleSet, personNeedles, writtenCells, type Hit, type NeedleKind } from './test-helpers/leak-search.js';
import { PG_URL } from '../test-helpers/services.js';

const root = mkdtempSync(join(tmpdir(), 'vigie-atrest-'));
const fixtures = join(root, 'fixtures');
const data = join(root, 'data');
/** SQLite puts its temporary files (TEMP staging tables, sorters) here: see beforeAll. */
const sqliteTmp = join(root, 'tmp');
const env = { VIGIE_DATA: data, VIGIE_WORKERS: '2' };
const CSV = join(fixtures, 'fuite.csv');
const NDJSON = join(fixtures, 'ants.ndjson');
const BROKEN = join(fixtures, 'cassee.csv');

interface Fixture {
  file: string;
  people: Person[];
  /** Kinds every person of the file must be found under (control). */
  kinds: NeedleKind[];
}
let csv: Fixture;
let ants: Fixture;
const needles = new NeedleSet();
const logs: Buffer[] = [];
/** What was on disk at each moment: name → bytes. */
const snapshots = new Map<string, Buffer>();
const savedEnv = { TMPDIR: process.env['TMPDIR'], SQLITE_TMPDIR: process.env['SQLITE_TMPDIR'] };

/** A stream keeping what is written to it; not a terminal, so no progress bar is drawn. */
class Capture extends Writable {
  readonly chunks: Buffer[] = [];
  readonly isTTY = false;
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.chunks.push(Buffer.from(chunk));
    done();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** Runs the CLI in-process, keeping what it prints (the "logs") for the search. */
async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await run(argv, env, { stdout, stderr });
  logs.push(...stdout.chunks, ...stderr.chunks);
  return { code, out: stdout.text(), err: stderr.text() };
}

/**
 * Every file under `dir`, recursively, as bytes. tsx's compile cache (`tsx-<uid>/`, Vigie's own
 * source transpiled for the worker threads when running from source) is not Vigie's output.
 */
function snapshot(label: string, dir: string): void {
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || /\/tsx-\d+(\/|$)/.test(e.parentPath)) continue;
    const path = join(e.parentPath, e.name);
    snapshots.set(`${label}:${path}`, readFileSync(path));
  }
}

/**
 * Files this process holds open that no directory shows: SQLite unlinks its temporary files
 * (TEMP tables, sorter spills) as soon as it opens them, so they are read through /proc/self/fd.
 * At this fixture's size SQLite keeps them in memory and none exists (seen from about 100,000
 * records up); this is the net for when one does.
 */
function snapshotOpenFiles(label: string): void {
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      // SQLite names its temporary files etilqs_*, in SQLITE_TMPDIR when set.
      if (!target.startsWith(sqliteTmp) && !/\/etilqs_\w+ \(deleted\)$/.test(target)) continue;
      if (statSync(`/proc/self/fd/${fd}`).isFile()) snapshots.set(`${label}:fd ${target}`, readFileSync(`/proc/self/fd/${fd}`));
    } catch {
      // The descriptor closed between listing and reading: nothing left to search.
    }
  }
}

async function fixture(file: string, seed: number, format: 'csv' | 'ndjson', columns: 'full' | 'ants', kinds: NeedleKind[]): Promise<Fixture> {
  const truth = await writeDataset({ out: file, rows: 2000, seed, format, columns });
  // Every non-duplicate record is the factory's next person: the file holds exactly these.
  const people = [...generatePeople(truth.rows - truth.duplicates, seed)];
  for (const p of people) for (const [kind, w] of personNeedles(p)) needles.add(kind, w);
  for (const c of writtenCells(file)) needles.add('cell', c);
  return { file, people, kinds };
}

function leaks(): Hit[] {
  return [...snapshots].flatMap(([where, bytes]) => needles.search(where, bytes));
}

beforeAll(async () => {
  mkdirSync(sqliteTmp);
  // Read by SQLite when it first initialises in this process, so its temporary files land
  // where the test lists them (if it initialised earlier, they are still found by name).
  process.env['SQLITE_TMPDIR'] = sqliteTmp;
  process.env['TMPDIR'] = sqliteTmp;
  csv = await fixture(CSV, 11, 'csv', 'full', ['email', 'phone', 'nir', 'name', 'iban', 'address', 'password']);
  ants = await fixture(NDJSON, 12, 'ndjson', 'ants', ['email', 'phone', 'name', 'address', 'account']);
  // Same seed as the CSV: its people are among the CSV's, already in the needles.
  await writeDataset({ out: BROKEN, rows: 400, seed: 11, format: 'csv', columns: 'full', malformedShare: 0.3 });
});

afterAll(() => {
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(root, { recursive: true, force: true });
});

describe('the search is not vacuous', () => {
  it('finds every written value, and every person under each kind, in the fixtures themselves (UTF-8 and UTF-16LE)', () => {
    for (const f of [csv, ants]) {
      const bytes = readFileSync(f.file);
      const found = new Set(needles.search(f.file, bytes).map((h) => h.needle));
      const cells = writtenCells(f.file).filter((c) => needles.has(c));
      expect(cells.length).toBeGreaterThan(10_000);
      expect(cells.filter((c) => !found.has(c))).toEqual([]);
      for (const kind of f.kinds) {
        const seen = f.people.filter((p) => personNeedles(p).some(([k, w]) => k === kind && found.has(w)));
        expect(seen.length / f.people.length, kind).toBeGreaterThan(0.97);
      }
      // The same text in UTF-16LE: the same values are found there.
      const wide = new Set(needles.search('utf16', Buffer.from(bytes.toString('utf8'), 'utf16le')).map((h) => h.needle));
      expect(wide).toEqual(found);
    }
  });
});

describe('SQLite: nothing Vigie wrote holds a leaked value', () => {
  let key: Buffer;
  beforeAll(async () => {
    expect((await cli(['init'])).code).toBe(0);
    key = readFileSync(join(data, 'secret.key'));
    const first = await cli(['ingest', CSV, '--breach', 'FuiteCsv', '--title', 'Fuite de test']);
    expect(first.code, first.err).toBe(0);
    // A failing ingest: its error goes to stderr and to the run history in the store.
    const broken = await cli(['ingest', BROKEN, '--breach', 'Cassee', '--max-skipped', '10']);
    expect(broken.code).toBe(ErrorCodes.VIGIE_TOO_MANY_SKIPPED.exit);

    // The second fixture through `ingest()` with the store kept open, looking at the disk as it goes.
    const store = await openStore(undefined, data);
    await store.checkKey(keyFingerprint(key));
    let t = 0;
    let moments = 0;
    await ingest({
      files: [NDJSON],
      breach: { name: 'FuiteAnts' },
      dryRun: false,
      workers: 2,
      publish: { store, key, append: false },
      clock: () => (t += 1000), // every read chunk reports progress
      onProgress: () => {
        moments++;
        snapshot(`during ${moments}`, data);
        snapshotOpenFiles(`during ${moments}`);
      },
    });
    snapshot('open', data);
    snapshotOpenFiles('open');
    expect(moments).toBeGreaterThan(2);
    expect(readdirSync(data).sort()).toEqual(['secret.key', 'vigie.db', 'vigie.db-shm', 'vigie.db-wal']);
    expect(statSync(join(data, 'vigie.db-wal')).size).toBeGreaterThan(0);
    await store.close();
    snapshot('closed', data);
    snapshot('tmp', sqliteTmp);

    for (const argv of [
      ['check', csv.people[0]!.email],
      ['check', ants.people[1]!.phone],
      ['breach', 'list'],
      ['breach', 'show', 'FuiteCsv', '--json'],
      ['ingest', CSV, '--breach', 'Essai', '--dry-run', '--json'],
      ['ingest', CSV, '--breach', 'FuiteCsv'],
    ]) {
      const r = await cli(argv);
      expect(r.code, `${argv.join(' ')}: ${r.err}`).toBe(0);
    }
  });

  it('the published leaks are really in the store (the data searched is not empty)', async () => {
    const store = await openStore(undefined, data);
    try {
      const p = new Pseudonymiser(key);
      const hits = await Promise.all(csv.people.slice(0, 100).map((x) => store.lookup(p.one('email', x.email))));
      expect(hits.filter((h) => h.some((e) => e.breach === 'FuiteCsv')).length).toBeGreaterThan(90);
      expect((await store.getBreach('FuiteAnts'))?.stats.identifiers).toBeGreaterThan(5000);
    } finally {
      await store.close();
    }
    expect(snapshots.get(`closed:${join(data, 'vigie.db')}`)!.length).toBeGreaterThan(100_000);
  });

  it('no fixture value in any file of the data directory (during the ingest, open with WAL, closed) or in SQLite temporary files', () => {
    expect(snapshots.size).toBeGreaterThan(10);
    const hits = leaks();
    expect(hits, describeHits(hits)).toEqual([]);
  });

  it('no fixture value in anything the CLI printed', () => {
    const printed = Buffer.concat(logs);
    expect(printed.length).toBeGreaterThan(2000);
    expect(printed.toString()).toContain('Published:');
    expect(printed.toString()).toContain('Found in 1 leak(s)');
    const hits = needles.search('cli output', printed);
    expect(hits, describeHits(hits)).toEqual([]);
  });

  it('keeps the key 0600 and refuses a key file others can read, in one line without the key', async () => {
    const path = join(data, 'secret.key');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    for (const f of readdirSync(data)) expect(statSync(join(data, f)).mode & 0o077, f).toBe(0);
    chmodSync(path, 0o644);
    try {
      const r = await cli(['ingest', CSV, '--breach', 'Refusee']);
      expect(r.code).toBe(ErrorCodes.VIGIE_KEY.exit);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/^vigie: [^\n]*mode 644[^\n]*\[VIGIE_KEY\]\n$/);
      for (const form of [key.toString('hex'), key.toString('hex').toUpperCase(), key.toString('base64'), key.toString('base64url')])
        expect(r.err).not.toContain(form);
      expect(Buffer.from(r.err, 'latin1').includes(key)).toBe(false);
    } finally {
      chmodSync(path, 0o600);
    }
    const list = await cli(['breach', 'list', '--json']);
    expect((JSON.parse(list.out) as { Name: string }[]).map((b) => b.Name).sort()).toEqual(['FuiteAnts', 'FuiteCsv']);
  });
});

describe('PostgreSQL: a pg_dump of the schema holds no leaked value', () => {
  const schema = `vigie_atrest_${randomBytes(6).toString('hex')}`;
  const admin = postgres(PG_URL, { max: 1, onnotice: () => undefined });
  let dump: Buffer;
  /** Distinct pseudonyms the store says it holds: the dump must have exactly these rows. */
  let identifiers = 0;
  afterAll(async () => {
    await admin.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  beforeAll(async () => {
    const key = randomBytes(32);
    const store = await openStore(PG_URL, join(root, 'pg'), { schema });
    try {
      await store.checkKey(keyFingerprint(key));
      const publish = { store, key, append: false };
      await ingest({ files: [CSV], breach: { name: 'FuiteCsv' }, dryRun: false, workers: 2, publish });
      await ingest({ files: [NDJSON], breach: { name: 'FuiteAnts' }, dryRun: false, workers: 2, publish });
      await expect(ingest({ files: [BROKEN], breach: { name: 'Cassee' }, dryRun: false, workers: 0, publish, maxSkipped: { count: 10 } })).rejects.toThrow(
        /too many malformed/,
      );
      for (const b of await store.listBreaches()) identifiers += b.stats.identifiers;
    } finally {
      await store.close();
    }
    const { stdout } = await promisify(execFile)('pg_dump', ['--dbname', PG_URL, '--schema', schema], { encoding: 'buffer', maxBuffer: 256 << 20 });
    dump = stdout;
  });

  it('dumps the published rows (the search is not empty) and finds no fixture value in them', () => {
    const text = dump.toString('utf8');
    const copy = new RegExp(`^COPY ${schema}\\.exposures [^\\n]*\\n([\\s\\S]*?)^\\\\\\.$`, 'm').exec(text);
    expect(identifiers).toBeGreaterThan(10_000);
    expect(copy?.[1]?.split('\n').length).toBe(identifiers + 1);
    expect(text).toMatch(/too many malformed records/); // the failed run is in the history
    // Pseudonyms print as uuids, digests and fingerprints as long hex: random hex digits that a
    // 9-digit phone number could match by pure chance (about once in a thousand runs). They are
    // the store's own values, never input: blank them before searching.
    const masked = text.replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, 'uuid').replace(/\b[0-9a-f]{32,}\b/g, 'hex');
    const hits = needles.search('pg_dump', Buffer.from(masked, 'utf8'));
    expect(hits, describeHits(hits)).toEqual([]);
  });
});
