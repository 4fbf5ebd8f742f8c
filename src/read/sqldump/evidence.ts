/**
 * Which SQL dialect a dump is written in, from its own evidence: the program's header, the
 * statements only one engine writes, the quoting of identifiers. When the evidence does not
 * decide, the start of the dump is parsed in each candidate dialect and the reading that
 * yields well-formed statements wins: a dialect is never assumed for its escapes.
 */
import type { Dialect } from './dialect.js';
import { MYSQL, MYSQL_ANSI, POSTGRES, SQLITE, SQLSERVER } from './dialect.js';

/** Characters of the dump's start that evidence and trial parses look at. */
export const SAMPLE_CHARS = 1 << 20;

const PG = /^-- PostgreSQL database dump|^COPY [^\n;]{1,512} FROM stdin\b|^SET standard_conforming_strings|^SELECT pg_catalog\.set_config|^\\connect /m;
const MYSQL_MARK = /^-- (?:MySQL|MariaDB) dump|\/\*[!M]!?\d{5,6}|^LOCK TABLES /m;
/** mysqldump --compatible=ansi says so in its header; ANSI_QUOTES alone does too. */
const MYSQL_ANSI_MODE = /SQL_MODE='[^']*\bANSI(?:_QUOTES)?\b/;
const SQLITE_MARK = /^PRAGMA [a-z_]+\s*=|^BEGIN TRANSACTION;|\bsqlite_sequence\b/m;
const SQLSERVER_MARK = /^SET IDENTITY_INSERT |^GO\s*$|^USE \[|^(?:INSERT(?: INTO)?|CREATE TABLE) \[/im;
const BACKTICK_NAME = /^(?:INSERT (?:IGNORE )?INTO|REPLACE INTO|CREATE TABLE(?: IF NOT EXISTS)?|LOCK TABLES|DROP TABLE IF EXISTS) `/m;
const DQUOTE_NAME = /^(?:INSERT INTO|CREATE TABLE(?: IF NOT EXISTS)?|LOCK TABLES|DROP TABLE IF EXISTS) "/m;

/** The dialect the evidence names, with the evidence; or the candidates to try. */
type Evidence = { dialect: Dialect; from: string } | { candidates: Dialect[] };

export function dialectEvidence(sample: string, hint: Dialect): Evidence {
  const pg = PG.test(sample);
  const my = MYSQL_MARK.test(sample);
  const lite = SQLITE_MARK.test(sample);
  if (!pg && !my && !lite && SQLSERVER_MARK.test(sample)) return { dialect: SQLSERVER, from: 'SQL Server script' };
  if (my && !pg && !lite) {
    const ansi = MYSQL_ANSI_MODE.test(sample) || (DQUOTE_NAME.test(sample) && !BACKTICK_NAME.test(sample));
    return ansi ? { dialect: MYSQL_ANSI, from: 'mysqldump header, ANSI quotes' } : { dialect: MYSQL, from: 'mysqldump header' };
  }
  if (pg && !my && !lite) return { dialect: POSTGRES, from: 'pg_dump statements' };
  if (lite && !my && !pg) return { dialect: SQLITE, from: 'sqlite3 header' };
  const candidates: Dialect[] = [];
  if (my || BACKTICK_NAME.test(sample)) candidates.push(MYSQL);
  if (my && DQUOTE_NAME.test(sample)) candidates.push(MYSQL_ANSI);
  if (pg) candidates.push(POSTGRES);
  if (lite) candidates.push(SQLITE);
  if (candidates.length > 0) return { candidates };
  // Nothing but plain SQL: every reading is tried, the reader's own first (it wins ties).
  return { candidates: [hint, ...[MYSQL, SQLITE, POSTGRES].filter((d) => d !== hint)] };
}
