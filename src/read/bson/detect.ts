/**
 * Recognising BSON from its first bytes: `mongodump` writes each collection as BSON documents
 * one after another, each opening with its int32 little-endian length; `mongodump --archive`
 * writes one file of its own, opening with a magic number.
 */

/** BSON's largest document (MongoDB's `BSONObjMaxUserSize`, 16 MiB). */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

/** `mongodump --archive`'s magic number, read as a little-endian uint32. */
const ARCHIVE_MAGIC = 0x8199e26d;

/** Bytes of the value of a fixed-size element type, -1 for a variable-size one, undefined for no type. */
function valueSize(type: number): number | undefined {
  switch (type) {
    case 0x06:
    case 0x0a:
    case 0x7f:
    case 0xff:
      return 0;
    case 0x08:
      return 1;
    case 0x10:
      return 4;
    case 0x01:
    case 0x09:
    case 0x11:
    case 0x12:
      return 8;
    case 0x07:
      return 12;
    case 0x13:
      return 16;
    case 0x02:
    case 0x03:
    case 0x04:
    case 0x05:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x0e:
    case 0x0f:
      return -1;
    default:
      return undefined;
  }
}

/**
 * `'bson'` when `sample` opens like a BSON document: a length from 5 bytes to 16 MiB whose
 * last byte (when within the sample) is 0x00, then an element of a known type with a
 * non-empty, NUL-terminated key and, when its size is fixed, room for its value; `'archive'`
 * for `mongodump --archive`; else undefined. Text never opens so (its fourth byte would be
 * a length's high byte, over 16 MiB), nor does UTF-16 text (its first key would be empty).
 *
 * @example
 * bsonKind(Buffer.from('0c0000001061000100000000', 'hex')) // 'bson': the document { a: 1 }
 */
export function bsonKind(sample: Buffer): 'bson' | 'archive' | undefined {
  if (sample.length < 4) return undefined;
  if (sample.readUInt32LE(0) === ARCHIVE_MAGIC) return 'archive';
  const len = sample.readInt32LE(0);
  if (len < 5 || len > MAX_DOCUMENT_BYTES || sample.length < 6) return undefined;
  if (len <= sample.length && sample[len - 1] !== 0) return undefined;
  const size = valueSize(sample[4] ?? 0);
  if (size === undefined) return undefined;
  const end = Math.min(len - 1, sample.length);
  let k = 5;
  while (k < end && sample[k] !== 0) k++;
  if (k === 5 || k >= end) return undefined;
  if (size >= 0 && k + 1 + size > len - 1) return undefined;
  return 'bson';
}
