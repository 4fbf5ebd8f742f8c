/**
 * Parquet's magic numbers, apart from the reader so that format detection can tell a Parquet
 * file without loading it (hyparquet and its codecs).
 */

/** `PAR1` and `PARE` (an encrypted footer) as little-endian 32-bit words. */
const PAR1 = 0x31524150;
const PARE = 0x45524150;

/** Which Parquet magic four bytes are: `PAR1`, `PARE` (Parquet modular encryption), or neither. */
export function parquetMagic(head: Uint8Array): 'plain' | 'encrypted' | undefined {
  if (head.length < 4) return undefined;
  const w = ((head[0] as number) | ((head[1] as number) << 8) | ((head[2] as number) << 16) | ((head[3] as number) << 24)) >>> 0;
  return w === PAR1 ? 'plain' : w === PARE ? 'encrypted' : undefined;
}

/**
 * Tells a Parquet file from its first bytes: the magic `PAR1` at offset 0, or `PARE` (an
 * encrypted file: the reader refuses it, saying what to do).
 *
 * @example
 * looksLikeParquet(Buffer.from('PAR1\x15\x04')) // true
 */
export function looksLikeParquet(head: Uint8Array): boolean {
  return parquetMagic(head) !== undefined;
}
