/**
 * Dumps of every common dialect, made at test time by the real programs (the `sqlite3` CLI,
 * MariaDB's `mysqldump` in several modes) from the generator's people, then ingested: counts
 * must equal the generator's ground truth, and the odd values (a backslash at the end, a line
 * break, quotes) must come out as they went in. The dialect is taken from the dump's own
 * evidence, never from a default.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GroundTruth, writeDataset } from '../../gen/index.js';
import { ingest } from '../../ingest/index.js';
import { renderImpactText } from '../../report/index.js';
import { mysqlArgs, PG_URL } from '../../test-helpers/services.js';
import { type Cell, readSource } from '../index.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-dialects-'));
const db = `vigie_dialects_${process.pid}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MY = [...mysqlArgs(), '--default-character-set=utf8mb4'];

/** The values that broke readers: a backslash at the end, a line break with quotes, a CR LF. */
const ODD = ['C:\\dossier\\', 'ligne 1\nl\'autre "guillemets"', 'fin\r\n'];

async function expectTruth(file: string, truth: GroundTruth): Promise<void> {
  const r = await ingest({ files: [file], breach: { name: 'Dump' }, dryRun: true, workers: 2 });
  expect(r.records).toBe(truth.rows);
  expect(r.skipped).toBe(0);
  expect(r.people).toBe(truth.people);
  for (const [cls, t] of Object.entries(truth.dataClasses)) {
    if (t.valid === 0 && t.invalid === 0) continue;
    expect(r.dataClasses[cls], cls).toEqual(expect.objectContaining({ valid: t.valid, invalid: t.invalid, distinct: t.distinct }));
  }
}

/** The cells of one column of the file's first table, as read through the `read` door. */
async function column(file: string, name: string): Promise<{ format: string; meta: Record<string, string>; cells: Cell[] }> {
  let index = -1;
  let format = '';
  let meta: Record<string, string> = {};
  const cells: Cell[] = [];
  for await (const ev of readSource(file, { displayName: file })) {
    if (ev.kind === 'table') {
      index = ev.columns.indexOf(name);
      format = ev.format;
      meta = ev.meta;
    } else if (ev.kind === 'rows') for (const row of ev.rows) cells.push(row[index] ?? null);
  }
  return { format, meta, cells };
}

describe('sqlite3 .dump', () => {
  let truth: GroundTruth;
  let dump: string;

  beforeAll(async () => {
    try {
      execFileSync('sqlite3', ['-version']);
    } catch {
      throw new Error('these tests need the sqlite3 command-line tool (Debian package sqlite3)');
    }
    const script = join(dir, 'people.sqlite.sql');
    truth = await writeDataset({ out: script, rows: 3000, seed: 41, format: 'sql-inserts', columns: 'full', sqlDialect: 'postgres' });
    // The PostgreSQL flavour is standard SQL; its SET lines are PostgreSQL's own.
    const body = readFileSync(script, 'utf8')
      .split('\n')
      .filter((l) => !l.startsWith('SET '))
      .join('\n');
    const quote = (v: string) => `'${v.replaceAll("'", "''").replaceAll('\r', "'||char(13)||'").replaceAll('\n', "'||char(10)||'")}'`;
    const odd = ODD.map((v, i) => `UPDATE personnes SET remarque = ${quote(v)} WHERE rowid = ${i + 1};`).join('\n');
    const database = join(dir, 'people.db');
    execFileSync('sqlite3', ['-bail', database], { input: `${body}\nALTER TABLE personnes ADD COLUMN remarque TEXT;\n${odd}\n` });
    dump = join(dir, 'sqlite.sql');
    writeFileSync(dump, execFileSync('sqlite3', [database, '.dump'], { maxBuffer: 1 << 28 }));
  });

  it('is read with standard quoting: every record, the odd values intact', async () => {
    const text = readFileSync(dump, 'utf8');
    expect(text).toMatch(/^PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n/);
    expect(text).toContain("'C:\\dossier\\'");
    expect(text).toMatch(/replace\('ligne 1\\nl''autre/);
    await expectTruth(dump, truth);
    const c = await column(dump, 'remarque');
    expect(c.meta['dialect']).toBe('sqlite');
    expect(c.cells.slice(0, 4)).toEqual([...ODD, null]);
  });

  it('without its PRAGMA / BEGIN TRANSACTION header: parsed both ways, standard quoting wins', async () => {
    const bare = join(dir, 'sqlite-bare.sql');
    writeFileSync(
      bare,
      readFileSync(dump, 'utf8')
        .replace(/^PRAGMA[^\n]*\nBEGIN TRANSACTION;\n/, '')
        .replace(/COMMIT;\n$/, ''),
    );
    await expectTruth(bare, truth);
    const c = await column(bare, 'remarque');
    expect(c.meta).toMatchObject({ dialect: 'sqlite', dialectFrom: 'trial parse' });
    expect(c.cells.slice(0, 4)).toEqual([...ODD, null]);
  });
});

describe('mysqldump modes', () => {
  let truth: GroundTruth;

  beforeAll(async () => {
    const script = join(dir, 'people.mysql.sql');
    truth = await writeDataset({ out: script, rows: 3000, seed: 42, format: 'sql-inserts', columns: 'full' });
    const quote = (v: string) => `'${v.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', '\\n').replaceAll('\r', '\\r')}'`;
    const odd = ODD.map((v, i) => `UPDATE personnes SET remarque = ${quote(v)}, photo = ${quote(v)} WHERE id = ${i + 1};`);
    execFileSync('mysql', [...MY, '-e', `DROP DATABASE IF EXISTS ${db}; CREATE DATABASE ${db} CHARACTER SET utf8mb4`]);
    execFileSync('mysql', [...MY, db], {
      input: Buffer.concat([
        readFileSync(script),
        Buffer.from(
          '\nALTER TABLE personnes ADD COLUMN id INT AUTO_INCREMENT PRIMARY KEY FIRST, ADD COLUMN remarque TEXT, ADD COLUMN photo BLOB;\n' +
            `${odd.join('\n')}\n`,
        ),
      ]),
    });
  });
  afterAll(() => execFileSync('mysql', [...MY, '-e', `DROP DATABASE IF EXISTS ${db}`]));

  const MODES: [string, string[], RegExp][] = [
    ['--compatible=ansi', ['--compatible=ansi'], /INSERT INTO "personnes" VALUES\s*\(/],
    ['--skip-extended-insert', ['--skip-extended-insert'], /INSERT INTO `personnes` VALUES \(1,/],
    ['--complete-insert', ['--complete-insert'], /INSERT INTO `personnes` \(`id`, /],
    ['--hex-blob', ['--hex-blob'], /,0x433A5C646F73736965725C\)/],
    ['all four', ['--compatible=ansi', '--skip-extended-insert', '--complete-insert', '--hex-blob'], /INSERT INTO "personnes" \("id", /],
  ];

  it.each(MODES)('%s: every record, the odd values intact', async (mode, flags, shape) => {
    const dump = join(dir, `mysql${flags.join('')}.sql`);
    writeFileSync(dump, execFileSync('mysqldump', [...MY, ...flags, db], { maxBuffer: 1 << 28 }));
    expect(readFileSync(dump, 'utf8')).toMatch(shape);
    await expectTruth(dump, truth);
    expect((await column(dump, 'remarque')).cells.slice(0, 4)).toEqual([...ODD, null]);
    const photo = (await column(dump, 'photo')).cells.slice(0, 4);
    const hex = (v: string) => `0x${Buffer.from(v).toString('hex').toUpperCase()}`;
    expect(photo, mode).toEqual([...ODD.map(flags.includes('--hex-blob') ? hex : (v: string) => v), null]);
  });
});

describe('mysqldump of binary columns, written raw (no --hex-blob)', () => {
  let truth: GroundTruth;
  const bin = `${db}_bin`;

  beforeAll(async () => {
    const script = join(dir, 'people.binary.sql');
    truth = await writeDataset({ out: script, rows: 2000, seed: 43, format: 'sql-inserts', columns: 'full' });
    execFileSync('mysql', [...MY, '-e', `DROP DATABASE IF EXISTS ${bin}; CREATE DATABASE ${bin} CHARACTER SET utf8mb4`]);
    execFileSync('mysql', [...MY, bin], {
      input: Buffer.concat([
        readFileSync(script),
        // A UUID and a SHA-256 digest per row, as applications store them: random bytes, raw in the dump.
        Buffer.from(
          '\nALTER TABLE personnes ADD COLUMN uuid BINARY(16) FIRST, ADD COLUMN jeton VARBINARY(32);\n' +
            'UPDATE personnes SET uuid = UNHEX(MD5(RAND(7))), jeton = UNHEX(SHA2(RAND(8), 256));\n',
        ),
      ]),
    });
  });
  afterAll(() => execFileSync('mysql', [...MY, '-e', `DROP DATABASE IF EXISTS ${bin}`]));

  it('is text in UTF-8: every record, every accented name, the binary values read as values', async () => {
    const dump = join(dir, 'mysql-binary.sql');
    const bytes = execFileSync('mysqldump', [...MY, bin], { maxBuffer: 1 << 28 });
    writeFileSync(dump, bytes);
    // What made it look binary: control bytes in the values, over 1 % of the file, and no valid UTF-8.
    let controls = 0;
    for (const b of bytes) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) controls++;
    expect(controls * 100).toBeGreaterThan(bytes.length);
    expect(bytes.includes(0)).toBe(false);
    await expectTruth(dump, truth);
    const uuid = await column(dump, 'uuid');
    expect(uuid.meta).toMatchObject({ encoding: 'utf8' });
    expect(uuid.cells).toHaveLength(2000);
    expect(uuid.cells.every((c) => typeof c === 'string' && c.length > 0)).toBe(true);
  });
});

describe('mysqldump --databases: several databases in one dump', () => {
  let truth: GroundTruth;
  const main = `${db}_multi`;
  const other = `${db}_autre`;

  beforeAll(async () => {
    const script = join(dir, 'people.multi.sql');
    truth = await writeDataset({ out: script, rows: 1500, seed: 44, format: 'sql-inserts', columns: 'full' });
    execFileSync('mysql', [...MY, '-e', `DROP DATABASE IF EXISTS ${main}; CREATE DATABASE ${main} CHARACTER SET utf8mb4`]);
    execFileSync('mysql', [...MY, main], { input: readFileSync(script) });
    // Another database with a table of the same name and other columns: its CREATE TABLE must not name the first's rows.
    execFileSync('mysql', [
      ...MY,
      '-e',
      `DROP DATABASE IF EXISTS ${other}; CREATE DATABASE ${other} CHARACTER SET utf8mb4; ` +
        `CREATE TABLE ${other}.personnes (ref INT PRIMARY KEY, statut VARCHAR(20)); INSERT INTO ${other}.personnes VALUES (1, 'actif'), (2, 'clos')`,
    ]);
  });
  afterAll(() => execFileSync('mysql', [...MY, '-e', `DROP DATABASE IF EXISTS ${main}; DROP DATABASE IF EXISTS ${other}`]));

  it("names tables by database, keeps each CREATE TABLE to its own, and passes over MySQL's system database", async () => {
    const dump = join(dir, 'mysql-databases.sql');
    // `mysql` as --all-databases writes it: accounts, privileges, and help topics whose `name` column reads like names.
    writeFileSync(dump, execFileSync('mysqldump', [...MY, '--databases', other, 'mysql', main], { maxBuffer: 1 << 28 }));
    expect(readFileSync(dump, 'utf8')).toMatch(/^USE `mysql`;$/m);
    expect(readFileSync(dump, 'utf8')).toMatch(/^INSERT INTO `help_topic` VALUES/m);
    const r = await ingest({ files: [dump], breach: { name: 'Dump' }, dryRun: true, workers: 0 });
    // Exactly the generated people and the other database's two rows: nothing from `mysql`.
    expect(r.records).toBe(truth.rows + 2);
    expect(r.people).toBe(truth.people);
    for (const [cls, t] of Object.entries(truth.dataClasses)) {
      if (t.valid === 0 && t.invalid === 0) continue;
      expect(r.dataClasses[cls], cls).toEqual(expect.objectContaining({ valid: t.valid, invalid: t.invalid }));
    }
    expect(r.warnings).toEqual([]);
    const tables = new Map(r.tables.map((t) => [t.name, t]));
    expect(tables.get(`${dump}:${other}.personnes`)?.columns.map((c) => c.name)).toEqual(['ref', 'statut']);
    expect(tables.get(`${dump}:${main}.personnes`)?.records).toBe(truth.rows);
    expect(tables.get(`${dump}:${main}.personnes`)?.columns.map((c) => c.name)).toContain('email');
    const system = r.tables.filter((t) => t.name.startsWith(`${dump}:mysql.`));
    expect(system.map((t) => t.name)).toContain(`${dump}:mysql.help_topic`);
    for (const t of system) expect([t.records, t.meta['notRead']]).toEqual([0, "mysql is MySQL's own system database"]);
    // The text report gives each a line, not an empty grid of columns.
    expect(renderImpactText(r)).toContain(`Table ${dump}:mysql.help_topic (mysqldump): not read, mysql is MySQL's own system database\n`);
  });
});

describe('pg_dump --create of two databases, one after the other (as pg_dumpall writes them)', () => {
  const names = [`vigie_pga_${process.pid}`, `vigie pg b ${process.pid}`];
  const url = (database: string) => {
    const u = new URL(PG_URL);
    u.pathname = `/${encodeURIComponent(database)}`;
    return u.toString();
  };
  const psql = (database: string, sql: string) => execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '--dbname', url(database), '-c', sql]);
  const admin = (sql: string) => execFileSync('psql', ['-X', '-q', '--dbname', PG_URL, '-c', sql]);

  beforeAll(() => {
    for (const n of names) {
      admin(`DROP DATABASE IF EXISTS "${n}"`);
      admin(`CREATE DATABASE "${n}"`);
    }
    psql(
      names[0]!,
      "CREATE TABLE clients (nom text, email text); INSERT INTO clients VALUES ('Hélène Lefèvre', 'helene.lefevre@exemple.fr'), ('Jean Dupont', 'jean.dupont@exemple.fr')",
    );
    psql(names[1]!, "CREATE TABLE clients (ref int, telephone text); INSERT INTO clients VALUES (1, '06 12 34 56 78')");
  });
  afterAll(() => {
    for (const n of names) admin(`DROP DATABASE IF EXISTS "${n}"`);
  });

  it('names each table by its database, a name psql cannot take bare included', async () => {
    const dump = join(dir, 'pg-two-databases.sql');
    writeFileSync(dump, Buffer.concat(names.map((n) => execFileSync('pg_dump', ['--create', '--dbname', url(n)], { maxBuffer: 1 << 28 }))));
    const text = readFileSync(dump, 'utf8');
    expect(text).toContain(`\\connect ${names[0]}\n`);
    expect(text).toMatch(/^\\connect -reuse-previous=on "dbname='vigie pg b \d+'"$/m);
    const r = await ingest({ files: [dump], breach: { name: 'Dump' }, dryRun: true, workers: 0 });
    expect(r.tables.map((t) => [t.name, t.records, t.columns.map((c) => c.name)])).toEqual([
      [`${dump}:${names[0]}.public.clients`, 2, ['nom', 'email']],
      [`${dump}:${names[1]}.public.clients`, 1, ['ref', 'telephone']],
    ]);
    expect(r.dataClasses['Email addresses']).toMatchObject({ valid: 2 });
    expect(r.dataClasses['Phone numbers']).toMatchObject({ valid: 1 });
  });
});
