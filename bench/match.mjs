// npm run bench:match: `vigie match` of a customer file against a leak of about 10 million
// identifiers (SQLite), and `vigie verify-claim` of a seller's sample against the same store.
// Targets: match at least 200,000 rows/s, verify-claim under 5 s.
//
// The leak is generated (`vigie gen`, `standard` columns: email, phone, NIR, name + date of
// birth, about 4 identifiers a record) and ingested once; the store is cached in
// bench/out/match-work*/ (ignored by git) and reused while it holds the leak. The customer file
// has as many people from the leak (first half) as outside it (another seed), in the
// organisation's own writings (upper-case emails, `+33 6 …` phones, `;` CSV, other headers).
// Each command runs BENCH_REPEATS times as its own process; the best time is kept.
// Figures go to stderr and to bench/out/match.json.
//
//   node bench/match.mjs
//   env: BENCH_IDENTIFIERS (default 10,000,000: the leak has a quarter as many records),
//        BENCH_MATCH_ROWS (default 1,000,000), BENCH_CLAIM_ROWS (default 100,000),
//        BENCH_REPEATS (default 2)
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePeople, Rng, writePhone } from '../dist/gen/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const cli = join(root, 'bin', 'vigie.js');
const identifiers = Number(process.env.BENCH_IDENTIFIERS ?? 10_000_000);
const matchRows = Number(process.env.BENCH_MATCH_ROWS ?? 1_000_000);
const claimRows = Number(process.env.BENCH_CLAIM_ROWS ?? 100_000);
const repeats = Number(process.env.BENCH_REPEATS ?? 2);
const leakRows = Math.ceil(identifiers / 4);
const LEAK_SEED = 5;
const TARGET = { matchRowsPerSecond: 200_000, claimSeconds: 5 };

const outDir = join(here, 'out');
const dir = join(outDir, identifiers === 10_000_000 ? 'match-work' : `match-work-${identifiers}`);
mkdirSync(dir, { recursive: true });
const env = { ...process.env, VIGIE_DATA: dir };
delete env.VIGIE_STORE;
const log = (s) => process.stderr.write(`${s}\n`);
const fmt = (n) => Math.round(n).toLocaleString('en-US');

const children = new Set();
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

/** Runs `vigie ARGS` to its end; resolves with its output and wall time (ms). */
function vigie(argv, timeoutMs = 30 * 60_000) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const c = spawn(process.execPath, [cli, ...argv], { env, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(c);
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => c.kill('SIGKILL'), timeoutMs);
    c.on('error', reject);
    c.on('close', (code) => {
      clearTimeout(timer);
      children.delete(c);
      if (code === 0) resolve({ stdout, stderr, ms: performance.now() - t0 });
      else reject(new Error(`vigie ${argv.join(' ')} exited ${code}:\n${stderr.slice(-3000)}`));
    });
  });
}

// ---- 1. the leak, ingested once ----
async function leakIdentifiers() {
  try {
    const { stdout } = await vigie(['breach', 'list', '--json']);
    return JSON.parse(stdout).find((b) => b.Name === 'BenchMatch')?.Identifiers ?? 0;
  } catch {
    return 0;
  }
}

let stored = await leakIdentifiers();
if (stored === 0) {
  const leak = join(dir, 'leak.csv');
  log(`generating a leak of ${fmt(leakRows)} records...`);
  let t = performance.now();
  await vigie(['init']);
  await vigie(['gen', '--rows', String(leakRows), '--seed', String(LEAK_SEED), '--out', leak]);
  log(`  ${((performance.now() - t) / 1000).toFixed(0)} s; ingesting...`);
  t = performance.now();
  await vigie(['ingest', leak, '--breach', 'BenchMatch', '--title', 'Bench match', '--date', '2026-01-01']);
  log(`  ${((performance.now() - t) / 1000).toFixed(0)} s`);
  stored = await leakIdentifiers();
}
log(`store: ${fmt(stored)} identifiers in BenchMatch (${dir})`);

// ---- 2. the customer file and the sample ----
async function writeLines(file, header, rows) {
  const out = createWriteStream(file);
  let chunk = `${header}\n`;
  for (const line of rows) {
    chunk += `${line}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'close');
}

function* customers(n) {
  const rng = new Rng(17, 17);
  const inLeak = Math.min(Math.floor(n / 2), leakRows);
  let id = 0;
  const row = (p) =>
    [
      `C${String(++id).padStart(8, '0')}`,
      p.lastName.toUpperCase(),
      p.firstName,
      p.birthDate,
      p.email.toUpperCase(),
      writePhone(p.phone, 'intl-spaced', rng),
    ].join(';');
  for (const p of generatePeople(inLeak, LEAK_SEED)) yield row(p);
  for (const p of generatePeople(n - inLeak, 9001)) yield row(p);
}

const customersFile = join(dir, `customers-${matchRows}.csv`);
if (!existsSync(customersFile)) {
  log(`writing a customer file of ${fmt(matchRows)} rows...`);
  await writeLines(`${customersFile}.tmp`, 'Réf client;NOM;Prénom;Date de naissance;Courriel;Tél. portable', customers(matchRows));
  await import('node:fs/promises').then((fs) => fs.rename(`${customersFile}.tmp`, customersFile));
}
const sampleFile = join(dir, `sample-${claimRows}.csv`);
if (!existsSync(sampleFile)) {
  log(`generating a sample of ${fmt(claimRows)} rows...`);
  await vigie(['gen', '--rows', String(claimRows), '--seed', '4242', '--out', sampleFile]);
}

// ---- 3. the runs ----
let bestMatch = Infinity;
let matched = 0;
let bestClaim = Infinity;
let verdict = '';
for (let r = 0; r < repeats; r++) {
  const m = await vigie(['match', customersFile, '--breach', 'BenchMatch', '--id-column', 'Réf client', '--out', join(dir, 'result.csv')]);
  matched = Number(/([\d,]+) customers found/.exec(m.stderr)?.[1].replace(/,/g, '') ?? 0);
  log(`match run ${r + 1}: ${(m.ms / 1000).toFixed(2)} s, ${fmt(matchRows / (m.ms / 1000))} rows/s, ${fmt(matched)} customers found`);
  bestMatch = Math.min(bestMatch, m.ms);
  const c = await vigie(['verify-claim', sampleFile, '--json']);
  verdict = JSON.parse(c.stdout).verdict;
  log(`verify-claim run ${r + 1}: ${(c.ms / 1000).toFixed(2)} s, verdict ${verdict}`);
  bestClaim = Math.min(bestClaim, c.ms);
}

const result = {
  date: new Date().toISOString(),
  identifiers: stored,
  match: {
    rows: matchRows,
    seconds: bestMatch / 1000,
    rowsPerSecond: matchRows / (bestMatch / 1000),
    customersFound: matched,
    target: TARGET.matchRowsPerSecond,
  },
  verifyClaim: { rows: claimRows, seconds: bestClaim / 1000, verdict, target: TARGET.claimSeconds },
};
log(
  `\nmatch: ${fmt(matchRows)} rows against ${fmt(stored)} identifiers in ${(bestMatch / 1000).toFixed(2)} s = ${fmt(result.match.rowsPerSecond)} rows/s (target ${fmt(TARGET.matchRowsPerSecond)}): ${result.match.rowsPerSecond >= TARGET.matchRowsPerSecond ? 'met' : 'NOT met'}`,
);
log(
  `verify-claim: ${fmt(claimRows)} rows in ${(bestClaim / 1000).toFixed(2)} s (target < ${TARGET.claimSeconds} s): ${result.verifyClaim.seconds < TARGET.claimSeconds ? 'met' : 'NOT met'}`,
);
writeFileSync(join(outDir, 'match.json'), JSON.stringify(result, null, 2));
process.stdout.write(`${JSON.stringify(result)}\n`);
