/**
 * SQL dump readers (MySQL/MariaDB, PostgreSQL, SQLite, SQL Server; the dialect from the dump's
 * evidence): the folder's only door.
 */
export { readMysqlDump } from './mysql.js';
export { readPgDump } from './postgres.js';
export { parsePgToc } from './pg-toc.js';
