/**
 * The columns a dump's CREATE TABLE statements declare, without its data: what `mysqldump
 * --tab` writes beside each table's rows (`t.sql` beside `t.txt`).
 */
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_RECORD_CHARS } from '../limits.js';
import { MYSQL } from './dialect.js';
import { DumpParser } from './parser.js';

/**
 * The columns of every table the SQL text creates, by table key (a quoted name as written, an
 * unquoted one in lower case).
 * A statement the parser cannot read ends the search; what was read before it is kept.
 *
 * @example
 * createTableColumns('CREATE TABLE `clients` (`id` int, `nom` varchar(40));', 'clients.sql').get('clients') // ['id', 'nom']
 */
export function createTableColumns(sql: string, file: string): Map<string, string[]> {
  const parser = new DumpParser({
    file,
    format: 'mysqldump',
    batchSize: DEFAULT_BATCH_SIZE,
    maxRecordChars: DEFAULT_MAX_RECORD_CHARS,
    dialect: MYSQL,
    meta: {},
  });
  try {
    parser.lexer.feed(sql);
    parser.lexer.end();
  } catch {
    // A dump without data ends with "no SQL dump statement found" or stops at what it cannot read.
  }
  return new Map(parser.createdColumns);
}
