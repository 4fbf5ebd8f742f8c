import { describe, expect, it } from 'vitest';
import { Block, blockOf, e164OfNsn } from './phone-plan.js';
import { oracle } from './test-helpers/phone-oracle.js';

/** Deterministic pseudo-random four-digit suffixes (a 32-bit LCG), so failures reproduce. */
function suffixes(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % 10_000;
  };
}

/** Mismatches grouped by four-digit prefix, so a wrong pattern shows as one line. */
function summarise(mismatches: string[]): string[] {
  const byPrefix = new Map<string, string>();
  for (const m of mismatches) if (!byPrefix.has(m.slice(0, 4))) byPrefix.set(m.slice(0, 4), m);
  return [...byPrefix.values()];
}

describe('French numbering plan table', () => {
  it('agrees with libphonenumber on every one of the 90,000 blocks, divergences aside', () => {
    const next = suffixes(20240601);
    const mismatches: string[] = [];
    const divergentPrefixes = new Set<string>();
    for (let block = 10_000; block <= 99_999; block++) {
      const nsn = String(block * 10_000 + next()).padStart(9, '0');
      const verdict = oracle(nsn);
      const ours = e164OfNsn(Number(nsn));
      if (verdict.divergent) {
        divergentPrefixes.add(nsn.slice(0, 3));
        if (ours !== (verdict.accepted[0] ?? null)) mismatches.push(`${nsn}: ${ours} (divergent)`);
      } else if (ours === null ? verdict.accepted.length > 0 : !verdict.accepted.includes(ours)) {
        mismatches.push(`${nsn}: ours ${ours}, libphonenumber ${verdict.accepted.join('|') || 'invalid'}`);
      }
    }
    expect(summarise(mismatches)).toEqual([]);
    // The documented divergences, and only those.
    expect([...divergentPrefixes].sort()).toEqual(['263', '269', '508']);
  });

  it('maps the overseas prefixes to their own country codes', () => {
    expect(e164OfNsn(590271234)).toBe('+590590271234'); // Saint-Barthélemy fixed line
    expect(e164OfNsn(690001234)).toBe('+590690001234');
    expect(e164OfNsn(691221234)).toBe('+590691221234');
    expect(e164OfNsn(262201234)).toBe('+262262201234');
    expect(e164OfNsn(692001234)).toBe('+262692001234');
    expect(e164OfNsn(639201234)).toBe('+262639201234'); // Mayotte
    expect(e164OfNsn(269601234)).toBe('+262269601234');
    expect(e164OfNsn(594001234)).toBe('+594594001234');
    expect(e164OfNsn(694001234)).toBe('+594694001234');
    expect(e164OfNsn(596001234)).toBe('+596596001234');
    expect(e164OfNsn(696001234)).toBe('+596696001234');
    expect(e164OfNsn(697001234)).toBe('+596697001234');
    expect(e164OfNsn(508411234)).toBe('+508411234');
    expect(e164OfNsn(708401234)).toBe('+508708401234');
  });

  it('resolves the overlapping 0976 blocks to the narrowest allocation', () => {
    expect(blockOf(976012345)).toBe(Block.Guadeloupe);
    expect(blockOf(976412345)).toBe(Block.Guiana);
    expect(blockOf(976612345)).toBe(Block.Martinique);
    expect(blockOf(976912345)).toBe(Block.Reunion); // Mayotte
    expect(blockOf(939612345)).toBe(Block.Guiana);
    expect(blockOf(939712345)).toBe(Block.Martinique);
  });

  it('rejects unallocated blocks', () => {
    expect(e164OfNsn(401234567)).toBeNull(); // 040
    expect(e164OfNsn(701234567)).toBeNull(); // 070 is not a mobile range
    expect(e164OfNsn(872345678)).toBeNull(); // 087
    expect(e164OfNsn(691001234)).toBeNull(); // 0691 outside 6912[2-9], 6913[0-5]
    expect(e164OfNsn(590671234)).toBeNull(); // 05906 7 unallocated
    expect(e164OfNsn(263901234)).toBeNull(); // 0263 9 reserved, unallocated
    expect(e164OfNsn(508012345)).toBeNull(); // Saint-Pierre numbers start 2–9
  });

  it('keeps metropolitan mobile, fixed, 08 and 09 numbers under +33', () => {
    expect(e164OfNsn(612345678)).toBe('+33612345678');
    expect(e164OfNsn(731234567)).toBe('+33731234567');
    expect(e164OfNsn(698123456)).toBe('+33698123456');
    expect(e164OfNsn(142685300)).toBe('+33142685300');
    expect(e164OfNsn(800123456)).toBe('+33800123456');
    expect(e164OfNsn(970123456)).toBe('+33970123456');
  });
});
