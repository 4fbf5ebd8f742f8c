/**
 * Test helper (imported by tests only): hostile or unsupported files built around generated
 * text, so that each still holds real-looking identifiers an error message could leak.
 */

/** A small deterministic generator (mulberry32): the same seed, the same garbage. */
function bytesFrom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) & 0xff;
  };
}

/**
 * Binary garbage as a memory dump looks: 64 random bytes (about 10 % control bytes) after
 * every 256 bytes of `text`, so the identifiers in `text` stay readable in the file.
 */
export function binaryWith(text: string, seed: number): Buffer {
  const next = bytesFrom(seed);
  const src = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0; i < src.length; i += 256) {
    const noise = Buffer.alloc(64);
    for (let j = 0; j < noise.length; j++) noise[j] = next();
    parts.push(noise, src.subarray(i, i + 256));
  }
  return Buffer.concat(parts);
}

/** A one-member POSIX ustar archive (POSIX.1-2001 `pax` header layout, no extensions). */
export function tarWith(name: string, data: Buffer): Buffer {
  const header = Buffer.alloc(512);
  const put = (s: string, at: number): void => void header.write(s, at, 'latin1');
  put(name, 0);
  put('0000644\0', 100);
  put('0000000\0', 108);
  put('0000000\0', 116);
  put(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
  put(
    `${Math.floor(Date.UTC(2024, 0, 1) / 1000)
      .toString(8)
      .padStart(11, '0')}\0`,
    136,
  );
  put('0', 156);
  put('ustar\0', 257);
  put('00', 263);
  // The checksum is summed with its own field taken as eight spaces.
  put('        ', 148);
  let sum = 0;
  for (const b of header) sum += b;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const padded = Buffer.alloc(Math.ceil(data.length / 512) * 512);
  data.copy(padded);
  return Buffer.concat([header, padded, Buffer.alloc(1024)]);
}

const xmlText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * An XML export of the first `rows` records of a `;`-delimited CSV with a header line and no
 * quoted field (the generator's `standard` preset): one `<client>` element per record.
 */
export function xmlExport(csv: string, rows: number): string {
  const lines = csv.split('\n').filter((l) => l.length > 0);
  const names = lines[0]!.split(';');
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<clients>'];
  for (const line of lines.slice(1, rows + 1)) {
    const cells = line.split(';');
    out.push(`  <client>${names.map((n, i) => `<${n}>${xmlText(cells[i] ?? '')}</${n}>`).join('')}</client>`);
  }
  out.push('</clients>', '');
  return out.join('\n');
}
