// DuckDB reading the same file, for scale: rows, distinct e-mails and distinct phones (as
// written: DuckDB does not normalise), on its own threads. The e-mail and phone columns are the
// first whose names say so. Usage: node bench/duckdb-count.mjs FILE DELIMITER ENCODING
import { DuckDBInstance } from '@duckdb/node-api';

const [file, delimiter, encoding] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:', { threads: '2' });
const c = await db.connect();
const quote = (s) => `'${s.replace(/'/g, "''")}'`;
const src = `read_csv(${quote(file)}, delim = ${quote(delimiter)}, header = true, encoding = ${quote(encoding)}, ignore_errors = true, all_varchar = true)`;
const t0 = performance.now();
const cols = (await c.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`)).getRows().map((r) => String(r[0]));
const email = cols.find((n) => /mail|courriel/i.test(n));
const phone = cols.find((n) => /t[eé]l|phone/i.test(n));
const q = `SELECT count(*), count(DISTINCT lower(trim("${email}"))), count(DISTINCT "${phone}") FROM ${src}`;
const [row] = (await c.runAndReadAll(q)).getRows();
const seconds = (performance.now() - t0) / 1000;
const records = Number(row[0]);
process.stdout.write(JSON.stringify({ records, emails: Number(row[1]), phones: Number(row[2]), seconds, recordsPerSecond: records / seconds }) + '\n');
