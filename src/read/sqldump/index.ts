/**
 * SQL dump readers (MySQL/MariaDB, PostgreSQL, SQLite, SQL Server; the dialect from the dump's
 * evidence), and PostgreSQL's custom archives (`pg_dump -Fc`): the folder's only door.
 */
export { readMysqlDump } from './mysql.js';
export { readPgDump } from './postgres.js';
export { readFileToc, readPgCustom } from './pgcustom/index.js';
export { createTableColumns } from './create-tables.js';
