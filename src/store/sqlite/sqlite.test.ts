import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digest, loadRange, mask, masks, pseudonyms } from '../test-helpers/contract.helpers.js';
import { openStore, SQLITE_FILE } from '../index.js';
import { runStoreContract } from '../test-helpers/store.contract.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigie-sqlite-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

runStoreContract('sqlite', (options) => openStore(undefined, dir, options));

describe('SQLite engine', () => {
  it('creates the database and its WAL files readable by the owner only', async () => {
    const own = join(dir, 'modes');
    const store = await openStore('sqlite:', own);
    await loadRange(store, 'Modes', 'm', 0, 10, mask('email'));
    for (const f of await readdir(own)) expect({ f, mode: (await stat(join(own, f))).mode & 0o777 }).toEqual({ f, mode: 0o600 });
    expect((await stat(own)).mode & 0o777).toBe(0o700);
    expect(await readdir(own)).toContain(SQLITE_FILE);
    await store.close();
  });

  it('opens sqlite: URLs relative to the data directory or absolute', async () => {
    const rel = await openStore('sqlite:sub/rel.db', dir);
    expect(rel.engine).toBe('sqlite');
    await rel.close();
    expect((await stat(join(dir, 'sub', 'rel.db'))).isFile()).toBe(true);
    const abs = await openStore(`sqlite://${join(dir, 'abs.db')}`, '/nonexistent');
    await abs.close();
    expect((await stat(join(dir, 'abs.db'))).isFile()).toBe(true);
  });

  it('leaves no staging table in the database file, during or after a load', async () => {
    const path = join(dir, 'stage.db');
    const store = await openStore(`sqlite:${path}`, dir);
    const load = await store.beginLoad({ breach: { Name: 'Staged' }, append: false, fileDigests: [digest('s')] });
    await load.write(pseudonyms(0, 100), masks(100, mask('email')));
    const peek = new Database(path, { readonly: true });
    const tables = (): string[] =>
      (peek.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    const expected = [
      'api_keys',
      'breach_files',
      'breach_people',
      'breaches',
      'domain_aliases',
      'domains',
      'exposures',
      'incidents',
      'ingest_runs',
      'meta',
      'org_profile',
      'organisations',
      'outbox',
      'schema_version',
      'subscriptions',
    ];
    expect(tables()).toEqual(expected);
    expect((peek.prepare('SELECT count(*) AS n FROM exposures').get() as { n: number }).n).toBe(0);
    await store.close();
    expect(tables()).toEqual(expected);
    expect((peek.prepare('SELECT count(*) AS n FROM exposures').get() as { n: number }).n).toBe(0);
    peek.close();
  });

  it('stores an identifier in well under 80 bytes', async () => {
    const path = join(dir, 'size.db');
    const store = await openStore(`sqlite:${path}`, dir);
    const n = 50_000;
    await loadRange(store, 'Size', 'size', 0, n, mask('email', 'name'));
    await store.close();
    const db = new Database(path, { readonly: true });
    const bytes = (db.prepare("SELECT sum(pgsize) AS b FROM dbstat WHERE name = 'exposures'").get() as { b: number }).b;
    db.close();
    expect(bytes / n).toBeLessThan(40);
  });
});

describe('openStore', () => {
  it('refuses an unknown URL scheme without echoing the URL', async () => {
    const e = await openStore('mysql://admin:s3cret@db.example.fr/vigie', dir).catch((err: unknown) => err);
    expect(e).toMatchObject({ code: 'VIGIE_CONFIG' });
    expect((e as Error).message).toContain('mysql:');
    expect((e as Error).message).not.toContain('s3cret');
  });
});
