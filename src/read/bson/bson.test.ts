/**
 * BSON dumps as `mongodump` writes them (documents one after another), written at test time
 * by a real BSON writer: pymongo's `bson` module (Debian's python3-bson, for /usr/bin/python3),
 * `test-helpers/write-bson.py`. The cells are compared with what the JSON reader makes of the
 * same documents as relaxed Extended JSON lines (`mongoexport`'s default), written from the
 * same bytes by the official JavaScript library (`bson`'s `deserialize` then `EJSON.stringify`):
 * a second, independent decoding. Hostile files are those bytes cut, corrupted or built here.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, EJSON, Long } from 'bson';
import { afterAll, describe, expect, it } from 'vitest';
import { allRows, collect, oneChunk } from '../json/test-helpers/collect.js';
import { detectFormat, type ReadEvent, readSource, type SourceOptions } from '../index.js';
import { readJson } from '../json/index.js';
import { MAX_COLUMNS } from '../limits.js';
import { bsonKind, readBson } from './index.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./test-helpers/write-bson.py', import.meta.url));
const hasBson = spawnSync(PYTHON, ['-c', 'import bson; bson.encode; bson.ObjectId'], { stdio: 'ignore' }).status === 0;
const ci = process.env['CI'] !== undefined && process.env['CI'] !== '';

const dir = mkdtempSync(join(tmpdir(), 'vigie-bson-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const py = (...args: string[]): void => {
  execFileSync(PYTHON, [SCRIPT, ...args]);
};

/** The people file (five clients, every common BSON type), written once. */
let peopleCache: Buffer | undefined;
function people(): Buffer {
  if (peopleCache === undefined) {
    const file = join(dir, 'people.bson');
    py('people', file);
    peopleCache = readFileSync(file);
  }
  return peopleCache;
}

/** Start offsets of the documents of a well-formed dump. */
function offsets(bytes: Buffer): number[] {
  const out: number[] = [];
  for (let p = 0; p < bytes.length; p += bytes.readInt32LE(p)) out.push(p);
  return out;
}

/**
 * The same documents as relaxed Extended JSON lines, as mongoexport writes them, by the
 * official library; but an Int64 keeps all its digits, as mongoexport's plain number does
 * (the library's relaxed writer rounds one past 2^53 to a double).
 */
function asEjsonLines(bytes: Buffer): string {
  const LONG = '\u0000long:';
  const exact = (v: unknown): unknown => {
    // Not a Timestamp, which extends Long.
    if (v instanceof Long && v._bsontype === 'Long') return `${LONG}${v.toString()}`;
    if (Array.isArray(v)) return v.map(exact);
    if (v !== null && typeof v === 'object' && v.constructor === Object) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, exact(x)]));
    }
    return v;
  };
  return offsets(bytes)
    .map((p) => {
      const doc = deserialize(bytes.subarray(p, p + bytes.readInt32LE(p)), {
        bsonRegExp: true,
        promoteLongs: false,
        // As Vigie does: invalid UTF-8 becomes U+FFFD rather than costing the document.
        validation: { utf8: false },
      });
      return `${EJSON.stringify(exact(doc), { relaxed: true }).replace(/"\\u0000long:(-?\d+)"/g, '$1')}\n`;
    })
    .join('');
}

async function* chunks(bytes: Buffer, size = 7): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const read = (bytes: Buffer, opts: Partial<SourceOptions> = {}, size = 64 * 1024) =>
  collect(readBson(chunks(bytes, size), { displayName: 'dump/crm/clients.bson', ...opts }));

/** Rows of the table named `name`. */
function rowsOf(events: ReadEvent[], name: string): (string | null)[][] {
  let current = '';
  return events.flatMap((ev) => {
    if (ev.kind === 'table') current = ev.name;
    return ev.kind === 'rows' && current === name ? ev.rows : [];
  });
}

const skips = (events: ReadEvent[]) => events.flatMap((ev) => (ev.kind === 'skip' ? [{ reason: ev.reason, ...ev.position }] : []));

/** A document `{ k: <nested `depth` times> {} }` built byte by byte: 8 bytes per level. */
function nested(depth: number, key = 'a'): Buffer {
  const k = Buffer.from(`${key}\0`, 'latin1');
  const per = 5 + k.length;
  const len = (per + 1) * depth + 5;
  const b = Buffer.alloc(len);
  for (let i = 0; i <= depth; i++) {
    const at = i * per;
    b.writeInt32LE(len - i * (per + 1), at);
    if (i < depth) {
      b[at + 4] = 0x03;
      k.copy(b, at + 5);
    }
  }
  return b;
}

/** `{ nom: value }` as BSON, built by hand. */
function stringDoc(key: string, value: string): Buffer {
  const k = Buffer.from(`${key}\0`, 'utf8');
  const v = Buffer.from(`${value}\0`, 'utf8');
  const len = 4 + 1 + k.length + 4 + v.length + 1;
  const b = Buffer.alloc(len);
  b.writeInt32LE(len, 0);
  b[4] = 0x02;
  k.copy(b, 5);
  b.writeInt32LE(v.length, 5 + k.length);
  v.copy(b, 9 + k.length);
  return b;
}

describe.runIf(!hasBson && ci)('BSON fixtures', () => {
  it('need python3-bson on CI (apt-get install -y python3-bson)', () => {
    throw new Error(`${PYTHON} cannot import bson: install python3-bson`);
  });
});

describe.skipIf(!hasBson)('a mongodump .bson file written by pymongo', () => {
  it('reads one table whose cells equal the JSON reader on the same documents as mongoexport lines', async () => {
    const bytes = people();
    const got = await read(bytes);
    expect(got.error).toBeUndefined();
    const json = await collect(readJson(oneChunk(asEjsonLines(bytes)), { displayName: 'clients.json' }));
    expect(json.error).toBeUndefined();
    expect(got.columns).toEqual(json.columns);
    expect(allRows(got.events)).toEqual(allRows(json.events));
    const table = got.events[0];
    expect(table).toMatchObject({ kind: 'table', name: 'dump/crm/clients.bson', format: 'bson' });
    expect(got.columns[0]).toEqual([
      '_id',
      'nom',
      'prénom',
      'email',
      'telephones[0]',
      'telephones[1]',
      'date_naissance',
      'adresse.rue',
      'adresse.code_postal',
      'adresse.ville',
      'nir',
      'numero_client',
      'points',
      'solde',
      'taux',
      'actif',
      'parrain',
      'jeton',
      'photo',
      'inscrit_le',
      'maj',
      'motif',
      'borne_basse',
      'borne_haute',
    ]);
    const rows = allRows(got.events);
    expect(rows).toHaveLength(5);
    expect(rows[1]).toEqual([
      '65a1b2c3d4e5f6a7b8c9d001',
      'Martin',
      'Élodie',
      'elodie.martin@exemple.fr',
      '+33 7 81 22 33 44',
      '01 23 45 67 81',
      '1962-11-02',
      '3 place Bellecour',
      '69002',
      'Lyon',
      '2 62 11 69 123 456 50',
      // An Int64 past 2^53 keeps every digit, a Decimal128 its trailing zero.
      '9007199254740994',
      '10',
      '1235.50',
      '1.5',
      'false',
      null,
      '8e5a1c4d-2b3f-4a6e-9d7c-5b3a19080707',
      'iVBORw0KAQ==',
      '2023-05-17T09:30:15.250Z',
      '2023-11-14T22:13:21.000Z',
      '/^06/i',
      null,
      null,
    ]);
  });

  it('gives the same events whatever the chunking (a 1-byte split included)', async () => {
    const whole = await read(people());
    for (const size of [1, 3, 4, 5, 500]) expect(await read(people(), {}, size)).toEqual(whole);
  });

  it('is detected from content, whatever its name, and read through readSource, gzip and zip', async () => {
    const plain = join(dir, 'export.dat');
    writeFileSync(plain, people());
    expect(detectFormat(people(), 'export.dat')).toBe('bson');
    const gz = join(dir, 'clients.bson.gz');
    py('gzip', plain, gz);
    // mongodump's companion file, JSON, read as JSON.
    const meta = join(dir, 'clients.metadata.json');
    writeFileSync(meta, '{"indexes":[{"v":{"$numberInt":"2"},"key":{"_id":{"$numberInt":"1"}},"name":"_id_"}],"collectionName":"clients","type":"collection"}');
    const zip = join(dir, 'dump.zip');
    py('zip', zip, 'dump/crm/clients.bson', plain, 'dump/crm/clients.metadata.json', meta);
    const expected = allRows((await read(people())).events);
    for (const [file, name, container] of [
      [plain, plain, undefined],
      [gz, gz, 'gzip'],
      [zip, `${zip}:dump/crm/clients.bson`, 'zip'],
    ] as const) {
      const c = await collect(readSource(file, { displayName: file }));
      expect(c.error).toBeUndefined();
      const tables = c.events.filter((ev) => ev.kind === 'table');
      expect(tables[0]).toMatchObject({ name, format: 'bson', meta: container ? { container } : {} });
      expect(rowsOf(c.events, name)).toEqual(expected);
    }
  });

  it('a file cut inside a document: VIGIE_TRUNCATED at its byte offset, the documents before it delivered', async () => {
    const bytes = people();
    const starts = offsets(bytes);
    const third = starts[2] ?? 0;
    const c = await read(bytes.subarray(0, third + 40));
    expect(allRows(c.events)).toHaveLength(2);
    expect(c.error).toMatchObject({ code: 'VIGIE_TRUNCATED', position: { file: 'dump/crm/clients.bson', record: 3, byte: third } });
    expect(c.error?.message).toContain('ends inside a document');
    // Cut inside the length itself.
    const d = await read(bytes.subarray(0, third + 2));
    expect(allRows(d.events)).toHaveLength(2);
    expect(d.error).toMatchObject({ code: 'VIGIE_TRUNCATED', position: { record: 3, byte: third } });
  });

  it('a corrupt document in the middle is skipped with its number and byte offset; the next ones are read', async () => {
    const bytes = Buffer.from(people());
    const starts = offsets(bytes);
    const second = starts[1] ?? 0;
    // The first element's type byte (its `_id`) becomes an undefined type.
    bytes[second + 4] = 0x42;
    // In the fourth, the first string (`nom`) claims more bytes than its document holds.
    const fourth = starts[3] ?? 0;
    const nom = bytes.indexOf(Buffer.from('\x02nom\0', 'latin1'), fourth);
    bytes.writeInt32LE(10_000, nom + 5);
    const c = await read(bytes);
    expect(c.error).toBeUndefined();
    expect(skips(c.events)).toEqual([
      { reason: 'invalid BSON', file: 'dump/crm/clients.bson', record: 2, byte: second },
      { reason: 'invalid BSON', file: 'dump/crm/clients.bson', record: 4, byte: fourth },
    ]);
    const rows = allRows(c.events);
    expect(rows.map((r) => r[1])).toEqual(['Dupont', 'Lefèvre', 'Garçon']);
    // Records keep their numbers: the skipped ones count.
    expect(c.events.filter((ev) => ev.kind === 'rows').map((ev) => (ev.kind === 'rows' ? ev.firstRecord : 0))).toEqual([1, 3, 5]);
  });

  it('damaged documents: refused exactly when the official library refuses them, else the same cells as its Extended JSON', async () => {
    const bytes = people();
    const doc = bytes.subarray(0, bytes.readInt32LE(0));
    const tally = { same: 0, refused: 0 };
    let s = 11;
    for (let n = 0; n < 1500; n++) {
      s = (s * 1_103_515_245 + 12_345) >>> 0;
      const b = Buffer.from(doc);
      // One byte changed anywhere but the framing (the length, the final 0x00).
      b[4 + (s % (b.length - 5))] = (s >>> 8) & 0xff;
      let line: string | undefined;
      let why = '';
      try {
        line = asEjsonLines(b);
      } catch (err) {
        why = (err as Error).message;
      }
      const mine = await read(b);
      const skipped = skips(mine.events).map((x) => x.reason);
      if (line === undefined) {
        // The library also checks a regular expression's flags against JavaScript's: BSON allows any.
        if (skipped.length === 0 && /regular expression option/.test(why)) continue;
        expect(skipped, why).toEqual(['invalid BSON']);
        tally.refused++;
        continue;
      }
      expect(skipped, line).toEqual([]);
      // A date out of JavaScript's range: the library writes `NaN`, mongoexport its milliseconds (as Vigie does).
      if (/"\$date":(\{"\$numberLong":)?"NaN"/.test(line)) continue;
      const json = await collect(readJson(oneChunk(line), { displayName: 'x.json', formatHint: 'ndjson' }));
      expect(mine.columns).toEqual(json.columns);
      expect(allRows(mine.events)).toEqual(allRows(json.events));
      tally.same++;
    }
    expect(tally.same).toBeGreaterThan(900);
    expect(tally.refused).toBeGreaterThan(300);
  });

  it('a length that cannot frame the rest (< 5, > 16 MiB, no 0x00 at its end) fails with its offset after the rows before it', async () => {
    const bytes = people();
    const third = offsets(bytes)[2] ?? 0;
    const len = bytes.readInt32LE(third);
    const cases: [string, (b: Buffer) => void][] = [
      ['outside 5 bytes to 16 MiB', (b) => b.writeInt32LE(4, third)],
      ['outside 5 bytes to 16 MiB', (b) => b.writeInt32LE(16 * 1024 * 1024 + 1, third)],
      ['outside 5 bytes to 16 MiB', (b) => b.writeInt32LE(-1, third)],
      ['does not end with 0x00', (b) => b.writeUInt8(0x41, third + len - 1)],
    ];
    for (const [message, damage] of cases) {
      const b = Buffer.from(bytes);
      damage(b);
      const c = await read(b);
      expect(allRows(c.events)).toHaveLength(2);
      expect(c.error).toMatchObject({ code: 'VIGIE_BAD_FORMAT', position: { record: 3, byte: third } });
      expect(c.error?.message).toContain(message);
    }
  });
});

describe('hostile BSON built byte by byte', () => {
  const first = stringDoc('nom', 'Dupont');
  const last = stringDoc('nom', 'Lefèvre');

  it('a 16 MiB document of nested objects is skipped as too deep without crashing; the next is read', async () => {
    const deep = nested(2_097_000);
    expect(deep.length).toBeLessThanOrEqual(16 * 1024 * 1024);
    const c = await read(Buffer.concat([first, deep, last]), { maxRecordChars: 17 * 1024 * 1024 });
    expect(c.error).toBeUndefined();
    expect(skips(c.events)).toEqual([{ reason: 'too deep', file: 'dump/crm/clients.bson', record: 2, byte: first.length }]);
    expect(allRows(c.events)).toEqual([['Dupont'], ['Lefèvre']]);
  });

  it('honours maxDepth, the JSON reader’s rule: 64 levels by default', async () => {
    const at = (depth: number, opts: Partial<SourceOptions> = {}) => read(nested(depth), opts).then((c) => skips(c.events).map((s) => s.reason));
    // `nested(n)` puts n containers under the document; the deepest is empty (no cell).
    expect(await at(63)).toEqual([]);
    expect(await at(64)).toEqual(['too deep']);
    expect(await at(100)).toEqual(['too deep']);
    expect(await at(100, { maxDepth: 200 })).toEqual([]);
  });

  it('a document longer than maxRecordChars is skipped over without being held; reading goes on', async () => {
    const big = stringDoc('commentaire', 'x'.repeat(300_000));
    const c = await read(Buffer.concat([first, big, last]), { maxRecordChars: 100_000 }, 4096);
    expect(c.error).toBeUndefined();
    expect(skips(c.events)).toEqual([{ reason: 'record too long', file: 'dump/crm/clients.bson', record: 2, byte: first.length }]);
    expect(allRows(c.events)).toEqual([['Dupont'], ['Lefèvre']]);
    // Cut inside it: still a truncation.
    const cut = await read(Buffer.concat([first, big.subarray(0, 200_000)]), { maxRecordChars: 100_000 }, 4096);
    expect(cut.error).toMatchObject({ code: 'VIGIE_TRUNCATED', position: { record: 2, byte: first.length } });
  });

  it('documents with thousands of distinct keys stop at the column cap, as the JSON reader does', async () => {
    const docs: Buffer[] = [];
    for (let i = 0; i < 3; i++) {
      const fields: Buffer[] = [];
      for (let k = 0; k < 2000; k++) {
        const one = stringDoc(`champ_${i}_${k}`, 'v');
        fields.push(one.subarray(4, one.length - 1));
      }
      const body = Buffer.concat(fields);
      const head = Buffer.alloc(4);
      head.writeInt32LE(body.length + 5, 0);
      docs.push(Buffer.concat([head, body, Buffer.from([0])]));
    }
    const bytes = Buffer.concat([...docs, last]);
    const c = await read(bytes);
    expect(c.error).toBeUndefined();
    // The third document passes the cap, and so does the last one's new key after it.
    expect(skips(c.events).map((s) => [s.reason, s.record])).toEqual([
      ['too many columns', 3],
      ['too many columns', 4],
    ]);
    expect(c.columns[0]?.length).toBe(MAX_COLUMNS);
    expect(allRows(c.events)).toHaveLength(2);
    const json = await collect(readJson(oneChunk(asEjsonLines(bytes)), { displayName: 'x.json' }));
    expect(c.columns).toEqual(json.columns);
    expect(allRows(c.events)).toEqual(allRows(json.events));
    expect(skips(json.events).map((s) => [s.reason, s.record])).toEqual(skips(c.events).map((s) => [s.reason, s.record]));
  });

  it('never throws on damaged bytes: every document is a row or a skip (random single-byte damage)', async () => {
    const base = Buffer.concat([first, stringDoc('email', 'jean.dupont@exemple.fr'), nested(5), last]);
    let s = 7;
    for (let n = 0; n < 2000; n++) {
      s = (s * 1_103_515_245 + 12_345) >>> 0;
      const b = Buffer.from(base);
      // Damage inside the second and third documents only: the framing stays intact.
      const at = first.length + 4 + (s % (base.length - first.length - last.length - 9));
      b[at] = (s >>> 8) & 0xff;
      const c = await read(b);
      if (c.error !== undefined) {
        // A damaged length or terminator can break the framing: then a VigieError, never a crash.
        expect(c.error).toMatchObject({ code: expect.stringMatching(/^VIGIE_(BAD_FORMAT|TRUNCATED)$/) });
        continue;
      }
      const skipped = skips(c.events).length;
      expect(allRows(c.events).length + skipped).toBeGreaterThanOrEqual(3);
    }
  });

  it('an empty key (named `value`, as in JSON), a __proto__ key and invalid UTF-8 (U+FFFD) are read', async () => {
    const bad = stringDoc('ville', 'Saint-Étienne');
    bad[bad.indexOf(0xc3)] = 0xff;
    const proto = stringDoc('__proto__', 'x');
    const c = await read(Buffer.concat([stringDoc('', 'vide'), proto, bad]));
    expect(c.error).toBeUndefined();
    expect(c.columns[0]).toEqual(['value', '__proto__', 'ville']);
    expect(allRows(c.events)).toEqual([['vide'], [null, 'x'], [null, null, 'Saint-\ufffd\ufffdtienne']]);
  });
});

describe('detection', () => {
  it('BSON from its framing; text, UTF-16 text and short or odd samples are not BSON', () => {
    const doc = stringDoc('nom', 'Dupont');
    expect(bsonKind(doc)).toBe('bson');
    // A first document longer than the sample: its framing is checked as far as the sample goes.
    expect(bsonKind(stringDoc('nom', 'x'.repeat(100_000)).subarray(0, 64 * 1024))).toBe('bson');
    expect(bsonKind(Buffer.from('nom;prenom;email\n'))).toBeUndefined();
    // UTF-16LE text without BOM: `a\0b\0\t\0` would read as a length and a type, but its key is empty.
    expect(bsonKind(Buffer.from('ab\tcd\n', 'utf16le'))).toBeUndefined();
    const noZero = Buffer.from(doc);
    noZero[noZero.length - 1] = 0x41;
    expect(bsonKind(noZero)).toBeUndefined();
    expect(bsonKind(Buffer.from([4, 0, 0, 0, 0]))).toBeUndefined();
    expect(bsonKind(Buffer.from([5, 0, 0]))).toBeUndefined();
  });

  it('mongodump --archive is refused with what to do instead', () => {
    const archive = Buffer.concat([Buffer.from([0x6d, 0xe2, 0x99, 0x81]), stringDoc('version', '0.1')]);
    expect(bsonKind(archive)).toBe('archive');
    expect(() => detectFormat(archive, 'crm.archive')).toThrow(/mongodump --archive.*mongorestore --archive.*without --archive/);
  });
});
