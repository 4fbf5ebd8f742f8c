/**
 * The database servers the tests talk to, found from the environment so that the suite runs
 * against another server without editing code. The defaults are the servers of the CI machine.
 *
 * - `VIGIE_TEST_PG_URL`: a PostgreSQL URL (default `postgres://postgres@127.0.0.1:5432/test`).
 *   Each test file works in a schema of its own and drops it afterwards.
 * - `VIGIE_TEST_MYSQL_URL`: a MariaDB/MySQL URL (default `mysql://root@127.0.0.1:3306`), used
 *   through the `mysql` and `mysqldump` command-line tools.
 */

/** The PostgreSQL server of the tests, as a `postgres://` URL. */
export const PG_URL = process.env['VIGIE_TEST_PG_URL'] || 'postgres://postgres@127.0.0.1:5432/test';

/** The MariaDB/MySQL server of the tests, as a `mysql://` URL. */
export const MYSQL_URL = process.env['VIGIE_TEST_MYSQL_URL'] || 'mysql://root@127.0.0.1:3306';

/** Connection options for `psql` and `pg_dump`: the URL itself, as `--dbname`. */
export function pgArgs(): string[] {
  return ['--dbname', PG_URL];
}

/** Connection options for `mysql` and `mysqldump`, from `MYSQL_URL` (host, port, user, password). */
export function mysqlArgs(): string[] {
  const u = new URL(MYSQL_URL);
  const args = [`-h${u.hostname || '127.0.0.1'}`, `-P${u.port || '3306'}`, `-u${decodeURIComponent(u.username || 'root')}`];
  if (u.password !== '') args.push(`-p${decodeURIComponent(u.password)}`);
  return args;
}
