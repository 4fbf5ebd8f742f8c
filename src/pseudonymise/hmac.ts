/**
 * HMAC-SHA-256 (RFC 2104, FIPS 180-4) in plain TypeScript, with the key's padded inner and
 * outer states computed once. node:crypto cannot resume a hash from a saved state cheaply
 * (`Hash.copy()` allocates two objects per value and measured 2.6 µs), so every `createHmac`
 * pays for the object, the key schedule and four compressions: about 2 µs per value here.
 * With the states precomputed a short message costs two compressions and no allocation:
 * about 0.7 µs per value on the same machine. `pseudonym.test.ts` checks this code against
 * the RFC 4231 vectors and against node:crypto on random inputs.
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74,
  0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d,
  0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e,
  0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
  0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
const BLOCK = 64;
/** The message schedule, shared: JavaScript runs one compression at a time per thread. */
const W = new Int32Array(64);

/** One SHA-256 compression (FIPS 180-4 §6.2.2) of the 64 bytes at `off` into `s`. */
function compress(s: Int32Array, m: Uint8Array, off: number): void {
  const w = W;
  for (let i = 0; i < 16; i++) {
    const j = off + i * 4;
    w[i] = (m[j]! << 24) | (m[j + 1]! << 16) | (m[j + 2]! << 8) | m[j + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const a = w[i - 15]!;
    const b = w[i - 2]!;
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
  let a = s[0]!,
    b = s[1]!,
    c = s[2]!,
    d = s[3]!,
    e = s[4]!,
    f = s[5]!,
    g = s[6]!,
    h = s[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  s[0] = (s[0]! + a) | 0;
  s[1] = (s[1]! + b) | 0;
  s[2] = (s[2]! + c) | 0;
  s[3] = (s[3]! + d) | 0;
  s[4] = (s[4]! + e) | 0;
  s[5] = (s[5]! + f) | 0;
  s[6] = (s[6]! + g) | 0;
  s[7] = (s[7]! + h) | 0;
}

function writeWords(s: Int32Array, out: Uint8Array, off: number, bytes: number): void {
  for (let i = 0; i < bytes; i++) out[off + i] = (s[i >> 2]! >>> (24 - 8 * (i & 3))) & 0xff;
}

/**
 * HMAC-SHA-256 under one key, any length (RFC 2104 §2: keys longer than the block are hashed
 * first). Not re-entrant: one instance per thread, which is how Vigie uses it.
 */
export class HmacSha256 {
  private readonly inner = new Int32Array(8);
  private readonly outer = new Int32Array(8);
  private readonly state = new Int32Array(8);
  /** Tail of the inner message plus padding: at most two blocks. */
  private readonly tail = new Uint8Array(2 * BLOCK);
  /** The inner digest followed by the outer padding, for a 64 + 32 byte message. */
  private readonly outerBlock = new Uint8Array(BLOCK);

  constructor(key: Uint8Array) {
    const k = new Uint8Array(BLOCK);
    if (key.length > BLOCK) k.set(sha256(key));
    else k.set(key);
    const pad = new Uint8Array(BLOCK);
    for (let i = 0; i < BLOCK; i++) pad[i] = k[i]! ^ 0x36;
    this.inner.set(IV);
    compress(this.inner, pad, 0);
    for (let i = 0; i < BLOCK; i++) pad[i] = k[i]! ^ 0x5c;
    this.outer.set(IV);
    compress(this.outer, pad, 0);
    // The outer message is always 64 (key block) + 32 (inner digest) bytes = 768 bits.
    this.outerBlock[32] = 0x80;
    this.outerBlock[62] = 0x03;
  }

  /**
   * Writes the first `outBytes` (≤ 32) bytes of HMAC(key, message[start, end)) at `out[outOff]`.
   * @example new HmacSha256(key).digestInto(msg, 0, msg.length, out, 0, 32)
   */
  digestInto(message: Uint8Array, start: number, end: number, out: Uint8Array, outOff: number, outBytes: number): void {
    const s = this.state;
    s.set(this.inner);
    let p = start;
    for (; end - p >= BLOCK; p += BLOCK) compress(s, message, p);
    const t = this.tail;
    const rest = end - p;
    for (let i = 0; i < rest; i++) t[i] = message[p + i]!;
    // FIPS 180-4 §5.1.1: 0x80, zeros, then the message length in bits as 64 bits big-endian.
    let n = rest;
    t[n++] = 0x80;
    const padTo = n > BLOCK - 8 ? 2 * BLOCK - 8 : BLOCK - 8;
    while (n < padTo) t[n++] = 0;
    const bits = (BLOCK + end - start) * 8;
    const hi = Math.floor(bits / 0x100000000);
    t[n++] = hi >>> 24;
    t[n++] = (hi >>> 16) & 0xff;
    t[n++] = (hi >>> 8) & 0xff;
    t[n++] = hi & 0xff;
    t[n++] = bits >>> 24;
    t[n++] = (bits >>> 16) & 0xff;
    t[n++] = (bits >>> 8) & 0xff;
    t[n++] = bits & 0xff;
    compress(s, t, 0);
    if (n > BLOCK) compress(s, t, BLOCK);
    writeWords(s, this.outerBlock, 0, 32);
    s.set(this.outer);
    compress(s, this.outerBlock, 0);
    writeWords(s, out, outOff, outBytes);
  }
}

/** Plain SHA-256, used only to shorten HMAC keys longer than a block (RFC 2104 §2). */
function sha256(data: Uint8Array): Uint8Array {
  const s = Int32Array.from(IV);
  let p = 0;
  for (; data.length - p >= BLOCK; p += BLOCK) compress(s, data, p);
  const t = new Uint8Array(2 * BLOCK);
  const rest = data.length - p;
  t.set(data.subarray(p));
  t[rest] = 0x80;
  const total = rest + 9 > BLOCK ? 2 * BLOCK : BLOCK;
  const bits = data.length * 8;
  const hi = Math.floor(bits / 0x100000000);
  const view = new DataView(t.buffer);
  view.setUint32(total - 8, hi);
  view.setUint32(total - 4, bits >>> 0);
  compress(s, t, 0);
  if (total > BLOCK) compress(s, t, BLOCK);
  const out = new Uint8Array(32);
  writeWords(s, out, 0, 32);
  return out;
}
