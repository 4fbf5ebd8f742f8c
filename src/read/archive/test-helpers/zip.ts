/**
 * Test helper (imported by tests only): a tiny zip writer, so tests build exactly the
 * archives they need, hostile ones included (crafted names, flags, lying sizes), with no
 * external tool. Layout per APPNOTE.TXT §4.3.7 (local header), §4.3.12 (central directory
 * header), §4.3.16 (end of central directory).
 */
import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';

export interface ZipEntrySpec {
  name: string;
  data?: Buffer | string;
  /** Instead of `data`: this many zero bytes, deflated as a stream (for bombs). */
  zeros?: number;
  /** 0 stored, 8 deflated (default), anything else written as is with stored data. */
  method?: number;
  /** General purpose flags (bit 0: encrypted; bit 11: UTF-8 name, set by default). */
  flags?: number;
  /** External attributes (Unix mode in the high 16 bits). */
  externalAttr?: number;
  /** Uncompressed size written in the headers instead of the true one. */
  declaredSize?: number;
}

/** Builds a zip archive in memory. */
export async function makeZip(entries: ZipEntrySpec[]): Promise<Buffer> {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const method = e.method ?? 8;
    const { packed, size, crc } = await pack(e, method);
    const name = Buffer.from(e.name, 'utf8');
    const flags = e.flags ?? 0x800;
    const declared = e.declaredSize ?? size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x5821, 12); // date: 2024-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(0x031e, 4); // made by: Unix, spec 3.0
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(flags, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt16LE(0, 12);
    header.writeUInt16LE(0x5821, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(packed.length, 20);
    header.writeUInt32LE(declared, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(e.externalAttr ?? 0o100644 * 0x10000, 38);
    header.writeUInt32LE(offset, 42);
    parts.push(local, name, packed);
    central.push(header, name);
    offset += local.length + name.length + packed.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}

async function pack(e: ZipEntrySpec, method: number): Promise<{ packed: Buffer; size: number; crc: number }> {
  if (e.zeros !== undefined) {
    const block = Buffer.alloc(1 << 20);
    const z = createDeflateRaw({ level: 9 });
    const out: Buffer[] = [];
    z.on('data', (b: Buffer) => out.push(b));
    const finished = new Promise((resolve) => z.on('end', resolve));
    let crc = 0;
    for (let left = e.zeros; left > 0; left -= block.length) {
      const piece = left >= block.length ? block : block.subarray(0, left);
      crc = crc32(piece, crc);
      if (!z.write(piece)) await new Promise((resolve) => z.once('drain', resolve));
    }
    z.end();
    await finished;
    return { packed: Buffer.concat(out), size: e.zeros, crc };
  }
  const data = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : (e.data ?? Buffer.alloc(0));
  const packed = method === 8 ? deflateRawSync(data) : data;
  return { packed, size: data.length, crc: crc32(data) };
}
