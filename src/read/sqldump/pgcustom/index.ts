/** `pg_dump -Fc` archives (PostgreSQL's custom format): the folder's only door. */
export { readPgCustom } from './reader.js';
