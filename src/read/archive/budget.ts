/**
 * What every decompressor shares: the expansion budget of one on-disk source, piping bytes
 * through a zlib transform, mapping zlib's errors to the catalogue, and printable member names.
 */
import { Readable, type Transform } from 'node:stream';
import { VigieError } from '../../errors.js';

/** Limits on what one on-disk source may expand to. */
export interface ArchiveLimits {
  /** Expansion ratio (decompressed / on-disk bytes) refused beyond `expansionFloor`. Default 200. */
  maxExpansion?: number;
  /** Decompressed bytes always allowed, whatever the ratio. Default 100 MiB. */
  expansionFloor?: number;
  /** Absolute cap on decompressed bytes for one source. Default 64 GiB. */
  maxDecompressedBytes?: number;
  /** Largest nested zip held in memory (a zip needs random access). Default 256 MiB. */
  maxNestedZipBytes?: number;
}

export const ARCHIVE_DEFAULTS: Required<ArchiveLimits> = {
  maxExpansion: 200,
  expansionFloor: 100 * 1024 * 1024,
  maxDecompressedBytes: 64 * 1024 * 1024 * 1024,
  maxNestedZipBytes: 256 * 1024 * 1024,
};

/**
 * Counts the bytes every decompressor of one on-disk source produces (all nesting levels
 * together) and refuses the source once they pass the limit: max(floor, ratio × on-disk
 * size), and the absolute cap. A zip bomb is refused from its declared sizes before any
 * inflating, and otherwise as soon as the output passes the limit.
 */
export class ExpansionBudget {
  private used = 0;
  readonly limit: number;
  private readonly absolute: number;

  constructor(
    private readonly file: string,
    diskBytes: number,
    limits: ArchiveLimits = {},
  ) {
    const l = { ...ARCHIVE_DEFAULTS, ...definedOnly(limits) };
    this.absolute = l.maxDecompressedBytes;
    this.limit = Math.min(Math.max(l.expansionFloor, l.maxExpansion * diskBytes), l.maxDecompressedBytes);
  }

  /** Counts `n` more decompressed bytes; throws once over the limit. */
  add(n: number): void {
    this.used += n;
    if (this.used > this.limit) throw this.refusal('expands');
  }

  /** Throws now if `declared` more bytes would not fit (a zip entry's stated size). */
  reserve(declared: number): void {
    if (this.used + declared > this.limit) throw this.refusal('declares');
  }

  private refusal(verb: string): VigieError {
    const cap = this.limit >= this.absolute ? 'the decompressed size cap' : 'the expansion limit';
    return new VigieError('VIGIE_UNSAFE_ARCHIVE', `archive ${verb} beyond ${cap} (${this.limit} bytes): possible decompression bomb`, {
      position: { file: this.file },
    });
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Runs `input` through the zlib transform `z` and yields its output. Both are destroyed
 * when the consumer stops early; an input error surfaces from the output.
 */
export async function* throughZlib(input: AsyncIterable<Buffer>, z: Transform): AsyncGenerator<Buffer> {
  const src = Readable.from(input, { objectMode: false });
  src.on('error', (err) => z.destroy(err));
  src.pipe(z);
  try {
    yield* z as AsyncIterable<Buffer>;
  } finally {
    src.destroy();
    z.destroy();
  }
}

/**
 * Maps a zlib error to the catalogue: an unexpected end is a truncation, anything else
 * corrupt data. Errors already from the catalogue (budget, input) pass through unchanged.
 */
export function zlibError(err: unknown, file: string, what: string, byte: number): unknown {
  if (err instanceof VigieError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'Z_BUF_ERROR') {
    return new VigieError('VIGIE_TRUNCATED', `${what} data ends before its end marker`, {
      position: { file, byte },
      cause: err,
    });
  }
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new VigieError('VIGIE_BAD_FORMAT', `corrupt ${what} data`, { position: { file, byte }, cause: err });
  }
  return err;
}

/** An entry name safe to print: control characters (terminal escapes) become `?`. */
export function printable(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this replaces
  return name.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '?');
}
