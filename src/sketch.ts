/**
 * Distinct-count sketches of 64-bit values: a HyperLogLog of 2^14 registers (16 KiB, standard
 * error 1.04/√16384 ≈ 0.81 %), and the serialised form a leak keeps of its people so that an
 * appended file counts only persons new to the leak (ADR 0002, addendum).
 *
 * A stored sketch is either the exact set of values (while it holds at most `maxExact`), or
 * the HyperLogLog registers: `0x01 ‖ n × (hi u32 BE ‖ lo u32 BE)`, sorted, no duplicate; or
 * `0x02 ‖ 16384 registers`. The values a store keeps are the first 8 bytes of keyed
 * pseudonyms (HMAC): without the key they say nothing; the unkeyed in-memory hashes of a dry
 * run are never serialised.
 */

const HLL_P = 14;
export const HLL_M = 1 << HLL_P;
/** Relative standard error of a HyperLogLog estimate with `HLL_M` registers. */
export const HLL_STANDARD_ERROR = 1.04 / Math.sqrt(HLL_M);

/**
 * The most values a stored sketch lists exactly (8 MiB); past it, a leak keeps the 16 KiB
 * HyperLogLog registers and its PwnCount after an append is an estimate.
 */
export const STORED_EXACT_MAX = 1 << 20;

const EXACT = 1;
const HLL = 2;

/** Sets the register of (hi, lo): its top `HLL_P` bits pick it, the rank of the rest is kept. */
export function hllAdd(reg: Uint8Array, hi: number, lo: number): void {
  const idx = hi >>> (32 - HLL_P);
  // rank: position of the first 1 bit in the remaining 50 bits (hi's low 18 bits, then lo)
  const rest = (hi << HLL_P) >>> 0;
  let rank: number;
  if (rest !== 0) rank = Math.clz32(rest) + 1;
  else rank = 32 - HLL_P + (lo === 0 ? 32 : Math.clz32(lo)) + 1;
  if (rank > (reg[idx] ?? 0)) reg[idx] = rank;
}

export function hllEstimate(reg: Uint8Array): number {
  let sum = 0;
  let zeros = 0;
  for (const r of reg) {
    sum += 2 ** -r;
    if (r === 0) zeros++;
  }
  const alpha = 0.7213 / (1 + 1.079 / HLL_M);
  const raw = (alpha * HLL_M * HLL_M) / sum;
  // Small-range correction (linear counting), as in Flajolet et al. 2007.
  if (raw <= 2.5 * HLL_M && zeros > 0) return Math.round(HLL_M * Math.log(HLL_M / zeros));
  return Math.round(raw);
}

/** What a sketch says: how many distinct values, and the relative standard error (0: exact). */
interface SketchCount {
  size: number;
  error: number;
}

/** A sketch of the exact set given as (hi, lo) pairs (any order, duplicates allowed). */
export function exactSketch(pairs: Uint32Array): Buffer {
  const n = pairs.length / 2;
  const keys = new BigUint64Array(n);
  for (let i = 0; i < n; i++) keys[i] = (BigInt(pairs[2 * i] ?? 0) << 32n) | BigInt(pairs[2 * i + 1] ?? 0);
  keys.sort();
  const out = Buffer.alloc(1 + n * 8);
  out[0] = EXACT;
  let o = 1;
  let prev: bigint | undefined;
  for (const k of keys) {
    if (k === prev) continue;
    out.writeBigUInt64BE(k, o);
    o += 8;
    prev = k;
  }
  return out.subarray(0, o);
}

/** A sketch of HyperLogLog registers (copied). */
export function hllSketch(reg: Uint8Array): Buffer {
  const out = Buffer.alloc(1 + HLL_M);
  out[0] = HLL;
  out.set(reg, 1);
  return out;
}

function check(s: Uint8Array): void {
  const ok = (s[0] === EXACT && (s.length - 1) % 8 === 0) || (s[0] === HLL && s.length === 1 + HLL_M);
  if (!ok) throw new RangeError('not a distinct-count sketch');
}

/** The count a sketch gives. */
export function sketchCount(s: Uint8Array): SketchCount {
  check(s);
  if (s[0] === EXACT) return { size: (s.length - 1) / 8, error: 0 };
  return { size: hllEstimate(s.subarray(1)), error: HLL_STANDARD_ERROR };
}

function registersOf(s: Uint8Array): Uint8Array {
  if (s[0] === HLL) return s.subarray(1);
  const reg = new Uint8Array(HLL_M);
  const v = new DataView(s.buffer, s.byteOffset, s.byteLength);
  for (let o = 1; o < s.length; o += 8) hllAdd(reg, v.getUint32(o), v.getUint32(o + 4));
  return reg;
}

/**
 * The sketch of the union: exact while both are exact and the union holds at most `maxExact`
 * values, else HyperLogLog (registers merged by maximum, which is the sketch of the union).
 */
export function unionSketches(sketches: readonly Uint8Array[], maxExact: number): Buffer {
  for (const s of sketches) check(s);
  if (sketches.every((s) => s[0] === EXACT)) {
    const total = sketches.reduce((n, s) => n + (s.length - 1) / 8, 0);
    const pairs = new Uint32Array(total * 2);
    let k = 0;
    for (const s of sketches) {
      const v = new DataView(s.buffer, s.byteOffset, s.byteLength);
      for (let o = 1; o < s.length; o += 4) pairs[k++] = v.getUint32(o);
    }
    const union = exactSketch(pairs);
    if ((union.length - 1) / 8 <= maxExact) return union;
    return hllSketch(registersOf(union));
  }
  const reg = new Uint8Array(HLL_M);
  for (const s of sketches) {
    const r = registersOf(s);
    r.forEach((v, i) => {
      if (v > (reg[i] ?? 0)) reg[i] = v;
    });
  }
  return hllSketch(reg);
}
