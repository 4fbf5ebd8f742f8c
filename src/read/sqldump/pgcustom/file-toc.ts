/**
 * The table of contents of a `pg_dump -Ft` archive (its `toc.dat` member) or of a `pg_dump -Fd`
 * directory (its `toc.dat` file), read for one thing: which `NNNN.dat` member or file holds
 * which table's COPY data, and with which columns. The layout is the custom format's
 * (`toc.ts`), but for the tar and directory formats' own field: the data's file name where the
 * custom format has a data offset.
 */
import { ArchiveInput } from './input.js';
import { readHeader, readToc } from './toc.js';

/**
 * Maps each data member or file of a `pg_dump -Ft` or `-Fd` archive (`3349.dat`) to the COPY
 * statement that loads it, in the table of contents' order. A directory's compressed data file
 * is named here without its suffix (`3349.dat` for `3349.dat.gz`), as pg_dump writes it.
 *
 * @throws VigieError `VIGIE_BAD_FORMAT` when `toc` is not a table of contents of `format` of a
 * version Vigie reads (lz4 and zstd data refused by name), or is damaged (with its byte
 * offset); `VIGIE_TRUNCATED` when it ends early.
 * @example
 * await readFileToc(tocBytes, 'db.tar:toc.dat', 1 << 20, 'tar') // Map { '3349.dat' => 'COPY public.clients (id, nom) FROM stdin;\n' }
 */
export async function readFileToc(toc: Buffer, file: string, maxString: number, format: 'tar' | 'directory'): Promise<Map<string, string>> {
  const input = new ArchiveInput(
    (async function* () {
      yield toc;
    })(),
    file,
  );
  input.label = `pg_dump ${format} archive's table of contents`;
  const head = await readHeader(input, maxString, format);
  const { data } = await readToc(input, head, maxString);
  const copies = new Map<string, string>();
  for (const entry of data.values()) {
    const copy = entry.copyStmt?.toString('utf8');
    if (entry.desc !== 'TABLE DATA' || copy === undefined || entry.file === null) continue;
    if (/^\d+\.dat$/.test(entry.file) && /^COPY [^\n]* FROM stdin;\n?$/.test(copy)) copies.set(entry.file, copy.endsWith('\n') ? copy : `${copy}\n`);
  }
  return copies;
}
