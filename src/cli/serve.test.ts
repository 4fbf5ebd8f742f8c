/**
 * `vigie apikey` and `vigie serve` as an operator runs them: keys printed once and stored as
 * hashes; the server in its own process on a real port, answering, stopping cleanly on SIGTERM
 * with requests in flight, and leaving no trace of what it was asked in its output or its data
 * directory (docs/architecture.md §5.4, "No oracle").
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeServeWorld, type ServeWorld } from '../serve/test-helpers/world.js';
import { expectCleanError, runCli } from './test-helpers/run-cli.js';

const REPO = resolve(import.meta.dirname, '../..');
let world: ServeWorld;

beforeAll(async () => {
  world = await makeServeWorld(undefined, { label: 'serve-cli' });
  // The CLI opens the store itself: let it have the data directory alone.
  await world.store.close();
});
afterAll(async () => {
  await world?.close();
});

describe('vigie apikey', () => {
  it('creates a key, printed once on stdout, and lists it without the key', async () => {
    const created = await runCli(['apikey', 'create', '--name', 'banque-demo', '--rpm', '250'], world.env);
    expect(created.code, created.stderr).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(created.stderr).toMatch(/banque-demo created, 250 requests per minute/);
    const list = await runCli(['apikey', 'list', '--json'], world.env);
    const keys = JSON.parse(list.stdout) as { name: string; rpm: number; lastUsedAt: string | null }[];
    expect(keys).toEqual([expect.objectContaining({ name: 'banque-demo', rpm: 250, lastUsedAt: null })]);
    expect(list.stdout).not.toContain(key);
    const text = await runCli(['apikey', 'list'], world.env);
    expect(text.stdout).toMatch(/^banque-demo\tcreated \S+\tlast used never\t250 requests\/min\n$/);
    const db = readFileSync(join(world.dataDir, 'vigie.db'));
    expect(db.includes(Buffer.from(key))).toBe(false);
  });

  it('refuses a taken name, a bad rate; revokes by name', async () => {
    const again = await runCli(['apikey', 'create', '--name', 'BANQUE-DEMO'], world.env);
    expectCleanError(again, { code: 'VIGIE_CONFLICT', mentions: ['already exists'] });
    expectCleanError(await runCli(['apikey', 'create', '--rpm', '0'], world.env), { code: 'VIGIE_USAGE', mentions: ['--rpm'] });
    const other = await runCli(['apikey', 'create'], world.env);
    expect(other.code).toBe(0);
    expect((await runCli(['apikey', 'revoke', 'banque-demo'], world.env)).stdout).toBe('Revoked banque-demo.\n');
    expectCleanError(await runCli(['apikey', 'revoke', 'banque-demo'], world.env), { code: 'VIGIE_NOT_FOUND', mentions: ['banque-demo'] });
  });
});

interface Served {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

async function serve(args: string[] = []): Promise<Served> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', ...args], {
    cwd: REPO,
    env: { PATH: process.env['PATH'], ...world.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    // Several processes, each loading the CLI through tsx: slow on a loaded machine.
    const timer = setTimeout(() => reject(new Error(`vigie serve did not start: ${err}`)), 100_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString('utf8');
      const m = /listening on (http:\/\/\S+?)\/ /.exec(err);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    });
    void exited.then(() => reject(new Error(`vigie serve exited: ${err}`)));
  });
  return { child, url, stdout: () => out, stderr: () => err, exited };
}

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('vigie serve', () => {
  it('serves on a real port, finishes requests in flight on SIGTERM, closes the store, and keeps no trace of what it was asked', async () => {
    const key = (await runCli(['apikey', 'create', '--name', 'e2e', '--rpm', '100000'], world.env)).stdout.trim();
    // Two processes, as on a machine of two cores or more by default.
    const s = await serve(['--processes', '2']);
    expect(s.stderr()).toContain('with 2 processes');
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const people = world.people.get('AgenceTitres')!.slice(0, 40);
    const asked: string[] = [];
    const headers = { 'user-agent': 'vigie-e2e', 'hibp-api-key': key };
    const hits = await Promise.all(
      people.map(async (p, i) => {
        const value = i % 2 ? p.email.toUpperCase() : p.phoneWritten;
        asked.push(value, p.email, p.phone);
        const r = await fetch(`${s.url}/api/v3/breachedaccount/${encodeURIComponent(value)}`, { headers });
        return r.status;
      }),
    );
    expect(hits.every((h) => h === 200)).toBe(true);
    // A NIR, refused; a lookup through v1; and the page.
    const nir = people[0]!.nir;
    asked.push(nir);
    expect((await fetch(`${s.url}/api/v3/breachedaccount/${nir}`, { headers })).status).toBe(400);
    const v1 = await fetch(`${s.url}/api/v1/lookup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ account: people[1]!.email }),
    });
    expect(v1.status).toBe(200);

    // Requests in flight when SIGTERM arrives are answered; the process then exits 0.
    const inflight = Array.from({ length: 20 }, (_, i) =>
      fetch(`${s.url}/api/v3/breachedaccount/${encodeURIComponent(people[i]!.email)}`, { headers }).then((r) => r.status),
    );
    await new Promise((r) => setTimeout(r, 5));
    s.child.kill('SIGTERM');
    const statuses = await Promise.all(inflight.map((p) => p.catch(() => 'refused')));
    expect(statuses.filter((x) => x === 200).length).toBeGreaterThan(0);
    expect(statuses.every((x) => x === 200 || x === 503 || x === 'refused')).toBe(true);
    expect(await s.exited).toBe(0);
    expect(s.stderr()).toMatch(/SIGTERM: finishing requests in flight/);
    expect(s.stderr()).toMatch(/Stopped\.\n$/);

    // The log: one JSON line per request, route pattern and status only.
    const lines = s
      .stdout()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { route?: string; status?: number });
    expect(lines.filter((l) => l.route === '/api/v3/breachedaccount/:account').length).toBeGreaterThanOrEqual(41);
    // No byte the server wrote holds a value it was asked: output, data directory (SQLite, WAL).
    const written = [Buffer.from(s.stdout()), Buffer.from(s.stderr()), ...filesUnder(world.dataDir).map((f) => readFileSync(f))];
    for (const v of new Set(asked)) {
      for (const form of new Set([v, v.toLowerCase(), encodeURIComponent(v), v.replace(/\s/g, '')])) {
        for (const bytes of written) expect(bytes.includes(Buffer.from(form)), 'a looked-up value was written').toBe(false);
      }
    }
    // The key's last use was written when the server stopped.
    const list = JSON.parse((await runCli(['apikey', 'list', '--json'], world.env)).stdout) as { name: string; lastUsedAt: string | null }[];
    expect(list.find((k) => k.name === 'e2e')?.lastUsedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  }, 240_000);

  it('refuses a port in use with a clear error, in one process or several', async () => {
    const s = await serve(['--processes', '1']);
    expect(s.stderr()).not.toContain('processes');
    const port = new URL(s.url).port;
    const r = await runCli(['serve', '--port', port], world.env);
    expectCleanError(r, { code: 'VIGIE_CONFIG', mentions: [`port ${port}`, 'already in use'] });
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', port, '--processes', '2'], {
      cwd: REPO,
      env: { PATH: process.env['PATH'], ...world.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code, err).toBe(78);
    expect(err).toMatch(new RegExp(`^vigie: port ${port} on 127\\.0\\.0\\.1 is already in use: choose another with --port \\[VIGIE_CONFIG\\]\\n$`));
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  }, 240_000);

  it('counts a key rate once across its processes, whichever answers', async () => {
    const key = (await runCli(['apikey', 'create', '--name', 'shared-rate', '--rpm', '6'], world.env)).stdout.trim();
    const s = await serve(['--processes', '2']);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      // A new connection each time: the primary hands connections round the processes.
      const r = await fetch(`${s.url}/api/v3/breachedaccount/absent.${i}%40exemple.fr`, {
        headers: { 'user-agent': 'vigie-e2e', 'hibp-api-key': key, connection: 'close' },
      });
      statuses.push(r.status);
      if (r.status === 429) expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([404, 404, 404, 404, 404, 404, 429, 429, 429, 429]);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(s.stderr()).toMatch(/Stopped\.\n$/);
  }, 240_000);
});
