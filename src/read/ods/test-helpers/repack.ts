/**
 * Test helper (imported by tests only): a real .ods made by LibreOffice (`fixtures/`) taken
 * apart and zipped again with some parts replaced, so that hostile spreadsheets differ from a
 * real one only where the test says.
 */
import { readFileSync, statSync } from 'node:fs';
import { ExpansionBudget, openZipIndex } from '../../archive/index.js';
import { makeZip, type ZipEntrySpec } from '../../archive/test-helpers/zip.js';

/** The members of a zip, in central-directory order. */
export async function parts(file: string): Promise<Map<string, Buffer>> {
  const zip = await openZipIndex({ buffer: readFileSync(file) }, { file, budget: new ExpansionBudget(file, statSync(file).size) });
  const out = new Map<string, Buffer>();
  try {
    for (const name of zip.names) {
      const chunks: Buffer[] = [];
      for await (const b of zip.read(name)) chunks.push(b);
      out.set(name, Buffer.concat(chunks));
    }
  } finally {
    zip.close();
  }
  return out;
}

/** The parts zipped again (`mimetype` first and stored, as ODF requires), `replace` applied; a null part is left out. */
export async function repack(from: Map<string, Buffer>, replace: Record<string, string | Buffer | null> = {}): Promise<Buffer> {
  const entries: ZipEntrySpec[] = [];
  const all = new Map<string, string | Buffer | null>([...from, ...Object.entries(replace)]);
  for (const [name, data] of all) {
    if (data === null) continue;
    entries.push({ name, data, ...(name === 'mimetype' ? { method: 0 } : {}) });
  }
  entries.sort((a, b) => Number(b.name === 'mimetype') - Number(a.name === 'mimetype'));
  return makeZip(entries);
}
