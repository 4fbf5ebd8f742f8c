/**
 * `pg_dump -Fc` archives made by the real pg_dump (15, archive version 1.14) from a scratch
 * database of synthetic French customers (test-helpers/database.ts), read against the plain
 * dump of the same database; other archive versions (1.12 to 1.16) rewritten from the real
 * archive (test-helpers/archive.ts); hostile archives made by cutting, flipping and patching it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVigieError } from '../../../errors.js';
import { ingest } from '../../../ingest/index.js';
import type { ImpactReport } from '../../../report/index.js';
import { cliEnv, runCli } from '../../../cli/test-helpers/run-cli.js';
import { ExpansionBudget } from '../../archive/index.js';
import { makeZip } from '../../archive/test-helpers/zip.js';
import { detectFormat } from '../../detect.js';
import { readSource, type Cell, type ReadEvent, type SourceOptions } from '../../index.js';
import { prng } from '../test-helpers/collect.js';
import { readPgCustom } from './index.js';
import { blockOf, field, int, layout, rewrite, tableData } from './test-helpers/archive.js';
import { CLIENTS, COMMANDES, REPEATED, havePostgres, makeDumps, type Dumps } from './test-helpers/database.js';

const ci = process.env['CI'] !== undefined && process.env['CI'] !== '';
const have = havePostgres();
const dir = mkdtempSync(join(tmpdir(), 'vigie-pgcustom-'));
let d: Dumps;

beforeAll(() => {
  if (have) d = makeDumps(`vigie_pgcustom_${process.pid}_${Date.now() % 1_000_000}`, dir);
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Table {
  table: string;
  format: string;
  columns: string[];
  meta: Record<string, string>;
  rows: Cell[][];
  skips: { reason: string; line?: number; record?: number }[];
}
interface Read {
  tables: Table[];
  /** Skips outside any table. */
  orphans: { reason: string; byte?: number }[];
  error: (Error & { code?: string; position?: { byte?: number; table?: string } }) | undefined;
}

function gather(events: ReadEvent[], error?: unknown): Read {
  const tables: Table[] = [];
  const orphans: Read['orphans'] = [];
  for (const ev of events) {
    if (ev.kind === 'table') tables.push({ table: ev.meta['table'] ?? '', format: ev.format, columns: ev.columns, meta: ev.meta, rows: [], skips: [] });
    else if (ev.kind === 'rows') tables.at(-1)?.rows.push(...ev.rows);
    else if (ev.position.table === undefined) orphans.push({ reason: ev.reason, byte: ev.position.byte });
    else tables.at(-1)?.skips.push({ reason: ev.reason, line: ev.position.line, record: ev.position.record });
  }
  return { tables, orphans, error: error as Read['error'] };
}

async function read(path: string, o: Partial<SourceOptions> = {}): Promise<Read> {
  const events: ReadEvent[] = [];
  try {
    for await (const ev of readSource(path, { displayName: 'base.dump', ...o })) events.push(ev);
  } catch (err) {
    return gather(events, err);
  }
  return gather(events);
}

/** Writes `bytes` to a file of its own and reads it. */
async function readBytes(name: string, bytes: Buffer, o: Partial<SourceOptions> = {}): Promise<Read> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return read(path, o);
}

/** What must agree between two readings: names, columns, rows and skips of each table. */
const content = (r: Read): unknown => r.tables.map((t) => ({ table: t.table, columns: t.columns, rows: t.rows, skips: t.skips }));

describe('pg_dump -Fc from the real pg_dump', () => {
  it.runIf(!have && ci)('needs PostgreSQL and pg_dump on CI (postgresql-client)', () => {
    throw new Error('psql/pg_dump or the server at 127.0.0.1:5432 is missing');
  });

  describe.skipIf(!have)('read as the plain dump of the same database', () => {
    it('is detected from its first bytes', () => {
      expect(detectFormat(readFileSync(d.custom).subarray(0, 4096), 'base.dump')).toBe('pgcustom');
      expect(detectFormat(readFileSync(d.uncompressed).subarray(0, 64), 'base.dump')).toBe('pgcustom');
    });

    it.each([
      ['custom', 'gzip'],
      ['uncompressed', 'none'],
      ['best', 'gzip'],
      ['piped', 'gzip'],
    ] as const)('-Fc %s: the same tables, columns, rows as -Fp; no empty table, no sequence', async (which, compression) => {
      const plain = await read(d.plain);
      const custom = await read(d[which]);
      expect(plain.error).toBeUndefined();
      expect(custom.error).toBeUndefined();
      expect(plain.tables.map((t) => [t.table, t.rows.length])).toEqual([
        ['public.clients', CLIENTS],
        ['public.commandes', COMMANDES],
      ]);
      expect(content(custom)).toEqual(content(plain));
      expect(custom.tables.map((t) => t.format)).toEqual(['pgcustom', 'pgcustom']);
      expect(custom.tables[0]?.meta).toEqual({
        table: 'public.clients',
        statement: 'COPY',
        columnsFrom: 'COPY',
        pgArchive: '1.14',
        compression,
        encoding: 'utf8',
      });
      expect(custom.orphans).toEqual([]);
    });

    it('keeps NULLs, tabs, newlines, backslashes, accents and emoji exactly', async () => {
      const r = await read(d.custom);
      const clients = new Map(r.tables[0]?.rows.map((row) => [row[0], row]));
      const col = (id: string, name: string): Cell | undefined => clients.get(id)?.[r.tables[0]?.columns.indexOf(name) ?? -1];
      expect([col('1', 'nom'), col('1', 'prenom'), col('1', 'ville'), col('1', 'notes')]).toEqual([
        "O'Brien",
        'Seán',
        "L'Haÿ-les-Roses",
        'Client depuis 2019 — « fidèle »',
      ]);
      expect(col('2', 'notes')).toBe('Dossier C:\\Users\\mdupont et le texte \\N littéral');
      expect(col('3', 'notes')).toBe('ligne 1\nligne 2\tcolonne 2\r\nligne 3');
      expect(['telephone', 'email', 'iban', 'notes', 'date_naissance'].map((c) => col('4', c))).toEqual([null, null, null, null, null]);
      expect(col('5', 'notes')).toBe('');
      expect(col('6', 'notes')).toBe('Très satisfaite 😀👍🏽 !');
      expect(col('7', 'notes')).toBe('Rappeler\tavant midi\\urgent');
      expect(r.tables[1]?.columns).toEqual(['id', 'client_id', 'Référence', 'montant', 'commentaire']);
      expect(r.tables[1]?.rows[4]).toEqual(['5', '36', 'CMD-2024005', '66.85', "Livraison à l'accueil\tbâtiment B\n2e étage"]);
    });

    it('-Fc --inserts: its INSERTs read as those of -Fp --inserts, and as the COPY data', async () => {
      const inserts = await read(d.inserts);
      const plainInserts = await read(d.plainInserts);
      const plain = await read(d.plain);
      expect(inserts.error).toBeUndefined();
      expect(inserts.tables.map((t) => t.rows)).toEqual(plainInserts.tables.map((t) => t.rows));
      expect(inserts.tables.map((t) => t.rows)).toEqual(plain.tables.map((t) => t.rows));
      expect(inserts.tables.map((t) => [t.table, t.meta['statement']])).toEqual([
        ['public.clients', 'INSERT'],
        ['public.commandes', 'INSERT'],
      ]);
    });

    it('inside a gzip and inside a zip', async () => {
      const plain = await read(d.plain);
      const gz = await readBytes('base.dump.gz', gzipSync(readFileSync(d.custom)));
      expect(content(gz)).toEqual(content(plain));
      expect(gz.tables[0]?.meta['container']).toBe('gzip');
      const zip = await readBytes('fuite.zip', await makeZip([{ name: 'export/base.dump', data: readFileSync(d.uncompressed) }]));
      expect(zip.error).toBeUndefined();
      expect(content(zip)).toEqual(content(plain));
      expect(zip.tables[0]?.meta['container']).toBe('zip');
    });

    it('any split of the bytes gives the same events as one chunk', async () => {
      for (const path of [d.custom, d.uncompressed]) {
        const bytes = readFileSync(path);
        const events = async (pieces: Buffer[]): Promise<ReadEvent[]> => {
          async function* src(): AsyncGenerator<Buffer> {
            yield* pieces;
          }
          const out: ReadEvent[] = [];
          for await (const ev of readPgCustom(src(), { displayName: 'base.dump', batchSize: 50, budget: new ExpansionBudget('base.dump', bytes.length) }))
            out.push(ev);
          return out;
        };
        const whole = await events([bytes]);
        const rnd = prng(7);
        const pieces: Buffer[] = [];
        for (let i = 0; i < bytes.length; ) {
          const n = 1 + Math.floor(rnd() * 9);
          pieces.push(bytes.subarray(i, i + n));
          i += n;
        }
        expect(await events(pieces)).toEqual(whole);
      }
    });

    it('an ingest of -Fc reports what an ingest of -Fp reports: records, classes, counts, tables', async () => {
      const run = (file: string): Promise<ImpactReport> => ingest({ files: [file], breach: { name: 'Test' }, dryRun: true, workers: 0 });
      const [plain, custom] = [await run(d.plain), await run(d.custom)];
      expect(custom.records).toBe(CLIENTS + COMMANDES);
      for (const k of ['records', 'skipped', 'people', 'dataClasses'] as const) expect(custom[k], k).toEqual(plain[k]);
      const tables = (r: ImpactReport, file: string): unknown =>
        r.tables.map((t) => ({
          name: t.name.slice(file.length),
          records: t.records,
          skipped: t.skipped,
          columns: t.columns.map((c) => [c.name, c.dataClass]),
        }));
      expect(tables(custom, d.custom)).toEqual(tables(plain, d.plain));
      expect(custom.tables.map((t) => t.format)).toEqual(['pgcustom', 'pgcustom']);
    }, 60_000);

    it('vigie ingest --dry-run --json on the archive: the classes and their counts', async () => {
      const env = cliEnv(join(dir, 'data'));
      const r = await runCli(['ingest', d.custom, '--breach', 'Test', '--dry-run', '--json', '--workers', '0'], env);
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as ImpactReport;
      expect(report.records).toBe(CLIENTS + COMMANDES);
      expect(report.skipped).toBe(0);
      expect(report.tables.map((t) => [t.name, t.format, t.records])).toEqual([
        [`${d.custom}:public.clients`, 'pgcustom', CLIENTS],
        [`${d.custom}:public.commandes`, 'pgcustom', COMMANDES],
      ]);
      const valid = (cls: string): number | undefined => report.dataClasses[cls]?.valid;
      // Every client has a name, a NIR, an address; emails, phones and IBANs are missing where
      // the database says NULL (every 29th, 17th and 23rd row, and row 4).
      const missing = (every: number): number => Math.floor(CLIENTS / every) + (4 % every === 0 ? 0 : 1);
      expect(valid('Names')).toBe(CLIENTS);
      expect(valid('Social security numbers')).toBe(CLIENTS);
      expect(valid('Email addresses')).toBe(CLIENTS - missing(29));
      expect(valid('Phone numbers')).toBe(CLIENTS - missing(17));
      expect(valid('Bank account numbers')).toBe(CLIENTS - missing(23));
      expect(valid('Dates of birth')).toBe(CLIENTS - 1);
      expect(valid('Physical addresses')).toBe(CLIENTS);
    }, 60_000);
  });

  describe.skipIf(!have)('archive versions 1.12 to 1.16 (rewritten from the real 1.14 archive)', () => {
    it.each([12, 13, 14, 15, 16])('1.%i, compressed and not, reads as the real archive', async (minor) => {
      for (const path of [d.custom, d.uncompressed]) {
        const bytes = readFileSync(path);
        const real = await read(path);
        const r = await readBytes(`v${minor}.dump`, rewrite(layout(bytes), bytes, minor));
        expect(r.error).toBeUndefined();
        expect(content(r)).toEqual(content(real));
        expect(r.tables[0]?.meta['pgArchive']).toBe(`1.${minor}`);
      }
    });

    it.each([
      [2, 'lz4'],
      [3, 'zstd'],
    ])('a 1.15 archive compressed with algorithm %i is refused, naming %s', async (algorithm, name) => {
      const bytes = readFileSync(d.custom);
      const v15 = rewrite(layout(bytes), bytes, 15);
      v15[11] = algorithm;
      const r = await readBytes(`${name}.dump`, v15);
      expect(r.tables).toEqual([]);
      expect(r.error).toMatchObject({ code: 'VIGIE_BAD_FORMAT', position: { file: 'base.dump', byte: 11 } });
      expect(r.error?.message).toContain(`compressed with ${name}`);
      expect(r.error?.message).toContain('pg_restore -f');
    });

    it('a newer version, a tar-format header and a foreign integer size are refused with their offsets', async () => {
      const bytes = readFileSync(d.custom);
      const patched = (at: number, value: number): Buffer => {
        const b = Buffer.from(bytes);
        b[at] = value;
        return b;
      };
      const v17 = await readBytes('v17.dump', patched(6, 17));
      expect(v17.error).toMatchObject({ code: 'VIGIE_BAD_FORMAT', position: { byte: 5 } });
      expect(v17.error?.message).toContain('1.17.0');
      const tar = await readBytes('tar.dump', patched(10, 3));
      expect(tar.error).toMatchObject({ code: 'VIGIE_BAD_FORMAT', position: { byte: 10 } });
      expect(tar.error?.message).toContain('tar-format');
      const wide = await readBytes('wide.dump', patched(8, 40));
      expect(wide.error).toMatchObject({ code: 'VIGIE_BAD_FORMAT', position: { byte: 8 } });
    });
  });

  describe.skipIf(!have)('hostile archives made from the real one', () => {
    it.each(['custom', 'uncompressed'] as const)(
      '%s, cut in its header, its table of contents, its data: the rows read, then VIGIE_TRUNCATED at the cut',
      async (which) => {
        const bytes = readFileSync(d[which]);
        const l = layout(bytes);
        const full = await read(d[which]);
        const clients = blockOf(l, tableData(l, 'clients'));
        const chunk = clients.chunks[Math.floor(clients.chunks.length / 2)] ?? clients.chunks[0];
        const cuts = [7, 40, l.countAt + 200, l.blocksAt - 3, (chunk?.at ?? 0) + 5 + Math.floor((chunk?.len ?? 0) / 2)];
        for (const cut of cuts) {
          const r = await readBytes('cut.dump', bytes.subarray(0, cut));
          expect(r.error, `cut at ${cut}`).toMatchObject({ code: 'VIGIE_TRUNCATED', position: { file: 'base.dump', byte: cut } });
          if (cut < l.blocksAt) expect(r.tables).toEqual([]);
          else {
            const rows = r.tables[0]?.rows ?? [];
            expect(rows.length).toBeGreaterThan(0);
            expect(rows.length).toBeLessThan(CLIENTS);
            expect(rows).toEqual(full.tables[0]?.rows.slice(0, rows.length));
            expect(r.error?.message).toContain('the data of public.clients');
          }
        }
      },
    );

    it('cut between two data blocks: every row of the first table, then VIGIE_TRUNCATED counting the tables missing', async () => {
      const bytes = readFileSync(d.custom);
      const l = layout(bytes);
      const end = blockOf(l, tableData(l, 'clients')).end;
      const r = await readBytes('cut.dump', bytes.subarray(0, end));
      expect(r.tables.map((t) => [t.table, t.rows.length])).toEqual([['public.clients', CLIENTS]]);
      expect(r.error).toMatchObject({ code: 'VIGIE_TRUNCATED', position: { byte: end } });
      // The data of commandes and of the empty table vide (a block of no rows) are missing.
      expect(r.error?.message).toContain('before the data of 2 table(s)');
    });

    it('corrupt zlib data: VIGIE_BAD_FORMAT with an offset inside the block', async () => {
      const bytes = Buffer.from(readFileSync(d.custom));
      const l = layout(bytes);
      const blk = blockOf(l, tableData(l, 'clients'));
      const chunk = blk.chunks[0];
      if (chunk === undefined) throw new Error('no chunk');
      for (let i = 20; i < 60; i++) bytes[chunk.at + 5 + i] = (bytes[chunk.at + 5 + i] ?? 0) ^ 0x5a;
      const r = await readBytes('corrupt.dump', bytes);
      expect(r.error).toMatchObject({ code: 'VIGIE_BAD_FORMAT' });
      expect(r.error?.message).toContain('corrupt zlib data');
      expect(r.error?.position?.byte).toBeGreaterThan(blk.at);
      expect(r.error?.position?.byte).toBeLessThanOrEqual(blk.end);
    });

    it('absurd lengths: negative or over the limit for a string, negative or past the end for a chunk', async () => {
      const bytes = readFileSync(d.uncompressed);
      const l = layout(bytes);
      const entry = tableData(l, 'commandes');
      const patch = (at: number, value: number): Buffer => {
        const b = Buffer.from(bytes);
        int(value).copy(b, at);
        return b;
      };
      const tag = field(entry, 'tag').at;
      const negative = await readBytes('neg.dump', patch(tag, -5));
      expect(negative.error).toMatchObject({ code: 'VIGIE_BAD_FORMAT', position: { byte: tag } });
      expect(negative.error?.message).toContain('negative string length -5');
      const copy = field(entry, 'copyStmt').at;
      const long = await readBytes('long.dump', patch(copy, 2_000_000));
      expect(long.error).toMatchObject({ code: 'VIGIE_BAD_FORMAT', position: { byte: copy } });
      expect(long.error?.message).toContain('over the limit of 1048576');
      const chunk = blockOf(l, entry).chunks[0]?.at ?? 0;
      const past = await readBytes('past.dump', patch(chunk, 0x7fffffff));
      // The rest of the file is taken as commandes' data (a stream cannot know its end in advance).
      expect(past.tables.map((t) => [t.table, t.rows.length])).toEqual([
        ['public.clients', CLIENTS],
        ['public.commandes', COMMANDES],
      ]);
      expect(past.error).toMatchObject({ code: 'VIGIE_TRUNCATED', position: { byte: bytes.length } });
      const back = await readBytes('back.dump', patch(chunk, -100));
      expect(back.error).toMatchObject({ code: 'VIGIE_BAD_FORMAT', position: { byte: chunk } });
    });

    it('a damaged row is a skip at its line within the table data and its record number', async () => {
      const bytes = Buffer.from(readFileSync(d.uncompressed));
      const l = layout(bytes);
      // Uncompressed, pg_dump 15 writes each row as a chunk of its own.
      const chunk = blockOf(l, tableData(l, 'clients')).chunks.find((c) => bytes.toString('latin1', c.at + 5, c.at + 8) === '10\t');
      if (chunk === undefined) throw new Error('row 10 not found');
      bytes[chunk.at + 7] = 0x20; // the tab after the id: one field short, same length
      const r = await readBytes('row.dump', bytes);
      expect(r.error).toBeUndefined();
      expect(r.tables[0]?.skips).toEqual([{ reason: 'field count', line: 10, record: 10 }]);
      expect(r.tables[0]?.rows).toHaveLength(CLIENTS - 1);
    });

    it('a table of contents of 2^31 entries is refused at once, at its offset', async () => {
      const bytes = Buffer.from(readFileSync(d.custom));
      const l = layout(bytes);
      int(2 ** 31).copy(bytes, l.countAt);
      const started = Date.now();
      const r = await readBytes('count.dump', bytes);
      expect(r.error).toMatchObject({ code: 'VIGIE_BAD_FORMAT', position: { byte: l.countAt } });
      expect(r.error?.message).toContain('2147483648 entries');
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('a data block for an unknown dumpId is a skip; the table that lost it is named at the end', async () => {
      const bytes = Buffer.from(readFileSync(d.custom));
      const l = layout(bytes);
      const blk = blockOf(l, tableData(l, 'commandes'));
      int(99_999).copy(bytes, blk.at + 1);
      const r = await readBytes('unknown.dump', bytes);
      expect(r.tables.map((t) => [t.table, t.rows.length])).toEqual([['public.clients', CLIENTS]]);
      expect(r.orphans).toEqual([{ reason: 'unknown data block', byte: blk.at }]);
      expect(r.error).toMatchObject({ code: 'VIGIE_TRUNCATED' });
    });

    it('a zlib bomb is refused by the expansion budget; the same rows stored uncompressed are not counted', async () => {
      const limits = { expansionFloor: 1 << 20, maxExpansion: 20 };
      const bomb = await read(d.repeated, limits);
      expect(bomb.error).toMatchObject({ code: 'VIGIE_UNSAFE_ARCHIVE' });
      expect(bomb.tables[0]?.rows.length ?? 0).toBeLessThan(REPEATED / 5);
      let rows = 0;
      let peak = 0;
      const before = process.memoryUsage().heapUsed;
      for await (const ev of readSource(d.repeatedUncompressed, { displayName: 'repeated.dump', ...limits })) {
        if (ev.kind === 'rows') rows += ev.rows.length;
        peak = Math.max(peak, process.memoryUsage().heapUsed - before);
      }
      expect(rows).toBe(REPEATED);
      // 400,000 rows of 57 characters held at once would be well over 60 MB of heap.
      expect(peak).toBeLessThan(40 << 20);
    }, 60_000);

    it('random byte flips end in rows, skips or a VigieError, never another error or a hang', async () => {
      const bytes = readFileSync(d.custom);
      const rnd = prng(11);
      for (let k = 0; k < 40; k++) {
        const b = Buffer.from(bytes);
        for (let i = 0; i < 3; i++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
        const r = await readBytes('flip.dump', b);
        if (r.error !== undefined) expect(isVigieError(r.error), String(r.error)).toBe(true);
      }
    }, 60_000);
  });
});
