/**
 * The skip policy (docs/architecture.md §5.3): how many malformed records an ingest tolerates
 * before it fails cleanly, publishing nothing.
 */
import { VigieError, type Position } from '../errors.js';

export interface SkipLimit {
  /** Fail past this many skipped records... */
  count?: number;
  /**
   * ...or past this share of the records read so far (skipped ones included), checked from the
   * first record: fail when skipped > max(`SKIP_FLOOR`, share × records read so far).
   */
  share?: number;
}

/** Skips always tolerated under a share limit, so that a few title lines never fail a small file. */
export const SKIP_FLOOR = 10;

export const DEFAULT_MAX_SKIPPED: SkipLimit = { share: 0.05 };

/**
 * Throws VIGIE_TOO_MANY_SKIPPED, at `position` (the skip just counted), when `skipped` records
 * are past `limit`, `rowsRead` being the records accepted so far. Against records read, not
 * records processed: worker results lag behind the reader.
 *
 * @example checkSkips({ count: 2 }, 3, 40, { file: 'a.csv', line: 9 }) // throws 'a.csv, line 9: too many malformed records (3 skipped; limit 2); ...'
 */
export function checkSkips(limit: SkipLimit, skipped: number, rowsRead: number, position: Position): void {
  const over =
    (limit.count !== undefined && skipped > limit.count) || (limit.share !== undefined && skipped > Math.max(SKIP_FLOOR, limit.share * (skipped + rowsRead)));
  if (over) {
    const bound = limit.count ?? `${(limit.share ?? 0) * 100} % of ${skipped + rowsRead} records read, at least ${SKIP_FLOOR}`;
    throw new VigieError('VIGIE_TOO_MANY_SKIPPED', `too many malformed records (${skipped} skipped; limit ${bound}); nothing was published`, {
      position,
    });
  }
}
