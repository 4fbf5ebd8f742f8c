// npm run bench:ingest: three files of BENCH_ROWS rows (default 1,000,000), each read by every
// contender in the same run:
//   - `project`: the project's own generated CSV (UTF-8, LF, no quoting, no malformed rows);
//   - `export-1252`: the shape real exports have (Excel FR): Windows-1252, `;`, CRLF, 1 %
//     malformed rows, an account identifier per row, JJ/MM/AAAA dates, phones in mixed writings;
//   - `export-utf8`: the same in UTF-8 with every text field quoted (LibreOffice, export tools).
// For each: sha1sum's MB/s, a dry run on one core and on two, a publish into SQLite and into
// PostgreSQL (BENCH_PG=0 to skip), DuckDB counting the same file's distinct e-mails, phones and
// rows on two threads (a columnar engine's read speed, for scale), and the straightforward
// pipeline (papaparse + libphonenumber-js + createHmac, bench/baseline-ingest.mjs).
// Figures go to stdout and bench/out/ingest.json.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDataset } from '../dist/gen/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const repeats = Number(process.env.BENCH_REPEATS ?? 2);
const withPg = process.env.BENCH_PG !== '0';
const only = process.env.BENCH_FILES?.split(',');
const outDir = join(here, 'out');
mkdirSync(outDir, { recursive: true });
const vigie = join(here, '..', 'bin', 'vigie.js');

const FILES = [
  { id: 'project', opts: { format: 'csv', columns: 'standard' }, delimiter: ',', encoding: 'utf-8' },
  {
    id: 'export-1252',
    opts: { format: 'csv', columns: 'ants', delimiter: ';', encoding: 'windows-1252', eol: 'crlf', malformedShare: 0.01 },
    delimiter: ';',
    encoding: 'latin-1',
  },
  {
    id: 'export-utf8',
    opts: { format: 'csv', columns: 'ants', delimiter: ';', encoding: 'utf8', eol: 'crlf', quote: 'text', malformedShare: 0.01 },
    delimiter: ';',
    encoding: 'utf-8',
  },
].filter((f) => !only || only.includes(f.id));

function run(cmd, args, env = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.slice(-2000)}`);
  return { seconds: (performance.now() - t0) / 1000, stdout: r.stdout, stderr: r.stderr };
}

/** Best of `repeats` runs of a command printing one JSON line with `records`. */
function best(label, make) {
  let out = null;
  for (let i = 0; i < repeats; i++) {
    const r = make();
    if (!out || r.recordsPerSecond > out.recordsPerSecond) out = r;
  }
  out.label = label;
  const rss = out.peakRssMB === undefined ? '' : `, peak RSS ${out.peakRssMB.toFixed(0)} MB`;
  process.stderr.write(`  ${label}: ${Math.round(out.recordsPerSecond).toLocaleString('en-US')} records/s, ${out.MBps.toFixed(1)} MB/s${rss}\n`);
  return out;
}

const hasTime = existsSync('/usr/bin/time');

/** A CLI run under /usr/bin/time: its wall time and peak RSS. */
function timedCli(cpus, args, env) {
  const pre = hasTime ? ['/usr/bin/time', '-f', 'VIGIE_BENCH_RSS %M'] : [];
  const cmd = ['taskset', '-c', cpus, ...pre, process.execPath, vigie, ...args];
  const r = run(cmd[0], cmd.slice(1), env);
  const rss = /VIGIE_BENCH_RSS (\d+)/.exec(r.stderr);
  return { seconds: r.seconds, report: JSON.parse(r.stdout), peakRssMB: rss ? Number(rss[1]) / 1024 : undefined };
}

const results = { date: new Date().toISOString(), node: process.version, rows, files: [] };

for (const f of FILES) {
  const file = join(outDir, `ingest-${f.id}-${rows}.csv`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${f.id} (${rows} rows)...\n`);
    await writeDataset({ out: file, rows, seed: 42, ...f.opts });
  }
  const bytes = statSync(file).size;
  const MB = bytes / 1e6;
  process.stderr.write(`${f.id}: ${MB.toFixed(0)} MB\n`);
  execFileSync('cat', [file], { stdio: 'ignore', maxBuffer: 1 << 30 }); // warm the page cache
  let sha1 = Infinity;
  for (let i = 0; i < repeats; i++) sha1 = Math.min(sha1, run('taskset', ['-c', '0', 'sha1sum', file]).seconds);
  const sha1MBps = MB / sha1;
  process.stderr.write(`  sha1sum: ${sha1MBps.toFixed(1)} MB/s\n`);

  const dry = (cpus, workers) => () => {
    const r = JSON.parse(
      run('taskset', ['-c', cpus, process.execPath, join(here, 'run-ingest.mjs'), file, String(workers)])
        .stdout.trim()
        .split('\n')
        .pop(),
    );
    return { ...r, cpus, workers, MBps: MB / r.seconds };
  };
  const oneInline = best('dry run, 1 core, inline', dry('0', 0));
  const oneWorker = best('dry run, 1 core, 1 worker', dry('0', 1));
  const two1 = best('dry run, 2 cores, 1 worker + main (the default)', dry('0,1', 1));
  const two2 = best('dry run, 2 cores, 2 workers + main', dry('0,1', 2));
  const one = oneInline.recordsPerSecond >= oneWorker.recordsPerSecond ? oneInline : oneWorker;
  const two = two1.recordsPerSecond >= two2.recordsPerSecond ? two1 : two2;

  const publish = (label, store) =>
    best(label, () => {
      // PostgreSQL keeps its data directory (the store is bound to its key); the leak is deleted before each run.
      const data = join(outDir, store ? 'publish-postgres' : `publish-${f.id}`);
      if (!store) rmSync(data, { recursive: true, force: true });
      const env = { VIGIE_DATA: data, ...(store ? { VIGIE_STORE: store } : {}) };
      run(process.execPath, [vigie, 'init'], env);
      if (store) spawnSync(process.execPath, [vigie, 'breach', 'delete', 'Bench'], { env: { ...process.env, ...env }, stdio: 'ignore' });
      const r = timedCli('0,1', ['ingest', file, '--breach', 'Bench', '--json'], env);
      if (store) spawnSync(process.execPath, [vigie, 'breach', 'delete', 'Bench'], { env: { ...process.env, ...env }, stdio: 'ignore' });
      else rmSync(data, { recursive: true, force: true });
      const records = r.report.records;
      return {
        records,
        seconds: r.seconds,
        recordsPerSecond: records / r.seconds,
        MBps: MB / r.seconds,
        peakRssMB: r.peakRssMB,
        identifiers: r.report.published?.identifiers,
      };
    });
  const sqlite = publish('publish into SQLite, 2 cores', null);
  let pg = null;
  if (withPg) {
    try {
      pg = publish('publish into PostgreSQL, 2 cores', 'postgres://postgres@127.0.0.1:5432/test');
    } catch (e) {
      process.stderr.write(`  PostgreSQL skipped: ${String(e.message).split('\n')[0]}\n`);
    }
  }

  let duck = null;
  try {
    duck = best('DuckDB, 2 threads: rows and distinct e-mails and phones', () => {
      const r = JSON.parse(run('taskset', ['-c', '0,1', process.execPath, join(here, 'duckdb-count.mjs'), file, f.delimiter, f.encoding]).stdout);
      return { ...r, MBps: MB / r.seconds };
    });
  } catch (e) {
    // DuckDB reads Windows-1252 only through its `encodings` extension, downloaded at first use.
    const why = /Error: ([^\n]*)/.exec(String(e.message))?.[1] ?? 'failed';
    process.stderr.write(`  DuckDB: ${why}\n`);
  }
  const baselineRows = Math.min(rows, 200_000);
  const baseline = best(`straightforward pipeline, 1 core (first ${baselineRows} rows)`, () => {
    const r = JSON.parse(
      run('taskset', [
        '-c',
        '0',
        process.execPath,
        join(here, 'baseline-ingest.mjs'),
        file,
        String(baselineRows),
        f.id === 'export-1252' ? 'windows-1252' : 'utf8',
      ])
        .stdout.trim()
        .split('\n')
        .pop(),
    );
    return { ...r, MBps: (MB * (r.records / rows)) / r.seconds };
  });

  results.files.push({
    id: f.id,
    rows,
    bytes,
    sha1sumMBps: sha1MBps,
    runs: [oneInline, oneWorker, two1, two2, sqlite, pg, duck, baseline].filter(Boolean),
    duckdb: duck ? 'read' : 'cannot read this encoding offline',
    oneCoreRecordsPerSecond: one.recordsPerSecond,
    twoCoreRecordsPerSecond: two.recordsPerSecond,
    twoCoresOverOne: two.recordsPerSecond / one.recordsPerSecond,
    shareOfSha1sum: two.MBps / sha1MBps,
    publishSqliteOverDryRun: sqlite.recordsPerSecond / two.recordsPerSecond,
    publishPostgresOverDryRun: pg ? pg.recordsPerSecond / two.recordsPerSecond : null,
    overBaseline: one.recordsPerSecond / baseline.recordsPerSecond,
    overDuckdb: duck ? two.recordsPerSecond / duck.recordsPerSecond : null,
    peakRssMB: { dryRun: Math.max(oneInline.peakRssMB, two1.peakRssMB, two2.peakRssMB), sqlite: sqlite.peakRssMB, postgres: pg?.peakRssMB ?? null },
  });
  const last = results.files.at(-1);
  process.stderr.write(
    `  => 2 cores / 1: ${last.twoCoresOverOne.toFixed(2)}×, share of sha1sum ${(100 * last.shareOfSha1sum).toFixed(0)} %, publish/dry run ${(100 * last.publishSqliteOverDryRun).toFixed(0)} % (SQLite)` +
      `${pg ? `, ${(100 * last.publishPostgresOverDryRun).toFixed(0)} % (PostgreSQL)` : ''}, ${last.overBaseline.toFixed(1)}× the straightforward pipeline${duck ? `, ${last.overDuckdb.toFixed(2)}× DuckDB's count` : ''}\n`,
  );
}
writeFileSync(join(outDir, 'ingest.json'), JSON.stringify(results, null, 2));
process.stdout.write(JSON.stringify(results, null, 2) + '\n');
