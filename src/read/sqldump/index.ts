/** SQL dump readers: the folder's only door. */
export { readMysqlDump } from './mysql.js';
export { readPgDump } from './postgres.js';
