/**
 * The streams of an OLE compound file ([MS-CFB]), read from memory with every chain bounded:
 * a sector number is checked against the file before it is followed, and a chain is followed
 * only as far as its stream's size needs, so a cyclic or forged FAT costs at most the file's
 * own size. (SheetJS's `cfb` package follows a chain without a bound: a FAT cycle in an
 * 8.7 KB file ran it out of memory.)
 */
import { VigieError } from '../../errors.js';

/** [MS-CFB] §2.1: the special sector numbers; anything from MAXREGSECT up ends or breaks a chain. */
const MAXREGSECT = 0xfffffffa;
const ENDOFCHAIN = 0xfffffffe;
const NOSTREAM = 0xffffffff;

/** §2.6.1 object types. */
const STREAM = 2;
const ROOT = 5;

/** A top-level stream of the file, by name (§2.6.1: names compare case-insensitively). */
interface CompoundFile {
  /** Names of the root storage's children, upper-cased. */
  names: ReadonlySet<string>;
  /** The bytes of a root-level stream, or undefined when there is none of that name. */
  stream(name: string): Buffer | undefined;
}

interface Entry {
  name: string;
  type: number;
  left: number;
  right: number;
  child: number;
  start: number;
  size: number;
}

/**
 * Opens an OLE compound file held in `buf`: its header (§2.2), FAT through the DIFAT
 * (§2.5), directory (§2.6) and mini stream (§2.4).
 *
 * @throws VigieError `VIGIE_BAD_FORMAT` naming `file` and the byte where the structure breaks
 * (a sector past the end, a chain cut short, a size larger than the file).
 */
export function openCompoundFile(buf: Buffer, file: string): CompoundFile {
  const bad = (what: string, byte?: number): VigieError =>
    new VigieError('VIGIE_BAD_FORMAT', `damaged OLE compound file (Excel 97-2003 .xls): ${what}`, {
      position: byte === undefined ? { file } : { file, byte },
    });
  if (buf.length < 512) throw bad(`only ${buf.length} bytes, shorter than the 512-byte header`);
  const major = buf.readUInt16LE(0x1a);
  const shift = buf.readUInt16LE(0x1e);
  if (!((major === 3 && shift === 9) || (major === 4 && shift === 12))) throw bad(`version ${major} with sector shift ${shift}`, 0x1a);
  if (buf.readUInt16LE(0x20) !== 6) throw bad('mini sector size is not 64', 0x20);
  const ssz = 1 << shift;
  const perSector = ssz / 4;
  // Sector n starts at (n + 1) * ssz (§2.2); the last may be short in a file cut by a writer.
  const sectors = Math.floor((buf.length - ssz) / ssz) + ((buf.length - ssz) % ssz === 0 ? 0 : 1);
  const offsetOf = (n: number, at: number): number => {
    if (n >= sectors) throw bad(`sector ${n} is past the end of the file (${sectors} sectors)`, at);
    return (n + 1) * ssz;
  };
  const u32 = (at: number): number => (at + 4 <= buf.length ? buf.readUInt32LE(at) : ENDOFCHAIN);

  // The FAT's sectors: 109 in the header, the rest in the DIFAT chain, one entry short of a
  // sector each (the last entry links the next DIFAT sector).
  const fatSectors: number[] = [];
  const fatCount = buf.readUInt32LE(0x2c);
  if (fatCount > sectors) throw bad(`${fatCount} FAT sectors declared in a file of ${sectors} sectors`, 0x2c);
  for (let i = 0; i < 109 && fatSectors.length < fatCount; i++) fatSectors.push(buf.readUInt32LE(0x4c + 4 * i));
  let difat = buf.readUInt32LE(0x44);
  for (let hops = 0; fatSectors.length < fatCount; hops++) {
    if (difat >= MAXREGSECT || hops > sectors) throw bad(`the DIFAT chain ends after ${fatSectors.length} of ${fatCount} FAT sectors`, 0x44);
    const at = offsetOf(difat, 0x44);
    for (let i = 0; i < perSector - 1 && fatSectors.length < fatCount; i++) fatSectors.push(u32(at + 4 * i));
    difat = u32(at + ssz - 4);
  }
  const fatAt = fatSectors.map((s) => offsetOf(s, 0x4c));
  const next = (n: number): number => {
    const sector = fatAt[Math.floor(n / perSector)];
    return sector === undefined ? ENDOFCHAIN : u32(sector + 4 * (n % perSector));
  };

  /** The sectors of a chain from `start`, `count` of them at most: enough for a stream's size. */
  const chain = (start: number, count: number, what: string, at: number): number[] => {
    const out: number[] = [];
    for (let n = start; out.length < count; n = next(n)) {
      if (n >= MAXREGSECT) throw bad(`the chain of ${what} ends after ${out.length} of ${count} sectors`, at);
      offsetOf(n, at);
      out.push(n);
    }
    return out;
  };
  const gather = (list: number[], size: number, unit: number, base: (n: number) => number): Buffer => {
    const out = Buffer.alloc(size);
    for (let i = 0; i < list.length; i++) {
      const from = base(list[i] as number);
      buf.copy(out, i * unit, from, Math.min(from + Math.min(unit, size - i * unit), buf.length));
    }
    return out;
  };

  // The directory: a chain with no stated length in version 3, so bounded by the file.
  const dirStart = buf.readUInt32LE(0x30);
  const entries: Entry[] = [];
  const seen = new Uint8Array(sectors);
  for (let n = dirStart; n < MAXREGSECT; n = next(n)) {
    const at = offsetOf(n, 0x30);
    if (seen[n] === 1) throw bad(`the directory's chain loops at sector ${n}`, 0x30);
    seen[n] = 1;
    for (let e = at; e + 128 <= Math.min(at + ssz, buf.length); e += 128) {
      const nameBytes = Math.min(buf.readUInt16LE(e + 0x40), 64);
      entries.push({
        name: buf.toString('utf16le', e, e + Math.max(0, nameBytes - 2)),
        type: buf[e + 0x42] ?? 0,
        left: buf.readUInt32LE(e + 0x44),
        right: buf.readUInt32LE(e + 0x48),
        child: buf.readUInt32LE(e + 0x4c),
        start: buf.readUInt32LE(e + 0x74),
        // Version 3 files may leave garbage in the size's high half (§2.6.3): only the low half counts.
        size: major === 3 ? buf.readUInt32LE(e + 0x78) : buf.readUInt32LE(e + 0x78) + buf.readUInt32LE(e + 0x7c) * 2 ** 32,
      });
    }
  }
  const root = entries[0];
  if (root === undefined || root.type !== ROOT) throw bad('no root entry in the directory', 0x30);

  // The root's children: a red-black tree of siblings (§2.6.4), walked with a visited mark.
  const top = new Map<string, Entry>();
  const visited = new Uint8Array(entries.length);
  const stack = [root.child];
  while (stack.length > 0) {
    const i = stack.pop() as number;
    if (i === NOSTREAM || i >= entries.length || visited[i] === 1) continue;
    visited[i] = 1;
    const e = entries[i] as Entry;
    if (e.type !== 0) top.set(e.name.toUpperCase(), e);
    stack.push(e.left, e.right);
  }

  const cutoff = buf.readUInt32LE(0x38);
  const capacity = sectors * ssz;
  let mini: { data: Buffer; fat: Buffer } | undefined;
  const miniStream = (): { data: Buffer; fat: Buffer } => {
    if (mini !== undefined) return mini;
    if (root.size > capacity) throw bad(`the mini stream declares ${root.size} bytes, more than the file holds`, 0x30);
    const data = gather(chain(root.start, Math.ceil(root.size / ssz), 'the mini stream', 0x30), root.size, ssz, (n) => (n + 1) * ssz);
    const miniFatSectors = buf.readUInt32LE(0x40);
    if (miniFatSectors > sectors) throw bad(`${miniFatSectors} mini FAT sectors declared in a file of ${sectors} sectors`, 0x40);
    const fat = gather(chain(buf.readUInt32LE(0x3c), miniFatSectors, 'the mini FAT', 0x3c), miniFatSectors * ssz, ssz, (n) => (n + 1) * ssz);
    mini = { data, fat };
    return mini;
  };

  return {
    names: new Set(top.keys()),
    stream(name) {
      const e = top.get(name.toUpperCase());
      if (e === undefined || e.type !== STREAM) return undefined;
      // A hostile entry may declare any size: no stream is larger than the file that holds it.
      if (e.size > capacity) throw bad(`stream ${name} declares ${e.size} bytes, more than the ${buf.length}-byte file holds`);
      if (e.size >= cutoff) {
        return gather(chain(e.start, Math.ceil(e.size / ssz), `stream ${name}`, 0x30), e.size, ssz, (n) => (n + 1) * ssz);
      }
      // A small stream lives in the mini stream, in 64-byte sectors chained by the mini FAT (§2.4).
      const m = miniStream();
      const count = Math.ceil(e.size / 64);
      const list: number[] = [];
      for (let n = e.start; list.length < count; n = n * 4 + 4 <= m.fat.length ? m.fat.readUInt32LE(n * 4) : ENDOFCHAIN) {
        if (n >= MAXREGSECT || n * 64 >= m.data.length) throw bad(`the mini chain of stream ${name} is cut short`, 0x3c);
        list.push(n);
      }
      const out = Buffer.alloc(e.size);
      for (let i = 0; i < list.length; i++) m.data.copy(out, i * 64, (list[i] as number) * 64, (list[i] as number) * 64 + Math.min(64, e.size - i * 64));
      return out;
    },
  };
}
