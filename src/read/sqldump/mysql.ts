/**
 * Reader of `mysqldump` / `mariadb-dump` output. The dump's own evidence decides its dialect
 * (`evidence.ts`): a file detected as MySQL but written by `sqlite3 .dump`, `pg_dump` or
 * `mysqldump --compatible=ansi` is read with that dialect's rules, and its tables say so in
 * their `dialect` meta.
 */
import type { TextReader } from '../types.js';
import { MYSQL } from './dialect.js';
import { dumpReader } from './reader.js';

/**
 * Reads a MySQL or MariaDB dump: one `table` event per run of a table's INSERTs, with the
 * columns of the INSERT's own list, else of its CREATE TABLE, else `column_1..n`; then its
 * rows. Handles extended (multi-row) INSERT, INSERT IGNORE, REPLACE, MySQL string escapes,
 * `0x..`/`x'..'` hex (kept as `0x..`), `b'..'` bits (kept as their digits), charset introducers,
 * comments and `/*! ... *\/` conditional statements, and skips `DELIMITER` blocks (routines).
 * Values are text or null; numbers are kept as written.
 *
 * @example
 * for await (const ev of readMysqlDump(chunks, { displayName: 'leak.sql' })) {
 *   if (ev.kind === 'table') console.log(ev.name, ev.columns); // leak.sql:clients [...]
 * }
 */
export const readMysqlDump: TextReader = dumpReader(MYSQL, 'mysqldump');
