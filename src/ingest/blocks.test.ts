import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDataset, type GenOptions } from '../gen/index.js';
import { openBlocks, readSource } from '../read/index.js';
import { readInBlocks } from './blocks.js';
import { ingest, type IngestOptions } from './index.js';
import { WorkerPool } from './pool.js';
import { RecordProcessor, type TableSpec } from './processor.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-blocks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Report = Awaited<ReturnType<typeof ingest>>;
const comparable = (r: Report): unknown => ({ ...r, elapsedMs: 0, recordsPerSecond: 0 });

async function dry(file: string, extra: Partial<IngestOptions>): Promise<Report> {
  return ingest({ files: [file], breach: { name: 'Blocs' }, dryRun: true, workers: 0, ...extra });
}

/** Every skip position and the accepted-record count, read in one piece. */
async function whole(file: string): Promise<{ skips: string[]; rows: number }> {
  const skips: string[] = [];
  let rows = 0;
  let first = true;
  for await (const ev of readSource(file, { displayName: file })) {
    if (ev.kind === 'skip') skips.push(`${ev.reason}@${ev.position.line}/${ev.position.record}`);
    if (ev.kind === 'rows') rows += ev.rows.length;
    if (ev.kind === 'table' && ev.headerRow && first) first = false;
  }
  return { skips, rows };
}

/** The same, read in blocks of `blockBytes` on one worker (and the main thread when it is busy). */
async function inBlocks(file: string, blockBytes: number): Promise<{ skips: string[]; rows: number; blocks: number }> {
  const spec: TableSpec = { columns: [] };
  const pool = new WorkerPool(1, { key: null, scope: 'Blocs' }, 1);
  pool.defineTable(0, spec);
  const inline = new RecordProcessor(spec);
  const src = await openBlocks(file, { displayName: file }, blockBytes);
  if (!src) throw new Error('not read in blocks');
  const skips: string[] = [];
  let rows = 0;
  let blocks = 0;
  let started = false;
  try {
    for await (const ev of readInBlocks(src, { pool, table: () => (started ? { specId: 0, inline } : null) })) {
      if (ev.kind === 'table') started = true;
      if (ev.kind === 'skip') skips.push(`${ev.reason}@${ev.position.line}/${ev.position.record}`);
      if (ev.kind === 'rows') rows += ev.rows.length;
      if (ev.kind === 'block') {
        blocks++;
        rows += ev.rows;
        expect((await ev.result).records).toBe(ev.rows);
        for (const s of ev.skips) skips.push(`${s.reason}@${s.position.line}/${s.position.record}`);
      }
    }
  } finally {
    await pool.close();
  }
  return { skips, rows, blocks };
}

describe('reading a delimited file in blocks on the workers', () => {
  const generated: [string, Omit<GenOptions, 'out'>][] = [
    // Comments with quoted line breaks and quotes, 2 % malformed records: cuts fall inside quoted fields.
    ['full-utf8.csv', { rows: 1500, seed: 21, format: 'csv', columns: 'full', malformedShare: 0.02 }],
    ['full-bom.csv', { rows: 1200, seed: 22, format: 'csv', columns: 'full', encoding: 'utf8-bom', malformedShare: 0.02 }],
    // The shape of a real export: Windows-1252, `;`, CRLF, JJ/MM/AAAA dates, an account id per row.
    ['export-1252.csv', { rows: 2000, seed: 23, format: 'csv', columns: 'ants', delimiter: ';', encoding: 'windows-1252', malformedShare: 0.01 }],
    ['quoted-utf8.csv', { rows: 1500, seed: 29, format: 'csv', columns: 'ants', delimiter: ';', quote: 'text', eol: 'crlf', malformedShare: 0.02 }],
    ['full-1252.csv', { rows: 1200, seed: 24, format: 'csv', columns: 'full', delimiter: ';', encoding: 'windows-1252', malformedShare: 0.02 }],
    ['tab.tsv', { rows: 1500, seed: 25, format: 'csv', columns: 'standard', delimiter: '\t', header: false, malformedShare: 0.02 }],
  ];
  for (const [name, opts] of generated) {
    it(`${name}: every skip position and count as read in one piece, whatever the block size`, async () => {
      const file = join(dir, name);
      await writeDataset({ out: file, ...opts });
      const expected = await whole(file);
      expect(expected.skips.length).toBeGreaterThan(5);
      for (const size of [613, 4096, 1 << 20]) {
        const got = await inBlocks(file, size);
        expect({ skips: got.skips, rows: got.rows }, `blocks of ${size} bytes`).toEqual(expected);
        if (size === 4096) expect(got.blocks, 'most blocks parsed on the workers').toBeGreaterThan(10);
      }
      // The whole report, inline and on two workers in small blocks.
      const inline = await dry(file, {});
      for (const blockBytes of [997, 1 << 20]) expect(comparable(await dry(file, { workers: 2, blockBytes }))).toEqual(comparable(inline));
    });
  }

  it('hostile text: a quote never closed, a line longer than a block, lone CRs, a cut just before a line feed', async () => {
    const header = 'nom;prenom;email;telephone\r\n';
    const line = (i: number): string => `Durand${i};Zoé;zoe.durand${i}@exemple.fr;06 12 34 ${String(i % 100).padStart(2, '0')} 00\r\n`;
    let body = header;
    for (let i = 0; i < 3000; i++) {
      if (i === 700) body += `"Martin;Léa;lea.martin@exemple.fr;0611223344\r\n`; // a quote never closed
      if (i === 1500) body += `Long;${'x'.repeat(20_000)};long@exemple.fr;0611223344\r\n`; // longer than a block
      if (i === 2000) body += `Seul;Retour;seul@exemple.fr;0611223344\rAutre;Ligne;autre@exemple.fr;0611223355\r\n`; // a lone CR
      if (i === 2500) body += `"Multi\r\nligne";Nom;multi@exemple.fr;0611223366\r\n`; // a quoted line break
      if (i % 333 === 0) body += `trop;peu\r\n`; // a field count skip
      body += line(i);
    }
    const file = join(dir, 'hostile.csv');
    writeFileSync(file, iconv.encode(body, 'windows-1252'));
    const expected = await whole(file);
    expect(expected.skips.some((s) => s.startsWith('field count'))).toBe(true);
    for (const size of [64, 1000, 8192]) expect(await inBlocks(file, size), `blocks of ${size} bytes`).toEqual(expect.objectContaining(expected));
    const inline = await dry(file, {});
    expect(comparable(await dry(file, { workers: 1, blockBytes: 1000 }))).toEqual(comparable(inline));
  });

  it('an ASCII start then Windows-1252 later: the encoding is decided again at the first other byte', async () => {
    let body = 'nom,prenom,email\n';
    for (let i = 0; i < 4000; i++) body += `Durand,Zoe,zoe${i}@exemple.fr\n`;
    for (let i = 0; i < 500; i++) body += `Lefèvre,Hélène,helene${i}@exemple.fr\n`;
    const file = join(dir, 'late-accents.csv');
    writeFileSync(file, iconv.encode(body, 'windows-1252'));
    const inline = await dry(file, {});
    expect(inline.tables[0]?.meta['encoding']).toBe('utf8'); // decided on an ASCII sample, as readSource says
    expect(comparable(await dry(file, { workers: 2, blockBytes: 8192 }))).toEqual(comparable(inline));
  });

  it('leaves to readSource what cannot be cut after line feeds: UTF-16, gzip, other formats', async () => {
    const utf16 = join(dir, 'utf16.csv');
    await writeDataset({ out: utf16, rows: 300, seed: 26, format: 'csv', columns: 'ants', encoding: 'utf16le' });
    const gz = join(dir, 'people.csv.gz');
    await writeDataset({ out: gz, rows: 300, seed: 27, format: 'csv', columns: 'standard', gzip: true });
    const json = join(dir, 'people.json');
    await writeDataset({ out: json, rows: 300, seed: 28, format: 'json', columns: 'standard' });
    for (const f of [utf16, gz, json]) {
      expect(await openBlocks(f, { displayName: f })).toBeNull();
      expect(comparable(await dry(f, { workers: 2 }))).toEqual(comparable(await dry(f, {})));
    }
  });
});
