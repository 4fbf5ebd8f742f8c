/**
 * One BSON document (https://bsonspec.org/spec.html) decoded to the values the JSON reader
 * flattens: plain objects and arrays, cells as text, and the few types that need the JSON
 * reader's own decoding (dates, binary, timestamps, regular expressions) as the Extended JSON
 * wrapper `mongoexport` would have written (`{"$date": …}`, `{"$binary": …}`). The same
 * collection read from `mongodump`'s `.bson` and from `mongoexport`'s JSON thus gives the
 * same cells, decided in one place (`json/extended.ts`).
 *
 * Vigie's own walker rather than the `bson` package's `deserialize`: this one builds the
 * cells directly (no `ObjectId`, `Long`, `Date` objects made to be printed again), is faster
 * (on 100,000 generated people, 49 MB: `deserialize` alone took 355 ms, this walker 221 ms, and
 * the whole BSON read about 430 ms of CPU against 530 to 600 ms for the JSON Lines read of the
 * same documents), and bounds its recursion by `maxDepth`, where `deserialize` recurses as
 * deep as a hostile document nests. Every length is checked against the enclosing
 * document before it is used: a malformed document is refused, never read past.
 */
import { Decimal128 } from 'bson';

/** Why a document could not be decoded: the `skip` event's reason. */
type DecodeFault = 'invalid BSON' | 'too deep';

class Fault {
  constructor(readonly reason: DecodeFault) {}
}
const INVALID = new Fault('invalid BSON');
const TOO_DEEP = new Fault('too deep');

const EMPTY = Buffer.alloc(0);
/** Stands for the object an array does not need (never written to). */
const EMPTY_OBJECT: Record<string, unknown> = Object.freeze({});
/** 2^32, to build a 64-bit integer from its two 32-bit halves. */
const TWO_32 = 4_294_967_296;
/** Keys remembered across documents (a power of two), and the longest one remembered. */
const KEY_CACHE_SLOTS = 1024;
const MAX_CACHED_KEY = 64;
/** Above this high half, hi * 2^32 + lo may exceed 2^53 and lose digits. */
const SAFE_HIGH = 0x1f_ffff;

export class BsonDecoder {
  private b: Buffer = EMPTY;
  /** The document's bytes as Latin-1 text: an ASCII string is a slice of it, not a new decoding. */
  private text = '';
  private base = 0;
  private readonly keyBytes: (Buffer | undefined)[] = new Array(KEY_CACHE_SLOTS);
  private readonly keyText: string[] = new Array(KEY_CACHE_SLOTS);

  /** `maxDepth`: the deepest nesting accepted, the JSON reader's (`ReadOptions.maxDepth`). */
  constructor(private readonly maxDepth: number) {}

  /**
   * Decodes the document at `b[start, start + len)`, whose framing the caller has checked
   * (`len` ≥ 5, last byte 0x00). Returns the record, or why it cannot be read.
   *
   * @example
   * new BsonDecoder(64).decode(bytes, 0, bytes.length) // { _id: '65a1…', nom: 'Dupont' }
   */
  decode(b: Buffer, start: number, len: number): Record<string, unknown> | DecodeFault {
    this.b = b;
    this.base = start;
    this.text = b.toString('latin1', start, start + len);
    try {
      return this.container(start, start + len, 0, false) as Record<string, unknown>;
    } catch (err) {
      if (err instanceof Fault) return err.reason;
      throw err;
    } finally {
      this.b = EMPTY;
      this.text = '';
    }
  }

  /** The document or array at `[start, end)`: int32 length, elements, 0x00 at `end - 1`. */
  private container(start: number, end: number, depth: number, array: boolean): Record<string, unknown> | unknown[] {
    if (depth > this.maxDepth) throw TOO_DEEP;
    const b = this.b;
    const last = end - 1;
    const list: unknown[] | undefined = array ? [] : undefined;
    const obj: Record<string, unknown> = list === undefined ? {} : EMPTY_OBJECT;
    let p = start + 4;
    while (p < last) {
      const type = b[p] ?? 0;
      // The key: a C string, ended at the latest by the terminator at `last`.
      let k = ++p;
      let h = 0;
      for (let c = b[k] ?? 0; c !== 0; c = b[++k] ?? 0) h = (h * 31 + c) | 0;
      if (k >= last) throw INVALID;
      const key = array ? '' : this.key(p, k, h);
      p = k + 1;
      let v: unknown;
      switch (type) {
        case 0x01: {
          this.need(p, 8, last);
          const d = b.readDoubleLE(p);
          // As relaxed Extended JSON writes it (and JSON.parse then prints it), -0 apart.
          v = Object.is(d, -0) ? '-0.0' : String(d);
          p += 8;
          break;
        }
        case 0x02:
        case 0x0d: // JavaScript code
        case 0x0e: {
          // symbol
          const n = this.stringAt(p, last);
          v = this.str(p + 4, p + 3 + n);
          p += 4 + n;
          break;
        }
        case 0x03:
        case 0x04: {
          this.need(p, 5, last);
          const n = b.readInt32LE(p);
          if (n < 5 || p + n > last || b[p + n - 1] !== 0) throw INVALID;
          v = this.container(p, p + n, depth + 1, type === 0x04);
          p += n;
          break;
        }
        case 0x05: {
          this.need(p, 5, last);
          const n = b.readInt32LE(p);
          if (n < 0 || p + 5 + n > last) throw INVALID;
          const subType = b[p + 4] ?? 0;
          let data = b.subarray(p + 5, p + 5 + n);
          if (subType === 0x02) {
            // The old binary subtype repeats the length inside the data.
            if (n < 4 || data.readInt32LE(0) !== n - 4) throw INVALID;
            data = data.subarray(4);
          }
          v = { $binary: { base64: data.toString('base64'), subType: subType.toString(16).padStart(2, '0') } };
          p += 5 + n;
          break;
        }
        case 0x06: // undefined
        case 0x0a: // null
        case 0x7f: // max key
        case 0xff: // min key
          v = null;
          break;
        case 0x07:
          this.need(p, 12, last);
          v = b.toString('hex', p, p + 12);
          p += 12;
          break;
        case 0x08: {
          this.need(p, 1, last);
          const t = b[p];
          if (t !== 0 && t !== 1) throw INVALID;
          v = t === 1 ? 'true' : 'false';
          p += 1;
          break;
        }
        case 0x09: {
          this.need(p, 8, last);
          const hi = b.readInt32LE(p + 4);
          // Milliseconds since the epoch; `{"$date": ms}` is the wrapper's legacy form.
          v = { $date: hi >= -SAFE_HIGH && hi <= SAFE_HIGH ? hi * TWO_32 + b.readUInt32LE(p) : { $numberLong: b.readBigInt64LE(p).toString() } };
          p += 8;
          break;
        }
        case 0x0b: {
          let e = p;
          while (b[e] !== 0) e++;
          let f = e + 1;
          while (f < last && b[f] !== 0) f++;
          if (f >= last) throw INVALID;
          v = { $regularExpression: { pattern: this.str(p, e), options: this.str(e + 1, f) } };
          p = f + 1;
          break;
        }
        case 0x0c: {
          // DBPointer (deprecated): a namespace and an ObjectId.
          const n = this.stringAt(p, last);
          this.need(p + 4 + n, 12, last);
          v = { $dbPointer: { $ref: this.str(p + 4, p + 3 + n), $id: { $oid: b.toString('hex', p + 4 + n, p + 16 + n) } } };
          p += 16 + n;
          break;
        }
        case 0x0f: {
          // Code with scope (deprecated): int32 total, the code, the scope document.
          this.need(p, 4, last);
          const total = b.readInt32LE(p);
          if (total < 14 || p + total > last) throw INVALID;
          const n = this.stringAt(p + 4, p + total);
          const scope = p + 8 + n;
          this.need(scope, 5, p + total);
          if (b.readInt32LE(scope) !== p + total - scope || b[p + total - 1] !== 0) throw INVALID;
          v = { $code: this.str(p + 8, p + 7 + n), $scope: this.container(scope, p + total, depth + 1, false) };
          p += total;
          break;
        }
        case 0x10:
          this.need(p, 4, last);
          v = String(b.readInt32LE(p));
          p += 4;
          break;
        case 0x11:
          // Timestamp: the increment, then the seconds.
          this.need(p, 8, last);
          v = { $timestamp: { t: b.readUInt32LE(p + 4), i: b.readUInt32LE(p) } };
          p += 8;
          break;
        case 0x12: {
          this.need(p, 8, last);
          const hi = b.readInt32LE(p + 4);
          v = hi >= -SAFE_HIGH && hi <= SAFE_HIGH ? String(hi * TWO_32 + b.readUInt32LE(p)) : b.readBigInt64LE(p).toString();
          p += 8;
          break;
        }
        case 0x13:
          this.need(p, 16, last);
          v = new Decimal128(b.subarray(p, p + 16)).toString();
          p += 16;
          break;
        default:
          throw INVALID;
      }
      if (list !== undefined) list.push(v);
      else if (key === '__proto__') Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
      else obj[key] = v;
    }
    if (p !== last) throw INVALID;
    return list ?? obj;
  }

  /** Fails unless `n` bytes from `p` end before `limit`. */
  private need(p: number, n: number, limit: number): void {
    if (p + n > limit) throw INVALID;
  }

  /** The byte length (with its 0x00) of the BSON string at `p`, checked to end before `limit`. */
  private stringAt(p: number, limit: number): number {
    this.need(p, 4, limit);
    const n = this.b.readInt32LE(p);
    if (n < 1 || p + 4 + n > limit || this.b[p + 3 + n] !== 0) throw INVALID;
    return n;
  }

  /**
   * The key at `[s, e)`, whose bytes hash to `h`: the string made for the same bytes before
   * when it is still cached (a collection's documents repeat their keys), so that the keys
   * are not made again per document and the JSON table's lookups hash each one once.
   */
  private key(s: number, e: number, h: number): string {
    const slot = h & (KEY_CACHE_SLOTS - 1);
    const n = e - s;
    const bytes = this.keyBytes[slot];
    if (bytes !== undefined && bytes.length === n) {
      let i = 0;
      while (i < n && bytes[i] === this.b[s + i]) i++;
      if (i === n) return this.keyText[slot] ?? '';
    }
    const text = this.str(s, e);
    if (n <= MAX_CACHED_KEY) {
      this.keyBytes[slot] = Buffer.from(this.b.subarray(s, e));
      this.keyText[slot] = text;
    }
    return text;
  }

  /** UTF-8 text of `[s, e)`; ASCII (most keys and values) is a slice of the Latin-1 text. */
  private str(s: number, e: number): string {
    const b = this.b;
    for (let i = s; i < e; i++) {
      // Invalid UTF-8 becomes U+FFFD: one bad byte does not cost the record.
      if ((b[i] ?? 0) >= 0x80) return b.toString('utf8', s, e);
    }
    return this.text.slice(s - this.base, e - this.base);
  }
}
