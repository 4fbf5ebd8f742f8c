/**
 * Test helper: BIFF records and a minimal OLE compound file ([MS-CFB] version 3, 512-byte
 * sectors) around them, to build the workbooks no program writes: damaged and hostile ones,
 * and BIFF5, which LibreOffice 7.4 no longer exports. Every stream goes in regular sectors,
 * so each must be 4096 bytes at least (§2.2: smaller ones belong in the mini stream).
 */

/** One BIFF record: type, size, data. */
export function rec(type: number, data: Buffer | number[] = []): Buffer {
  const body = Buffer.isBuffer(data) ? data : Buffer.from(data);
  const head = Buffer.alloc(4);
  head.writeUInt16LE(type, 0);
  head.writeUInt16LE(body.length, 2);
  return Buffer.concat([head, body]);
}

/** A record of a type no reader knows, `n` bytes long: padding that readers skip. */
export function filler(n: number): Buffer {
  return rec(0x00ef, Buffer.alloc(n));
}

const END = 0xfffffffe;
const FREE = 0xffffffff;
const FATSECT = 0xfffffffd;

/** A compound file holding `streams` at the root, in order; the directory is a chain of right siblings. */
export function compoundFile(streams: { name: string; data: Buffer }[]): Buffer {
  const ssz = 512;
  for (const s of streams) if (s.data.length < 4096) throw new Error(`stream ${s.name} is under 4096 bytes`);
  const dataSectors = streams.map((s) => Math.ceil(s.data.length / ssz));
  const dirSectors = Math.ceil((streams.length + 1) / 4);
  const used = dataSectors.reduce((a, b) => a + b, 0) + dirSectors;
  let fatSectors = 1;
  while (fatSectors * 128 < used + fatSectors) fatSectors++;
  if (fatSectors > 109) throw new Error('too large for a header-only DIFAT');
  const total = fatSectors + used;
  const fat = new Array<number>(fatSectors * 128).fill(FREE);
  for (let i = 0; i < fatSectors; i++) fat[i] = FATSECT;
  const body = Buffer.alloc(total * ssz);
  let next = fatSectors;
  const starts: number[] = [];
  const chain = (count: number): number => {
    const start = next;
    for (let i = 0; i < count; i++) fat[next + i] = i === count - 1 ? END : next + i + 1;
    next += count;
    return start;
  };
  streams.forEach((s, i) => {
    const start = chain(dataSectors[i] as number);
    starts.push(start);
    s.data.copy(body, start * ssz);
  });
  const dirStart = chain(dirSectors);
  const entry = (at: number, name: string, type: number, right: number, child: number, start: number, size: number): void => {
    const e = dirStart * ssz + at * 128;
    body.write(name, e, 'utf16le');
    body.writeUInt16LE((name.length + 1) * 2, e + 0x40);
    body[e + 0x42] = type;
    body[e + 0x43] = 1;
    body.writeUInt32LE(FREE, e + 0x44);
    body.writeUInt32LE(right, e + 0x48);
    body.writeUInt32LE(child, e + 0x4c);
    body.writeUInt32LE(start, e + 0x74);
    body.writeUInt32LE(size, e + 0x78);
  };
  entry(0, 'Root Entry', 5, FREE, streams.length > 0 ? 1 : FREE, END, 0);
  streams.forEach((s, i) => {
    entry(i + 1, s.name, 2, i + 1 < streams.length ? i + 2 : FREE, FREE, starts[i] as number, s.data.length);
  });
  for (let i = 0; i < fat.length; i++) body.writeUInt32LE(fat[i] as number, i * 4);

  const head = Buffer.alloc(ssz);
  Buffer.from('d0cf11e0a1b11ae1', 'hex').copy(head, 0);
  head.writeUInt16LE(0x3e, 0x18);
  head.writeUInt16LE(3, 0x1a);
  head.writeUInt16LE(0xfffe, 0x1c);
  head.writeUInt16LE(9, 0x1e);
  head.writeUInt16LE(6, 0x20);
  head.writeUInt32LE(fatSectors, 0x2c);
  head.writeUInt32LE(dirStart, 0x30);
  head.writeUInt32LE(4096, 0x38);
  head.writeUInt32LE(END, 0x3c);
  head.writeUInt32LE(END, 0x44);
  for (let i = 0; i < 109; i++) head.writeUInt32LE(i < fatSectors ? i : FREE, 0x4c + 4 * i);
  return Buffer.concat([head, body]);
}
