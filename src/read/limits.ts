/**
 * The readers' size limits, one home for every format: a hostile file cannot make a reader hold
 * more than this, whatever its format (docs/architecture.md §3.1, §5.6).
 */
import { VigieError } from '../errors.js';

/** A reader option that must be a positive integer: `fallback` when not given. */
export function positiveInteger(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new VigieError('VIGIE_USAGE', `${what} must be a positive integer`);
  return value;
}

/** Longest record a reader holds by default, in characters (`ReadOptions.maxRecordChars`). */
export const DEFAULT_MAX_RECORD_CHARS = 1 << 20;

/** Records per `rows` event by default (`ReadOptions.batchSize`). */
export const DEFAULT_BATCH_SIZE = 1024;

/**
 * Most columns one table may have. MySQL allows 4096 columns and PostgreSQL 1600, so more is
 * not a real table; a JSON file with a new key per record stays bounded by it too.
 */
export const MAX_COLUMNS = 4096;
