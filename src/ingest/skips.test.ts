import { describe, expect, it } from 'vitest';
import { isVigieError } from '../errors.js';
import { checkSkips, DEFAULT_MAX_SKIPPED, SKIP_FLOOR } from './skips.js';

const at = { file: 'clients.csv', line: 214, record: 212 };

/** The error checkSkips throws, or undefined when it passes. */
function verdict(...args: Parameters<typeof checkSkips>): Error | undefined {
  try {
    checkSkips(...args);
    return undefined;
  } catch (e) {
    return e as Error;
  }
}

describe('checkSkips', () => {
  it('tolerates SKIP_FLOOR skips under a share, even before any record', () => {
    expect(SKIP_FLOOR).toBe(10);
    expect(DEFAULT_MAX_SKIPPED).toEqual({ share: 0.05 });
    expect(verdict(DEFAULT_MAX_SKIPPED, SKIP_FLOOR, 0, at)).toBeUndefined();
    const err = verdict(DEFAULT_MAX_SKIPPED, SKIP_FLOOR + 1, 0, at);
    expect(isVigieError(err) && err.code).toBe('VIGIE_TOO_MANY_SKIPPED');
    expect(err?.message).toBe(
      'clients.csv, line 214, record 212: too many malformed records (11 skipped; limit 5 % of 11 records read, at least 10); nothing was published',
    );
    expect(isVigieError(err) && err.position).toEqual(at);
  });

  it('past the floor, a share counts the skipped records among those read', () => {
    // 12 skipped of 240 read (228 accepted): exactly 5 %, not past it.
    expect(verdict({ share: 0.05 }, 12, 228, at)).toBeUndefined();
    // One more skip: 13 > 5 % of 241.
    const err = verdict({ share: 0.05 }, 13, 228, at);
    expect(err?.message).toBe(
      'clients.csv, line 214, record 212: too many malformed records (13 skipped; limit 5 % of 241 records read, at least 10); nothing was published',
    );
    // A larger share, the same skips: tolerated.
    expect(verdict({ share: 0.1 }, 13, 228, at)).toBeUndefined();
  });

  it('a count is an absolute limit, without the floor', () => {
    expect(verdict({ count: 2 }, 2, 0, at)).toBeUndefined();
    const err = verdict({ count: 2 }, 3, 40, { file: 'dump.sql', table: 'users', line: 9 });
    expect(isVigieError(err) && err.code).toBe('VIGIE_TOO_MANY_SKIPPED');
    expect(err?.message).toBe('dump.sql, table users, line 9: too many malformed records (3 skipped; limit 2); nothing was published');
    expect(verdict({ count: 0 }, 1, 1_000_000, at)?.message).toContain('(1 skipped; limit 0)');
  });

  it('with both, whichever is passed first fails, and the count is the one named', () => {
    // Under the count, over the share.
    expect(verdict({ count: 100, share: 0.05 }, 20, 100, at)?.message).toContain('(20 skipped; limit 100)');
    // Over the count, under the share.
    expect(verdict({ count: 5, share: 0.5 }, 6, 100, at)?.message).toContain('(6 skipped; limit 5)');
    expect(verdict({ count: 100, share: 0.5 }, 20, 100, at)).toBeUndefined();
  });

  it('no limit at all tolerates everything', () => {
    expect(verdict({}, 1_000_000, 0, at)).toBeUndefined();
  });
});
