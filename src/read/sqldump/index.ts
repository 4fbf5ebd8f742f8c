/** SQL dump readers: the folder's only door. */
export { readMysqlDump } from './mysql.js';
export { readPgDump } from './postgres.js';
export { DEFAULT_BATCH_SIZE, DEFAULT_MAX_RECORD_CHARS } from './reader.js';
