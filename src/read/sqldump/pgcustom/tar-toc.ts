/**
 * The table of contents of a `pg_dump -Ft` archive (its `toc.dat` member), read for one thing:
 * which `NNNN.dat` member holds which table's COPY data, and with which columns. The layout is
 * the custom format's (`toc.ts`), but for the tar format's own field: the member's name where
 * the custom format has a data offset.
 */
import { VigieError } from '../../../errors.js';
import { ArchiveInput } from './input.js';
import { readHeader, readToc } from './toc.js';

/**
 * Maps each data member of a `pg_dump -Ft` archive (`3349.dat`) to the COPY statement that
 * loads it. Null when `toc` is not a tar-format table of contents of a version Vigie reads, or
 * is damaged: the members are then read as plain files.
 *
 * @example
 * await readTarToc(tocBytes, 'db.tar:toc.dat', 1 << 20) // Map { '3349.dat' => 'COPY public.clients (id, nom) FROM stdin;\n' }
 */
export async function readTarToc(toc: Buffer, file: string, maxString: number): Promise<Map<string, string> | null> {
  const input = new ArchiveInput(
    (async function* () {
      yield toc;
    })(),
    file,
  );
  try {
    const head = await readHeader(input, maxString, 'tar');
    const { data } = await readToc(input, head, maxString);
    const copies = new Map<string, string>();
    for (const entry of data.values()) {
      const copy = entry.copyStmt?.toString('utf8');
      if (entry.desc !== 'TABLE DATA' || copy === undefined || entry.file === null) continue;
      if (/^\d+\.dat$/.test(entry.file) && /^COPY [^\n]* FROM stdin;\n?$/.test(copy)) copies.set(entry.file, copy.endsWith('\n') ? copy : `${copy}\n`);
    }
    return copies;
  } catch (err) {
    if (err instanceof VigieError) return null;
    throw err;
  }
}
