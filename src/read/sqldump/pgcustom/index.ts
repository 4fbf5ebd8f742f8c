/** `pg_dump -Fc` archives (PostgreSQL's custom format), and the table of contents of `-Ft` ones: the folder's only door. */
export { readPgCustom } from './reader.js';
export { readTarToc } from './tar-toc.js';
