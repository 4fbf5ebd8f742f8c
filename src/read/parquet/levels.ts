/**
 * Parquet's RLE / bit-packed hybrid encoding (definition and repetition levels, dictionary
 * indices, RLE booleans), walked within bounds: every run must fit the values left (a run
 * of 2^31 values in five bytes is refused, where hyparquet would grow an array to that size)
 * and the bytes left. With an output array the values are decoded too.
 */

/** A page that cannot be decoded: the reason, for the message. */
export class PageFault extends Error {}

/**
 * Values a run may have past the ones needed: writers end exactly, or pad a bit-packed
 * run to a multiple of 8. A little more is tolerated; hyparquet writes that many extra.
 */
const SLACK = 1024;

/** Bits needed to write `max`: the bit width of levels up to it. */
export function bitWidth(max: number): number {
  return 32 - Math.clz32(max);
}

/**
 * Walks `n` values of hybrid encoding of `width` bits from `p` (nothing read at or past
 * `end`), decoding them into `out` when given (its length at least `n`). Returns where the
 * runs end.
 *
 * @throws PageFault for a run longer than the values left, bytes missing, a width over 32.
 * @example
 * const out = new Uint8Array(4);
 * hybrid(new Uint8Array([0x08, 0x01]), 0, 2, 1, 4, out); // 2 (one RLE run of four 1s)
 */
export function hybrid(b: Uint8Array, p: number, end: number, width: number, n: number, out?: Uint8Array | Int32Array): number {
  if (width > 32) throw new PageFault(`a bit width of ${width}`);
  const valueBytes = (width + 7) >> 3;
  let seen = 0;
  while (seen < n) {
    // The run header: a ULEB128 varint of at most 5 bytes, below 2^31.
    let h = 0;
    let shift = 0;
    for (;;) {
      if (p >= end) throw new PageFault('encoded levels or indices cut short');
      const c = b[p++] as number;
      h += (c & 0x7f) * 2 ** shift;
      if ((c & 0x80) === 0) break;
      shift += 7;
      if (shift > 28) throw new PageFault('a run header longer than 5 bytes');
    }
    if (h >= 2 ** 31) throw new PageFault('a run of more than 2^30 values');
    if (h & 1) {
      const groups = Math.floor(h / 2);
      const count = groups * 8;
      const bytes = Math.max(1, groups * width);
      if (count > n - seen + 7 + SLACK) throw new PageFault('a bit-packed run longer than the values left');
      if (bytes > end - p) throw new PageFault('a bit-packed run cut short');
      if (out !== undefined) unpack(b, p, width, Math.min(count, n - seen), out, seen);
      p += groups * width;
      seen += count;
    } else {
      const count = Math.floor(h / 2);
      if (count > n - seen + SLACK) throw new PageFault('a run longer than the values left');
      if (valueBytes > end - p) throw new PageFault('a run cut short');
      if (out !== undefined) {
        let v = 0;
        for (let i = 0; i < valueBytes; i++) v += (b[p + i] as number) * 2 ** (8 * i);
        out.fill(v, seen, Math.min(n, seen + count));
      }
      p += valueBytes;
      seen += count;
    }
  }
  return p;
}

/** Bit-packed values, least significant bit first (Parquet's order), `count` of them from byte `p`. */
function unpack(b: Uint8Array, p: number, width: number, count: number, out: Uint8Array | Int32Array, at: number): void {
  if (width === 0) {
    out.fill(0, at, at + count);
    return;
  }
  let acc = 0;
  let bits = 0;
  if (width <= 24) {
    // The accumulator keeps at most width + 7 bits: 32-bit integer operations suffice.
    const mask = (1 << width) - 1;
    for (let i = 0; i < count; i++) {
      while (bits < width) {
        acc |= (b[p++] as number) << bits;
        bits += 8;
      }
      out[at + i] = acc & mask;
      acc >>>= width;
      bits -= width;
    }
    return;
  }
  const base = 2 ** width;
  for (let i = 0; i < count; i++) {
    while (bits < width) {
      acc += (b[p++] as number) * 2 ** bits;
      bits += 8;
    }
    out[at + i] = acc % base;
    acc = Math.floor(acc / base);
    bits -= width;
  }
}

/** A hybrid run preceded by its byte length (a 32-bit little-endian word), as V1 pages write levels. Returns where the section ends. */
export function framedHybrid(b: Uint8Array, p: number, end: number, width: number, n: number, out?: Uint8Array | Int32Array): number {
  if (end - p < 4) throw new PageFault('encoded levels cut short');
  const len = (b[p] as number) + (b[p + 1] as number) * 0x100 + (b[p + 2] as number) * 0x10000 + (b[p + 3] as number) * 0x1000000;
  if (len > end - p - 4) throw new PageFault('encoded levels longer than their page');
  // hyparquet reads the runs it needs wherever they lie, then jumps to the section's end.
  hybrid(b, p + 4, end, width, n, out);
  return p + 4 + len;
}
