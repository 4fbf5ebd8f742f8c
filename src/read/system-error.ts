/** System errors of the readers, in the error catalogue's words. */
import { systemCause, VigieError } from '../errors.js';

/**
 * A system error while reading a file, with the catalogue's code and its position; anything
 * else (a VigieError, a non-system error) is returned as it is.
 */
export function systemError(err: unknown, file: string, byte: number | undefined): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (err instanceof VigieError || typeof code !== 'string') return err;
  const why = systemCause(code) ?? 'cannot be read';
  return new VigieError('VIGIE_FILE_NOT_FOUND', `${why} (${code})`, { position: { file, byte }, cause: err });
}
