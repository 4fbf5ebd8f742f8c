// npm run bench:compressed: a dry run of the same generated export, plain and compressed by
// gzip, xz, bzip2 and zstd (their own commands, default levels), beside each command's own
// decompression of the file to /dev/null, in the same run. It shows what each compressor costs
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
  const ingest = (file, env = process.env) => {
    const r = spawnSync(process.execPath, [cli, 'ingest', file, '--dry-run', '--breach', 'Bench', '--json'], { env, maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`vigie ingest ${file} failed: ${r.stderr}`);
    const report = JSON.parse(r.stdout.toString('utf8'));
    if (report.records + report.skipped < rows) throw new Error(`${file}: ${report.records} records, ${report.skipped} skipped`);
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
  log(`${rows.toLocaleString('en-US')} rows, ${(plain.length / 1e6).toFixed(1)} MB plain; best of ${repeats}`);
  log('| file | size | its command, to /dev/null | Vigie dry run | records/s | over plain |');
  log('|---|---|---|---|---|---|');
  for (const r of results) {
    const cmd = r.commandSeconds === undefined ? '' : `${r.commandSeconds.toFixed(2)} s`;
    log(
      `| ${r.case} | ${(r.bytes / 1e6).toFixed(1)} MB | ${cmd} | ${r.ingestSeconds.toFixed(2)} s | ${Math.round(rows / r.ingestSeconds).toLocaleString('en-US')} | ${(r.ingestSeconds / plainSeconds).toFixed(2)}× |`,
    );
  }
  mkdirSync(join(here, 'out'), { recursive: true });
  writeFileSync(join(here, 'out', 'compressed.json'), `${JSON.stringify({ rows, repeats, results }, null, 2)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
