import { describe, expect, it } from 'vitest';
import { isVigieError } from '../../errors.js';
import type { TextReader } from '../types.js';
import { MYSQL, POSTGRES } from './dialect.js';
import { dialectEvidence } from './evidence.js';
import { evaluate } from './expr.js';
import type { ExprToken } from './expr.js';
import { TOKEN_NUMBER, TOKEN_PUNCT, TOKEN_STRING, TOKEN_WORD } from './lexer.js';
import { readMysqlDump } from './mysql.js';
import { readPgDump } from './postgres.js';
import { chunked, collect, readAll } from './test-helpers/collect.js';

/** Reads whole and in 1..4-character chunks with both readers: all must agree on the rows. */
async function read(sql: string, sameMeta = true) {
  const whole = await readAll(readMysqlDump, sql);
  for (const reader of [readMysqlDump, readPgDump] as TextReader[]) {
    const split = await collect(reader, chunked(sql, 1, 4, 3));
    if (sameMeta || reader === readMysqlDump) expect(split.tables).toEqual(whole.tables);
    else expect(split.tables.map((t) => [t.name, t.columns, t.rows, t.skips])).toEqual(whole.tables.map((t) => [t.name, t.columns, t.rows, t.skips]));
  }
  return whole;
}

const named = (sample: string) => {
  const e = dialectEvidence(sample, MYSQL);
  return 'dialect' in e ? e.dialect.name : e.candidates.map((d) => d.name);
};

describe('dialect evidence', () => {
  it('names the dialect from what each program writes', () => {
    expect(named('PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\nCREATE TABLE t(a);\n')).toBe('sqlite');
    expect(named("/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO,ANSI' */;\n")).toBe('mysql-ansi');
    expect(named('-- MariaDB dump 10.19\nINSERT INTO "t" VALUES (1);\n')).toBe('mysql-ansi');
    expect(named('-- MySQL dump 10.13\nINSERT INTO `t` VALUES (1);\n')).toBe('mysql');
    expect(named('--\n-- PostgreSQL database dump\n--\n')).toBe('pg');
    expect(named('COPY public.t (a) FROM stdin WITH (FORMAT csv);\n')).toBe('pg');
    expect(named('SET IDENTITY_INSERT [dbo].[t] ON\nGO\n')).toBe('sqlserver');
  });

  it('without evidence, every reading is a candidate, the reader’s own first', () => {
    expect(named("INSERT INTO t VALUES (1,'a');\n")).toEqual(['mysql', 'sqlite', 'pg']);
    expect(dialectEvidence("INSERT INTO t VALUES (1,'a');\n", POSTGRES)).toEqual({ candidates: [POSTGRES, MYSQL, expect.anything()] });
  });
});

describe('reading by evidence, whichever reader is called', () => {
  it('a sqlite3 .dump: no backslash escapes, line breaks and blobs evaluated, double-quoted names', async () => {
    const sql =
      'PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\nCREATE TABLE IF NOT EXISTS "clients" ("nom" TEXT, [note] TEXT, b BLOB);\n' +
      "INSERT INTO clients VALUES('C:\\dir\\',replace('l1\\nl''2','\\n',char(10)),X'0a1b');\n" +
      "INSERT INTO clients VALUES(replace(replace('a\\r\\nb','\\r',char(13)),'\\n',char(10)),'x'||char(10)||'y',NULL);\nDELETE FROM sqlite_sequence;\nINSERT INTO sqlite_sequence VALUES('clients',2);\nCOMMIT;\n";
    const r = await read(sql);
    expect(r.tables).toHaveLength(1);
    expect(r.tables[0]!.columns).toEqual(['nom', 'note', 'b']);
    expect(r.tables[0]!.meta).toMatchObject({ dialect: 'sqlite', dialectFrom: 'sqlite3 header' });
    expect(r.tables[0]!.rows).toEqual([
      ['C:\\dir\\', "l1\nl'2", '0x0a1b'],
      ['a\r\nb', 'x\ny', null],
    ]);
  });

  it('plain SQL without any header: parsed each way, the reading without malformed records wins', async () => {
    const standard = "CREATE TABLE t (a text, b text);\nINSERT INTO t VALUES ('C:\\dir\\', 'x'), ('O''Brien', 'y');\n";
    const s = await read(standard, false);
    expect(s.tables[0]!.rows).toEqual([
      ['C:\\dir\\', 'x'],
      ["O'Brien", 'y'],
    ]);
    expect(s.tables[0]!.meta['dialectFrom']).toBe('trial parse');
    const mysql = "CREATE TABLE t (a text, b text);\nINSERT INTO t VALUES ('O\\'Brien', 'x\\\\'), ('a', 'b');\n";
    expect((await read(mysql, false)).tables[0]!.rows).toEqual([
      ["O'Brien", 'x\\'],
      ['a', 'b'],
    ]);
  });

  it('a SQL Server script: [bracketed] names, N strings, GO lines, no semicolons', async () => {
    const sql =
      'USE [fuite]\nGO\nSET IDENTITY_INSERT [dbo].[clients] ON\nGO\n' +
      "INSERT [dbo].[clients] ([id], [nom]) VALUES (1, N'O''Brien \\')\nINSERT [dbo].[clients] ([id], [nom]) VALUES (2, N'Hébert')\nGO\n" +
      "INSERT [dbo].[clients] ([id], [nom]) VALUES (3, CAST(N'1985-03-12T00:00:00.000' AS DateTime))\n" +
      'INSERT [dbo].[clients] ([id], [nom]) VALUES (4, CAST(12.50 AS Decimal(18, 2)))\nGO\n' +
      'SET IDENTITY_INSERT [dbo].[clients] OFF\nGO\n';
    const r = await read(sql);
    expect(r.tables.map((t) => [t.name, t.columns, t.meta['dialect']])).toEqual([['dump.sql:dbo.clients', ['id', 'nom'], 'sqlserver']]);
    expect(r.tables[0]!.rows).toEqual([
      ['1', "O'Brien \\"],
      ['2', 'Hébert'],
      ['3', '1985-03-12T00:00:00.000'],
      ['4', '12.50'],
    ]);
  });
});

describe('a string that swallows the rest of the dump', () => {
  it('is an error naming its line, after the complete records, never a quiet success', async () => {
    // A MySQL header, then standard quoting: the trailing backslash escapes the closing quote,
    // and no quote after it ends the string.
    const rows = Array.from({ length: 40 }, (_, i) => `INSERT INTO t VALUES (${i}, 2);`).join('\n');
    const sql = `-- MySQL dump 10.13\nINSERT INTO t VALUES ('1', 'ok');\nINSERT INTO t VALUES ('C:\\dir\\', 'x');\n${rows}\n`;
    const seen: number[] = [];
    const err = await (async () => {
      for await (const ev of readMysqlDump(chunked(sql, 0, Infinity), { displayName: 'leak.sql' })) if (ev.kind === 'rows') seen.push(ev.rows.length);
    })().then(
      () => null,
      (e: unknown) => e,
    );
    expect(seen).toEqual([1]);
    expect(isVigieError(err) && err.code).toBe('VIGIE_TRUNCATED');
    expect((err as Error).message).toMatch(/leak\.sql, line 3/);
    expect((err as Error).message).not.toContain('dir');
  });
});

describe('evaluate', () => {
  const s = (t: string): ExprToken => [TOKEN_STRING, t];
  const w = (t: string): ExprToken => [TOKEN_WORD, t];
  const n = (t: string): ExprToken => [TOKEN_NUMBER, t];
  const p = (t: string): ExprToken => [TOKEN_PUNCT, t];
  it('replace, char, chr, || and NULL; anything else is not evaluated', () => {
    expect(evaluate([w('replace'), p('('), s('a\\nb'), p(','), s('\\n'), p(','), w('char'), p('('), n('10'), p(')'), p(')')])).toBe('a\nb');
    expect(evaluate([w('CHAR'), p('('), n('13'), p(','), n('10'), p(')'), p('|'), p('|'), s('x')])).toBe('\r\nx');
    expect(evaluate([w('chr'), p('('), n('233'), p(')')])).toBe('é');
    expect(evaluate([w('NULL'), p('|'), p('|'), s('x')])).toBeNull();
    expect(evaluate([p('('), s('a'), p(')')])).toBe('a');
    expect(evaluate([w('NOW'), p('('), p(')')])).toBeUndefined();
    expect(evaluate([w('char'), p('('), n('99999999'), p(')')])).toBeUndefined();
    expect(evaluate([w('replace'), p('('), s('a'), p(','), s('b'), p(')')])).toBeUndefined();
  });
});
