/**
 * `mysqldump --tab=DIR` writes each table as two files: `t.txt`, its rows (tab-separated, `\N`
 * for NULL, no header line), and `t.sql`, its CREATE TABLE. Read alone, `t.txt` has only
 * `column_1..n` and its values to be recognised by; the `.sql` beside it names its columns.
 */
import { lstat, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { createTableColumns } from './sqldump/index.js';

/** A `.sql` beside the data larger than this is no `--tab` table definition. */
const MAX_DEFINITION_BYTES = 1 << 20;

/**
 * The column names of the `.txt` file at `path` from the CREATE TABLE of its `.sql` sibling,
 * when there is one (a regular file of at most 1 MiB) that creates the table of the same name
 * with exactly `width` columns; undefined otherwise.
 *
 * @example
 * await tabColumns('dump/clients.txt', 7) // { columns: ['id', 'nom', ...], from: 'clients.sql' }
 */
export async function tabColumns(path: string, width: number): Promise<{ columns: string[]; from: string } | undefined> {
  if (!/\.txt$/i.test(path) || width === 0) return undefined;
  const sibling = `${path.slice(0, -4)}.sql`;
  try {
    const st = await lstat(sibling);
    if (!st.isFile() || st.size > MAX_DEFINITION_BYTES) return undefined;
    const tables = createTableColumns(await readFile(sibling, 'utf8'), sibling);
    const table = basename(path).slice(0, -4);
    const columns = tables.get(table) ?? tables.get(table.toLowerCase());
    return columns?.length === width ? { columns: [...columns], from: basename(sibling) } : undefined;
  } catch {
    return undefined; // no sibling, or unreadable: the file reads as it would alone
  }
}
