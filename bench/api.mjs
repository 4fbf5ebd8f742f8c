// npm run bench:api: requests/s and latency of `vigie serve`'s keyed account lookup
// (GET /api/v3/breachedaccount/<account>) under wrk, beside a bare node:http server answering
// every request with a fixed body of the same size and headers, in the same run: the ratios
// Vigie/bare are what to read. SQLite as `vigie serve` starts by default (a process per core, at
// most 4) and with --processes 1; PostgreSQL (--no-postgres skips it); best of 2
// rounds each, the cases taking turns.
// Figures go to stderr (a table) and stdout, and bench/out/api.json (JSON).
//
//   node bench/api.mjs [--no-postgres] [--profile]
//   --profile   one more SQLite run with `node --cpu-prof` on the server, top self-time
//               functions printed (its figures are not the measured ones)
//   env: BENCH_DURATION (s, default 10), BENCH_REPEATS (rounds, best kept, default 2),
//        BENCH_ROWS (default 1,000,000),
//        BENCH_PG (admin URL, default postgres://postgres@127.0.0.1:5432)
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { normaliseEmail, normalisePhone } from '../dist/normalise/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const cli = join(root, 'bin', 'vigie.js');
const args = new Set(process.argv.slice(2));
for (const a of args) if (!['--no-postgres', '--profile'].includes(a)) throw new Error(`unknown option ${a}`);
const withPostgres = !args.has('--no-postgres');
const withProfile = args.has('--profile');
const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const duration = Number(process.env.BENCH_DURATION ?? 10);
const repeats = Number(process.env.BENCH_REPEATS ?? 2);
const pgAdmin = (process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
const pgDb = 'vigie_bench_api';
const pgUrl = `${pgAdmin}/${pgDb}`;
const ACCOUNTS = 2_000; // hits, and as many misses
const WRK = ['-t2', '-c50', `-d${duration}s`, '--latency'];
const TARGET = { rpsRatio: 0.7, p99Ratio: 2.0 };

const outDir = join(here, 'out');
const dir = join(outDir, rows === 1_000_000 ? 'api-work' : `api-work-${rows}`);
const csv = join(dir, 'leak.csv');
mkdirSync(dir, { recursive: true });
const env = { ...process.env, VIGIE_DATA: dir };
const log = (s) => process.stderr.write(`${s}\n`);

// ---- children: every one is tracked and killed on the way out, whatever happens ----
const children = new Set();
const servers = [];
function killAll(signal = 'SIGKILL') {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill(signal);
}
process.on('exit', () => killAll());
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => process.exit(130));

function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Runs a command to its end (bounded), resolves with its output; rejects on failure. */
function run(cmd, argv, { timeoutMs = 60_000, quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const c = track(spawn(cmd, argv, { env, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] }));
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => c.kill('SIGKILL'), timeoutMs);
    c.on('error', reject);
    c.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else {
        const how = signal ? `killed by ${signal} (time limit ${timeoutMs / 1000} s)` : `exited ${code}`;
        reject(new Error(`${cmd} ${argv.join(' ')} ${how}:\n${((quiet ? '' : stdout) + stderr).slice(-4000)}`));
      }
    });
  });
}
const vigie = (argv, opts) => run(process.execPath, [cli, ...argv], opts);

/** Starts a server child; resolves with its base URL once stderr says `listening on http://...`. */
function startServer(argv, logFile, label) {
  return new Promise((resolve, reject) => {
    const fd = openSync(logFile, 'w');
    const c = track(spawn(process.execPath, argv, { env, cwd: root, stdio: ['ignore', fd, 'pipe'] }));
    closeSync(fd);
    let stderr = '';
    const timer = setTimeout(() => fail(new Error(`${label} not listening after 30 s:\n${stderr}`)), 30_000);
    function fail(e) {
      clearTimeout(timer);
      c.kill('SIGKILL');
      reject(e);
    }
    c.stderr.on('data', (d) => {
      stderr += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], child: c, stderr: () => stderr });
      }
    });
    c.on('error', fail);
    c.on('exit', (code, signal) => fail(new Error(`${label} exited (${code ?? signal}) before listening:\n${stderr}`)));
  });
}

/** SIGTERM, then SIGKILL if it has not gone within 10 s. Resolves when it has exited. */
function stopServer(server) {
  const c = server.child;
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
    c.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    c.kill('SIGTERM');
  });
}

// ---- 1. data: SQLite store in `dir`, reused when it already holds the leak ----
async function holdsLeak(storeArgs) {
  try {
    const { stdout } = await vigie(['breach', 'list', '--json', '--data', dir, ...storeArgs]);
    return JSON.parse(stdout).some((b) => b.Name === 'BenchLeak' && b.Identifiers > 0);
  } catch {
    return false;
  }
}

async function ingest(storeArgs, label) {
  const t0 = performance.now();
  log(`ingesting ${rows.toLocaleString('en-US')} rows into ${label}...`);
  await vigie(['init', '--data', dir, ...storeArgs]);
  await vigie(['ingest', csv, '--breach', 'BenchLeak', '--title', 'Bench', '--date', '2026-01-01', '--data', dir, ...storeArgs], {
    timeoutMs: 15 * 60_000,
    quiet: true,
  });
  log(`  ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

// ---- 2. accounts: hits from the CSV's first rows, misses made up; URL-encoded, interleaved ----
function pickAccounts() {
  const fd = openSync(csv, 'r');
  const buf = Buffer.alloc(4 << 20);
  const n = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  const text = buf.subarray(0, n).toString('utf8');
  const parsed = Papa.parse(text.slice(0, text.lastIndexOf('\n')), { delimiter: ';', skipEmptyLines: true });
  const [header, ...records] = parsed.data;
  const iEmail = header.indexOf('email');
  const iPhone = header.indexOf('telephone');
  if (iEmail < 0 || iPhone < 0) throw new Error(`no email/telephone column in ${csv}: ${header.join(';')}`);
  const hits = [];
  const seen = new Set();
  for (const r of records) {
    if (hits.length === ACCOUNTS) break;
    const email = r[iEmail] ?? '';
    const canonicalEmail = email.includes('@') ? normaliseEmail(email) : null;
    if (!canonicalEmail || seen.has(canonicalEmail)) continue;
    // One in four as written, one in four upper-cased, one in four the phone instead (in the
    // file's own writing), one in four upper-cased again: half not as the file writes them.
    const k = hits.length % 4;
    let value = email;
    if (k === 1 || k === 3) value = email.toUpperCase();
    else if (k === 2) {
      const phone = r[iPhone] ?? '';
      const canonicalPhone = normalisePhone(phone);
      if (canonicalPhone && !seen.has(canonicalPhone)) {
        value = phone;
        seen.add(canonicalPhone);
      }
    }
    seen.add(canonicalEmail);
    hits.push(value);
  }
  if (hits.length < ACCOUNTS) throw new Error(`only ${hits.length} usable e-mails in the first rows of ${csv}`);
  // Misses: an address on a domain nobody uses here, and mobiles in 06 38, a block the
  // generator never allocates (valid for libphonenumber, so a 404, not a 400).
  const misses = [];
  for (let i = 0; misses.length < ACCOUNTS; i++) {
    if (i % 2 === 0) misses.push(`absent.${i}@exemple.fr`);
    else {
      const d = String(100000 + i).padStart(6, '0');
      misses.push(i % 4 === 1 ? `06 38 ${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4)}` : `+33638${d}`);
    }
  }
  const paths = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    paths.push({ path: `/api/v3/breachedaccount/${encodeURIComponent(hits[i])}`, hit: true });
    paths.push({ path: `/api/v3/breachedaccount/${encodeURIComponent(misses[i])}`, hit: false });
  }
  return paths;
}

// ---- 4. wrk: a Lua script cycling through the paths and counting statuses ----
function writeLua(paths, key, label) {
  const file = join(outDir, `api-wrk-${label}.lua`);
  const lua = `-- generated by bench/api.mjs
local paths = {
${paths.map((p) => `  ${JSON.stringify(p.path)},`).join('\n')}
}
local headers = { ["hibp-api-key"] = ${JSON.stringify(key)}, ["user-agent"] = "vigie-bench" }
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  reqs = {}
  for i, p in ipairs(paths) do reqs[i] = wrk.format("GET", p, headers) end
  -- threads start at different places in the cycle
  n = (id * 1001) % #reqs + 1
  statuses = {}
end
function request()
  local r = reqs[n]
  n = n + 1
  if n > #reqs then n = 1 end
  return r
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do total[k] = (total[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(total) do table.insert(parts, string.format('"%d":%d', k, v)) end
  io.write("BENCH_STATUSES {" .. table.concat(parts, ",") .. "}\\n")
end
`;
  writeFileSync(file, lua);
  return file;
}

const UNIT_MS = { us: 1e-3, ms: 1, s: 1e3, m: 60e3, h: 3600e3 };
function toMs(v, unit) {
  if (!(unit in UNIT_MS)) throw new Error(`unknown wrk time unit ${unit}`);
  return Number(v) * UNIT_MS[unit];
}

function parseWrk(out) {
  const num = (re) => {
    const m = re.exec(out);
    if (!m) throw new Error(`cannot read ${re} in wrk's output:\n${out}`);
    return m;
  };
  const pct = (p) => {
    const m = num(new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m|h)\\s*$`, 'm'));
    return toMs(m[1], m[2]);
  };
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const statuses = JSON.parse(num(/^BENCH_STATUSES (\{.*\})$/m)[1]);
  return {
    requestsPerSecond: Number(num(/^Requests\/sec:\s+([\d.]+)/m)[1]),
    requests: Number(num(/^\s*(\d+) requests in ([\d.]+)(us|ms|s|m|h)/m)[1]),
    p50ms: pct(50),
    p75ms: pct(75),
    p90ms: pct(90),
    p99ms: pct(99),
    statuses,
    socketErrors: sock ? { connect: +sock[1], read: +sock[2], write: +sock[3], timeout: +sock[4] } : null,
  };
}

// CPU time, to tell who the bottleneck is: the server's (all its threads, and its processes
// with --processes N) and the machine's.
const TICK = 100; // USER_HZ (getconf CLK_TCK) on Linux
function statFields(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return f.slice(f.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null; // gone meanwhile
  }
}
function processCpuSeconds(pid) {
  const children = new Map();
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    const f = statFields(p);
    if (f) children.set(p, { ppid: f[1], cpu: (Number(f[11]) + Number(f[12])) / TICK }); // ppid, utime, stime
  }
  let total = 0;
  const todo = [String(pid)];
  while (todo.length > 0) {
    const p = todo.pop();
    total += children.get(p)?.cpu ?? 0;
    for (const [c, v] of children) if (v.ppid === p) todo.push(c);
  }
  return total;
}
function machineTicks() {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = cpu[3] + cpu[4]; // idle, iowait
  return { busy: cpu.reduce((a, b) => a + b, 0) - idle, idle };
}

async function wrk(server, lua, label, expect) {
  const url = server.url;
  await run('wrk', ['-t2', '-c50', '-d3s', '-s', lua, url], { timeoutMs: 30_000 }); // warm-up, discarded
  const cpu0 = processCpuSeconds(server.child.pid);
  const m0 = machineTicks();
  const t0 = performance.now();
  const { stdout } = await run('wrk', [...WRK, '-s', lua, url], { timeoutMs: (duration + 30) * 1000 });
  const seconds = (performance.now() - t0) / 1000;
  const m1 = machineTicks();
  const r = parseWrk(stdout);
  // Share of one core the server used; of the whole machine (every core) busy, whoever used it.
  r.serverCpu = (processCpuSeconds(server.child.pid) - cpu0) / seconds;
  r.machineBusy = (m1.busy - m0.busy) / (m1.busy - m0.busy + m1.idle - m0.idle);
  // The server's CPU per answered request: steadier than requests/s on a shared machine.
  r.serverCpuUsPerRequest = (r.serverCpu * seconds * 1e6) / r.requests;
  const total = Object.values(r.statuses).reduce((a, b) => a + b, 0);
  const other = Object.entries(r.statuses).filter(([s]) => !expect.includes(Number(s)));
  if (total === 0 || other.length > 0)
    throw new Error(`${label}: unexpected statuses ${JSON.stringify(r.statuses)} (expected only ${expect.join(', ')}):\n${stdout}`);
  if (expect.includes(404)) {
    const share = (r.statuses[200] ?? 0) / total;
    if (share < 0.4 || share > 0.6) throw new Error(`${label}: ${(share * 100).toFixed(1)} % of 200s, expected about half: ${JSON.stringify(r.statuses)}`);
  }
  if (r.socketErrors) log(`  socket errors: ${JSON.stringify(r.socketErrors)}`);
  log(
    `  ${label}: ${Math.round(r.requestsPerSecond).toLocaleString('en-US')} requests/s, p50 ${r.p50ms.toFixed(2)} ms, p99 ${r.p99ms.toFixed(2)} ms, ${JSON.stringify(r.statuses)}, server CPU ${(r.serverCpu * 100).toFixed(0)} % of a core (${r.serverCpuUsPerRequest.toFixed(0)} µs a request), machine ${(r.machineBusy * 100).toFixed(0)} % busy`,
  );
  return { label, ...r, wrk: stdout };
}

/** Every path once, a few at a time, before wrk: hits must be 200, misses 404. */
async function preflight(url, paths, key) {
  const wrong = [];
  let next = 0;
  async function worker() {
    while (next < paths.length) {
      const p = paths[next++];
      const res = await fetch(url + p.path, { headers: { 'hibp-api-key': key, 'user-agent': 'vigie-bench' } });
      await res.arrayBuffer();
      if (res.status !== (p.hit ? 200 : 404)) wrong.push(`${res.status} for a ${p.hit ? 'hit' : 'miss'}`);
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker));
  if (wrong.length > 0) throw new Error(`preflight: ${wrong.length} of ${paths.length} paths answered wrongly, e.g. ${wrong.slice(0, 5).join('; ')}`);
}

/** A key, the Lua script, and `vigie serve` up and checked (every path once). */
async function startVigie(label, storeArgs, paths, nodeFlags = [], serveFlags = []) {
  const { stdout } = await vigie(['apikey', 'create', '--name', `bench-${Date.now()}`, '--rpm', '10000000', '--data', dir, ...storeArgs]);
  const key = stdout.trim().split('\n').pop();
  if (!/^\S{16,}$/.test(key)) throw new Error(`no key in apikey create's output: ${stdout}`);
  const lua = writeLua(paths, key, label);
  const logFile = join(outDir, `api-serve-${label}.log`);
  const server = await startServer(
    [...nodeFlags, cli, 'serve', '--host', '127.0.0.1', '--port', '0', '--data', dir, ...storeArgs, ...serveFlags],
    logFile,
    `vigie serve (${label})`,
  );
  servers.push(server);
  await preflight(server.url, paths, key);
  return { label: `Vigie, ${label}`, server, lua, expect: [200, 404] };
}

// ---- 5. the bare server: same body size and header count as Vigie's hit ----
const BARE = `
import { createServer } from 'node:http';
const body = Buffer.from('[{"Name":"BenchLeak"}]');
const headers = {
  'content-type': 'application/json; charset=utf-8',
  'content-security-policy': ${JSON.stringify("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")},
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
  'cache-control': 'no-store',
  'content-length': String(body.length),
};
const server = createServer((req, res) => { req.resume(); res.writeHead(200, headers); res.end(body); });
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => process.stderr.write('bare listening on http://127.0.0.1:' + server.address().port + '/\\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

async function startBare(paths) {
  const lua = writeLua(paths, 'none', 'bare');
  const server = await startServer(['--input-type=module', '-e', BARE], join(outDir, 'api-bare.log'), 'bare server');
  servers.push(server);
  return { label: 'bare node:http', server, lua, expect: [200] };
}

// ---- --profile: top self-time functions of a .cpuprofile ----
function topSelf(file, n = 15) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((x) => [x.id, x]));
  const self = new Map();
  let total = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    const dt = prof.timeDeltas[i] ?? 0;
    const f = byId.get(prof.samples[i]).callFrame;
    const name = `${f.functionName || '(anonymous)'} ${f.url ? `${f.url.replace(/^file:\/\//, '').replace(root + '/', '')}:${f.lineNumber + 1}` : ''}`.trim();
    self.set(name, (self.get(name) ?? 0) + dt);
    total += dt;
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => ({ name, ms: Math.round(us / 1000), share: us / total }));
}

// ---- the run ----
function ratios(v, bare) {
  return { rpsRatio: v.requestsPerSecond / bare.requestsPerSecond, p99Ratio: v.p99ms / bare.p99ms };
}
const strip = ({ wrk: _w, ...rest }) => rest;

try {
  const t0 = performance.now();
  if (await holdsLeak([])) log(`reusing ${dir} (it holds BenchLeak)`);
  else {
    if (!existsSync(csv)) {
      log(`generating ${rows.toLocaleString('en-US')} rows...`);
      await vigie(['init', '--data', dir]);
      await vigie(['gen', '--rows', String(rows), '--seed', '5', '--out', csv], { timeoutMs: 5 * 60_000 });
    }
    await ingest([], 'SQLite');
  }
  if (!existsSync(csv)) await vigie(['gen', '--rows', String(rows), '--seed', '5', '--out', csv], { timeoutMs: 5 * 60_000 });
  const paths = pickAccounts();

  if (withPostgres) {
    const psql = (sql) => run('psql', ['-d', `${pgAdmin}/test`, '-v', 'ON_ERROR_STOP=1', '-qc', sql]);
    await psql(`DROP DATABASE IF EXISTS ${pgDb}`);
    await psql(`CREATE DATABASE ${pgDb}`);
    await ingest(['--store', pgUrl], 'PostgreSQL');
  }

  // Every server up at once (idle ones cost nothing), then the cases in turn, `repeats`
  // rounds, so that a burst of load from elsewhere on the machine does not land on one only.
  // `vigie serve` as it starts by default (one process per core, at most 4), and in one process.
  const cases = [await startVigie('sqlite', [], paths), await startVigie('sqlite-1-process', [], paths, [], ['--processes', '1']), await startBare(paths)];
  if (withPostgres) cases.push(await startVigie('postgres', ['--store', pgUrl], paths));
  const runs = new Map(cases.map((c) => [c.label, []]));
  for (let round = 1; round <= repeats; round++) {
    log(`round ${round} of ${repeats}:`);
    for (const c of cases) runs.get(c.label).push(await wrk(c.server, c.lua, c.label, c.expect));
  }
  await Promise.all(servers.splice(0).map(stopServer));
  const bestOf = (label) => runs.get(label).reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a));
  const sqlite = bestOf('Vigie, sqlite');
  const sqliteOne = bestOf('Vigie, sqlite-1-process');
  const bare = bestOf('bare node:http');
  const postgres = withPostgres ? bestOf('Vigie, postgres') : null;

  let profile = null;
  if (withProfile) {
    log('SQLite again, with --cpu-prof on the server (figures not comparable):');
    const profDir = join(outDir, 'prof');
    rmSync(profDir, { recursive: true, force: true });
    const c = await startVigie('sqlite-profiled', [], paths, ['--cpu-prof', `--cpu-prof-dir=${profDir}`], ['--processes', '1']);
    await wrk(c.server, c.lua, c.label, c.expect);
    await Promise.all(servers.splice(0).map(stopServer));
    const files = existsSync(profDir) ? readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile')) : [];
    if (files.length === 0) log('  no .cpuprofile written on SIGTERM: skipped');
    else profile = { file: join(profDir, files[0]), top: topSelf(join(profDir, files[0])) };
  }

  const sqliteRatios = ratios(sqlite, bare);
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    wrk: `wrk ${WRK.join(' ')}, 3 s warm-up discarded`,
    rows,
    paths: { hits: ACCOUNTS, misses: ACCOUNTS },
    repeats,
    // The best run of each case (most requests/s), then every run.
    cases: { sqlite: strip(sqlite), sqliteOneProcess: strip(sqliteOne), bare: strip(bare), ...(postgres ? { postgres: strip(postgres) } : {}) },
    runs: Object.fromEntries([...runs].map(([label, rs]) => [label, rs.map(strip)])),
    sqlite: {
      ...sqliteRatios,
      rpsTarget: `>= ${TARGET.rpsRatio}: ${sqliteRatios.rpsRatio >= TARGET.rpsRatio ? 'met' : 'not met'}`,
      p99Target: `<= ${TARGET.p99Ratio}: ${sqliteRatios.p99Ratio <= TARGET.p99Ratio ? 'met' : 'not met'}`,
    },
    sqliteOneProcess: ratios(sqliteOne, bare),
    ...(postgres ? { postgres: ratios(postgres, bare) } : {}),
    ...(profile ? { profile } : {}),
    seconds: (performance.now() - t0) / 1000,
  };
  writeFileSync(join(outDir, 'api.json'), JSON.stringify(result, null, 2));

  const row = (name, c, r) =>
    `| ${name.padEnd(17)} | ${Math.round(c.requestsPerSecond).toLocaleString('en-US').padStart(10)} | ${c.p50ms.toFixed(2).padStart(8)} | ${c.p99ms.toFixed(2).padStart(8)} | ${JSON.stringify(c.statuses).padEnd(26)} | ${r ? r.rpsRatio.toFixed(2).padStart(9) : ''.padStart(9)} | ${r ? r.p99Ratio.toFixed(2).padStart(9) : ''.padStart(9)} | ${c.serverCpuUsPerRequest.toFixed(0).padStart(10)} |`;
  const lines = [
    `| case              | requests/s |  p50 ms  |  p99 ms  | statuses                   | rps ratio | p99 ratio | CPU µs/req |`,
    `|-------------------|------------|----------|----------|----------------------------|-----------|-----------|------------|`,
    row('Vigie, SQLite', sqlite, sqliteRatios),
    row('  1 process', sqliteOne, result.sqliteOneProcess),
    ...(postgres ? [row('Vigie, PostgreSQL', postgres, result.postgres)] : []),
    row('bare node:http', bare, null),
    '',
    `SQLite targets: rps ratio ${result.sqlite.rpsTarget}; p99 ratio ${result.sqlite.p99Target}`,
  ];
  if (profile) {
    lines.push('', `top self time (${profile.file}):`);
    for (const t of profile.top) lines.push(`  ${(t.share * 100).toFixed(1).padStart(5)} %  ${t.name}`);
  }
  log(lines.join('\n'));
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
} finally {
  await Promise.all(servers.splice(0).map(stopServer));
  killAll('SIGTERM');
}
