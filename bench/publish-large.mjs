// npm run bench:publish-large (on demand, not in CI): a realistic export of BENCH_ROWS rows
// (default 10,000,000; Windows-1252, `;`, CRLF, 1 % malformed rows, `vigie gen --columns ants`)
// published into a fresh SQLite store by the CLI on two cores, under /usr/bin/time for its
// peak RSS. Reports the time, records/s, the pseudonyms stored, the store's bytes per
// identifier, and a linear extrapolation to 45 million records (an estimate: stated as such).
// The generated file (about 1.25 GB at 10M rows) is kept under bench/out/ for the next run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDataset } from '../dist/gen/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const rows = Number(process.env.BENCH_ROWS ?? 10_000_000);
const outDir = join(here, 'out');
mkdirSync(outDir, { recursive: true });
const vigie = join(here, '..', 'bin', 'vigie.js');
const file = join(outDir, `ingest-export-1252-${rows}.csv`);
if (!existsSync(file)) {
  process.stderr.write(`generating ${rows} rows...\n`);
  const t = performance.now();
  await writeDataset({
    out: file,
    rows,
    seed: 42,
    format: 'csv',
    columns: 'ants',
    delimiter: ';',
    encoding: 'windows-1252',
    eol: 'crlf',
    malformedShare: 0.01,
  });
  process.stderr.write(`  ${((performance.now() - t) / 1000).toFixed(0)} s\n`);
}
const bytes = statSync(file).size;
const data = join(outDir, 'publish-large');
rmSync(data, { recursive: true, force: true });
const env = { ...process.env, VIGIE_DATA: data };
delete env.VIGIE_STORE;
const init = spawnSync(process.execPath, [vigie, 'init'], { env, encoding: 'utf8' });
if (init.status !== 0) throw new Error(`vigie init failed: ${init.stderr}`);
process.stderr.write(`publishing ${(bytes / 1e6).toFixed(0)} MB into SQLite...\n`);
const t0 = performance.now();
const r = spawnSync('/usr/bin/time', ['-f', 'VIGIE_BENCH_RSS %M', process.execPath, vigie, 'ingest', file, '--breach', 'Large', '--json'], {
  env,
  encoding: 'utf8',
  maxBuffer: 1 << 26,
});
const seconds = (performance.now() - t0) / 1000;
if (r.status !== 0) throw new Error(`vigie ingest failed: ${r.stderr.slice(-2000)}`);
const report = JSON.parse(r.stdout);
const rss = Number(/VIGIE_BENCH_RSS (\d+)/.exec(r.stderr)?.[1] ?? Number.NaN) / 1024;
const dbBytes = ['vigie.db', 'vigie.db-wal'].map((f) => join(data, f)).reduce((n, f) => n + (existsSync(f) ? statSync(f).size : 0), 0);
const records = report.records;
const result = {
  date: new Date().toISOString(),
  rows,
  bytes,
  records,
  skipped: report.skipped,
  seconds,
  recordsPerSecond: records / seconds,
  peakRssMB: rss,
  identifiers: report.published?.identifiers,
  storeBytesPerIdentifier: report.published?.identifiers ? dbBytes / report.published.identifiers : null,
  people: report.people,
  peopleStandardError: report.peopleStandardError ?? null,
  warnings: report.warnings.map((w) => w.code),
  // Linear in records: reading, hashing and staging are; the commit's merge of sorted runs is
  // n·log(runs), a little worse. An estimate, not a measurement.
  extrapolated45MSeconds: (45_000_000 / records) * seconds,
};
rmSync(data, { recursive: true, force: true });
writeFileSync(join(outDir, `publish-large-${rows}.json`), JSON.stringify(result, null, 2));
process.stdout.write(JSON.stringify(result, null, 2) + '\n');
