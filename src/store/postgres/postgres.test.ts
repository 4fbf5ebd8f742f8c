import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digest, loadRange, mask, masks, pseudonyms, rejectsWith } from '../test-helpers/contract.helpers.js';
import { openStore } from '../index.js';
import { runStoreContract } from '../test-helpers/store.contract.js';
import { PG_URL } from '../../test-helpers/services.js';
import { encodeRows } from './load.js';

/** The real server of the test environment (`VIGIE_TEST_PG_URL`); each run of this file gets a schema of its own. */
const URL = PG_URL;
const schema = `vigie_test_${randomBytes(6).toString('hex')}`;
const admin = postgres(URL, { max: 1, onnotice: () => undefined });
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigie-pg-'));
});
afterAll(async () => {
  await admin.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
  await rm(dir, { recursive: true, force: true });
});

runStoreContract('postgres', (options) => openStore(URL, dir, { ...options, schema }));

describe('PostgreSQL engine', () => {
  it('keeps its tables in the configured schema', async () => {
    const store = await openStore(URL, dir, { schema });
    const tables = await admin<{ t: string }[]>`SELECT tablename AS t FROM pg_tables WHERE schemaname = ${schema} ORDER BY 1`;
    expect(tables.map((r) => r.t)).toEqual([
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
    ]);
    await store.close();
  });

  it('stages in a session TEMP table that dies with the session', async () => {
    const store = await openStore(URL, dir, { schema });
    const load = await store.beginLoad({ breach: { Name: 'Staged' }, append: false, fileDigests: [digest('s')] });
    await load.write(pseudonyms(0, 100), masks(100, mask('email')));
    const staged = (): Promise<{ n: string }[]> =>
      admin`SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'vigie_stage' AND n.nspname LIKE 'pg_temp%'`;
    // Visible to the catalogue (as a temp relation of another session), never in the schema.
    expect(Number((await staged())[0]!.n)).toBeGreaterThanOrEqual(1);
    await store.close();
    // The server drops a session's temp tables as the session ends; give it a moment.
    for (let i = 0; i < 50 && Number((await staged())[0]!.n) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(Number((await staged())[0]!.n)).toBe(0);
    const [rows] = await admin.unsafe<{ n: string }[]>(
      `SELECT count(*) AS n FROM ${schema}.exposures e JOIN ${schema}.breaches b ON b.id = e.breach_id WHERE b.name = 'Staged'`,
    );
    expect(Number(rows!.n)).toBe(0);
  });

  it('stores pseudonyms as 16-byte uuids', async () => {
    const store = await openStore(URL, dir, { schema });
    await loadRange(store, 'Uuid', 'u', 0, 3, mask('email'));
    const [r] = await admin.unsafe<{ len: number; t: string }[]>(
      `SELECT pg_column_size(pseudonym) AS len, pg_typeof(pseudonym)::text AS t FROM ${schema}.exposures e JOIN ${schema}.breaches b ON b.id = e.breach_id WHERE b.name = 'Uuid' LIMIT 1`,
    );
    expect(r).toEqual({ len: 16, t: 'uuid' });
    await store.close();
  });

  it('encodes binary COPY rows as the format specifies', () => {
    const p = Buffer.alloc(16, 0xab);
    const row = encodeRows(p, new Uint32Array([0x80000005]));
    expect(row.toString('hex')).toBe(`0002` + `00000010` + 'ab'.repeat(16) + `00000004` + `80000005`);
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    await rejectsWith(openStore(URL, dir, { schema: 'x; DROP TABLE y' }), 'VIGIE_CONFIG');
  });

  it('reports an unreachable server as VIGIE_STORE', async () => {
    await rejectsWith(openStore('postgres://postgres@127.0.0.1:1/test', dir, { schema }), 'VIGIE_STORE', /ECONNREFUSED/);
  });
});
