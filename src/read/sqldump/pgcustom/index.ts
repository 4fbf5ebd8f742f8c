/** `pg_dump -Fc` archives (PostgreSQL's custom format), and the table of contents of `-Ft` and `-Fd` ones: the folder's only door. */
export { readPgCustom } from './reader.js';
export { readFileToc } from './file-toc.js';
