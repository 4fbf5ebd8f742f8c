/**
 * Recognition that invents nobody, on the public sample databases (trimmed copies with their
 * licences in `fixtures/sample-databases/`, see its `trim.py`): Pagila loaded into the
 * PostgreSQL server and dumped with `pg_dump`, Sakila loaded into the MariaDB server and
 * dumped with `mysqldump`, both at test time. They hold the names and e-mails of customers
 * and staff, addresses with postcodes and phones, film data, and record-keeping timestamps
 * (`last_update`, `create_date`); no birth date, no NIR, no civility. The report must name
 * only the classes they hold, and count as people the customers and staff, nobody else.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mysqlArgs, PG_URL } from '../test-helpers/services.js';
import type { ImpactReport } from '../report/index.js';
import { ingest } from './index.js';

const fixtures = join(import.meta.dirname, 'fixtures', 'sample-databases');
const dir = mkdtempSync(join(tmpdir(), 'vigie-samples-'));
const db = `vigie_samples_${process.pid}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What both databases hold: customers' and staff's names, e-mails, usernames and passwords; addresses and phones. */
const HELD = ['Account identifiers', 'Email addresses', 'Names', 'Passwords', 'Phone numbers', 'Physical addresses', 'Usernames'];

const run = (file: string) => ingest({ files: [file], breach: { name: 'Sample' }, dryRun: true, workers: 0 });

/** Count queries whose answers the report must equal, from the database itself. */
interface Truth {
  records: number;
  people: number;
  names: number;
}

function expectHonest(r: ImpactReport, truth: Truth): void {
  expect(r.skipped).toBe(0);
  expect(r.records).toBe(truth.records);
  expect(Object.keys(r.dataClasses).sort()).toEqual(HELD);
  expect(r.people).toBe(truth.people);
  // Actors, customers and staff have names; cities, countries, categories and languages do not.
  expect(r.dataClasses['Names']?.valid).toBe(truth.names);
  for (const t of r.tables) {
    for (const c of t.columns) {
      // Keys into other tables and timestamps of record keeping are nobody's data.
      if (/(^|_)(address|city|store|country|film|language|category|inventory|rental|staff)_id$/.test(c.name))
        expect(c.dataClass, `${t.name}.${c.name}`).toBeNull();
      if (/last_update|create_date|rental_date|return_date|payment_date/.test(c.name)) expect(c.dataClass, `${t.name}.${c.name}`).toBeNull();
    }
  }
}

/**
 * One address phone, `33173584456`, is a valid French number by the project's rules (`33` then
 * nine digits: +33 1 73 58 44 56) in both databases, among foreign numbers: a record holding a
 * French phone number is a person to notify, so it counts as one, and only it.
 */
const FRENCH_LOOKING_PHONES = 1;

describe('public sample databases', () => {
  it('Pagila, loaded into PostgreSQL and dumped with pg_dump', async () => {
    const admin = ['--dbname', PG_URL, '-X', '-q', '-v', 'ON_ERROR_STOP=1'];
    const url = new URL(PG_URL);
    url.pathname = `/${db}`;
    const own = ['--dbname', url.toString(), '-X', '-q', '-v', 'ON_ERROR_STOP=1'];
    execFileSync('psql', [...admin, '-c', `DROP DATABASE IF EXISTS ${db}`, '-c', `CREATE DATABASE ${db}`]);
    try {
      execFileSync('psql', [...own, '-f', join(fixtures, 'pagila-schema.sql')], { stdio: 'pipe' });
      // The trimmed rows keep their keys: foreign-key checks are off while loading, as pg_restore does.
      const data = Buffer.concat([Buffer.from('SET session_replication_role = replica;\n'), readFileSync(join(fixtures, 'pagila-data.sql'))]);
      execFileSync('psql', own, { input: data, stdio: ['pipe', 'pipe', 'pipe'] });
      const count = (sql: string) =>
        Number(
          execFileSync('psql', [...own, '-At', '-c', sql])
            .toString()
            .trim(),
        );
      const dump = join(dir, 'pagila.sql');
      writeFileSync(dump, execFileSync('pg_dump', ['--dbname', url.toString()], { maxBuffer: 1 << 28 }));
      expect(readFileSync(dump, 'utf8')).toMatch(/COPY public\.customer /);
      const tables = execFileSync('psql', [
        ...own,
        '-At',
        '-c',
        "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND relkind = 'r'",
      ])
        .toString()
        .trim()
        .split('\n');
      const truth: Truth = {
        records: tables.reduce((n, t) => n + count(`SELECT count(*) FROM public.${t}`), 0),
        people: count('SELECT count(DISTINCT lower(email)) FROM (SELECT email FROM customer UNION ALL SELECT email FROM staff) e') + FRENCH_LOOKING_PHONES,
        names: count('SELECT (SELECT count(*) FROM actor) + (SELECT count(*) FROM customer) + (SELECT count(*) FROM staff)'),
      };
      expect(truth.people).toBeGreaterThan(500);
      expectHonest(await run(dump), truth);
    } finally {
      execFileSync('psql', [...admin, '-c', `DROP DATABASE IF EXISTS ${db}`]);
    }
  });

  it('Sakila, loaded into MariaDB and dumped with mysqldump', async () => {
    const my = [...mysqlArgs(), '--default-character-set=utf8mb4'];
    // The schema creates, uses and qualifies names with a database named `sakila`: the test's own name instead.
    const own = (file: string) => readFileSync(join(fixtures, file), 'utf8').replace(/\bsakila\b/g, db);
    try {
      execFileSync('mysql', my, { input: own('sakila-schema.sql') });
      execFileSync('mysql', my, { input: own('sakila-data.sql') });
      const count = (sql: string) =>
        Number(
          execFileSync('mysql', [...my, '-N', '-B', db, '-e', sql])
            .toString()
            .trim(),
        );
      const dump = join(dir, 'sakila.sql');
      writeFileSync(dump, execFileSync('mysqldump', [...my, db], { maxBuffer: 1 << 28 }));
      expect(readFileSync(dump, 'utf8')).toMatch(/INSERT INTO `customer` VALUES/);
      const truth: Truth = {
        records: sakilaRows(count),
        people: count('SELECT count(DISTINCT lower(email)) FROM (SELECT email FROM customer UNION ALL SELECT email FROM staff) e') + FRENCH_LOOKING_PHONES,
        names: count('SELECT (SELECT count(*) FROM actor) + (SELECT count(*) FROM customer) + (SELECT count(*) FROM staff)'),
      };
      expect(truth.people).toBeGreaterThan(300);
      expectHonest(await run(dump), truth);
    } finally {
      execFileSync('mysql', [...my, '-e', `DROP DATABASE IF EXISTS ${db}`]);
    }
  });
});

/** Rows of every base table (views are not dumped as data), counted exactly rather than from the statistics. */
function sakilaRows(count: (sql: string) => number): number {
  const tables = [
    'actor',
    'address',
    'category',
    'city',
    'country',
    'customer',
    'film',
    'film_actor',
    'film_category',
    'film_text',
    'inventory',
    'language',
    'payment',
    'rental',
    'staff',
    'store',
  ];
  return tables.reduce((n, t) => n + count(`SELECT count(*) FROM ${t}`), 0);
}
