/**
 * Reader of plain-format `pg_dump` output. As for `readMysqlDump`, the dump's own evidence
 * decides its dialect (`evidence.ts`); PostgreSQL's rules are only the expectation.
 */
import type { TextReader } from '../types.js';
import { POSTGRES } from './dialect.js';
import { dumpReader } from './reader.js';

/**
 * Reads a plain-format PostgreSQL dump: `COPY ... FROM stdin` blocks (text format, `\N` null,
 * backslash escapes, ended by `\.`) and the INSERTs of `--inserts` / `--column-inserts`
 * (standard-conforming strings, `E'..'` escapes, `'..'::type` casts, dollar quotes skipped).
 * Table names are as written (`public.clients`); quoted identifiers keep their case.
 *
 * @example
 * for await (const ev of readPgDump(chunks, { displayName: 'dump.sql' })) {
 *   if (ev.kind === 'rows') console.log(ev.rows.length);
 * }
 */
export const readPgDump: TextReader = dumpReader(POSTGRES, 'pgdump');
