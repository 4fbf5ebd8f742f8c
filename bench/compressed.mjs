// npm run bench:compressed: a dry run of the same generated export, plain and compressed by
// gzip, xz, bzip2 and zstd (their own commands, default levels), beside each command's own
// decompression of the file to /dev/null, in the same run; and the same records as the
// Parquet files DuckDB writes of them (snappy, its default, and zstd; all columns text; DuckDB
// leaves out the malformed rows, so their rate is of their own records). It shows what each compressor costs
// an ingest, and whether Vigie's decompression or its reading sets the pace. bzip2 is run twice:
// through the `bzip2` command (the default when it is installed) and in JavaScript
// (unbzip2-stream, the fallback: PATH without bzip2).
//
//   node bench/compressed.mjs
//   env: BENCH_ROWS (default 500,000), BENCH_REPEATS (default 2; the best time is kept)
// Figures go to stderr and to bench/out/compressed.json.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import iconv from 'iconv-lite';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(dirname(here), 'bin', 'vigie.js');
const rows = Number(process.env.BENCH_ROWS ?? 500_000);
const repeats = Number(process.env.BENCH_REPEATS ?? 2);
const work = mkdtempSync(join(tmpdir(), 'vigie-bench-compressed-'));
const log = (s) => process.stderr.write(`${s}\n`);

try {
  const csv = join(work, 'export.csv');
  // The shape of real exports: Windows-1252, `;`, CRLF, some quoted fields, 1 % malformed rows.
  execFileSync(
    process.execPath,
    [
      cli,
      'gen',
      '--rows',
      String(rows),
      '--seed',
      '11',
      '--columns',
      'full',
      '--encoding',
      'windows-1252',
      '--delimiter',
      ';',
      '--eol',
      'crlf',
      '--malformed-share',
      '0.01',
      '--out',
      csv,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const plain = readFileSync(csv);
  const compressors = {
    gzip: ['gzip', ['-c', '-6'], ['gzip', ['-d', '-c']]],
    xz: ['xz', ['-c', '-6', '-T1'], ['xz', ['-d', '-c']]],
    bzip2: ['bzip2', ['-c', '-9'], ['bzip2', ['-d', '-c']]],
    zstd: ['zstd', ['-c', '-q', '-3'], ['zstd', ['-d', '-c', '-q']]],
  };
  const files = { plain: csv };
  for (const [kind, [cmd, args]] of Object.entries(compressors)) {
    files[kind] = `${csv}.${kind}`;
    writeFileSync(files[kind], execFileSync(cmd, args, { input: plain, maxBuffer: 2 ** 31 }));
  }
  // A PATH holding node and zstd but not bzip2: the JavaScript fallback.
  const bin = join(work, 'bin');
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  const noBzip2 = { ...process.env, PATH: bin };

  const best = (f) => {
    let min = Infinity;
    for (let i = 0; i < repeats; i++) {
      const t0 = performance.now();
      f();
      min = Math.min(min, performance.now() - t0);
    }
    return min / 1000;
  };
  const ingest = (file, env = process.env, expected = rows) => {
    const r = spawnSync(process.execPath, [cli, 'ingest', file, '--dry-run', '--breach', 'Bench', '--json'], { env, maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`vigie ingest ${file} failed: ${r.stderr}`);
    const report = JSON.parse(r.stdout.toString('utf8'));
    if (report.records + report.skipped < expected) throw new Error(`${file}: ${report.records} records, ${report.skipped} skipped`);
  };
  const results = [];
  const plainSeconds = best(() => ingest(csv));
  results.push({ case: 'plain', bytes: plain.length, ingestSeconds: plainSeconds });
  for (const [kind, [, , [cmd, args]]] of Object.entries(compressors)) {
    const bytes = statSync(files[kind]).size;
    const commandSeconds = best(() => execFileSync(cmd, [...args, files[kind]], { stdio: ['ignore', 'ignore', 'inherit'] }));
    const ingestSeconds = best(() => ingest(files[kind]));
    results.push({ case: kind, bytes, commandSeconds, ingestSeconds });
    if (kind === 'bzip2') results.push({ case: 'bzip2 (JavaScript)', bytes, ingestSeconds: best(() => ingest(files[kind], noBzip2)) });
  }
  // Parquet: DuckDB reads the export (as UTF-8: its CSV reader has no Windows-1252) and writes it.
  const utf8 = join(work, 'export-utf8.csv');
  writeFileSync(utf8, iconv.decode(plain, 'windows-1252'));
  const duck = await (await DuckDBInstance.create(':memory:')).connect();
  for (const codec of ['snappy', 'zstd']) {
    const file = join(work, `export-${codec}.parquet`);
    const from = `read_csv('${utf8}', header = true, delim = ';', all_varchar = true, ignore_errors = true)`;
    await duck.run(`COPY (SELECT * FROM ${from}) TO '${file}' (FORMAT parquet, COMPRESSION ${codec})`);
    const records = Number((await duck.runAndReadAll(`SELECT count(*) FROM '${file}'`)).getRows()[0][0]);
    const ingestSeconds = best(() => ingest(file, process.env, records));
    results.push({ case: `Parquet, ${codec}`, bytes: statSync(file).size, records, ingestSeconds });
  }
  duck.closeSync();
  log(`${rows.toLocaleString('en-US')} rows, ${(plain.length / 1e6).toFixed(1)} MB plain; best of ${repeats}`);
  log('| file | size | its command, to /dev/null | Vigie dry run | records/s | over plain |');
  log('|---|---|---|---|---|---|');
  for (const r of results) {
    const cmd = r.commandSeconds === undefined ? '' : `${r.commandSeconds.toFixed(2)} s`;
    const perSecond = (r.records ?? rows) / r.ingestSeconds;
    // Time per record over the plain file's (the Parquet files hold fewer records).
    const over = (r.ingestSeconds / plainSeconds) * (rows / (r.records ?? rows));
    log(
      `| ${r.case} | ${(r.bytes / 1e6).toFixed(1)} MB | ${cmd} | ${r.ingestSeconds.toFixed(2)} s | ${Math.round(perSecond).toLocaleString('en-US')} | ${over.toFixed(2)}× |`,
    );
  }
  mkdirSync(join(here, 'out'), { recursive: true });
  writeFileSync(join(here, 'out', 'compressed.json'), `${JSON.stringify({ rows, repeats, results }, null, 2)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
