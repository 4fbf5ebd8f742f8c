/**
 * What libphonenumber-js (`max` metadata) says a nine-digit French-plan NSN is, restated in
 * Vigie's rules, so tests can compare the hand-written fast path with it. Slow (several parses
 * per number): tests only.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

const OVERSEAS = ['262', '590', '594', '596'] as const;

function valid(e164: string): boolean {
  const parsed = parsePhoneNumberFromString(e164);
  return parsed?.isValid() === true && parsed.number === e164;
}

/** libphonenumber's verdict on one NSN. */
export interface OracleVerdict {
  /** E.164 forms libphonenumber accepts for this line under Vigie's rules; empty if invalid. */
  accepted: string[];
  /** True where Vigie deliberately departs from the metadata (see `phone-plan.ts`). */
  divergent: boolean;
}

/**
 * The E.164 forms acceptable for a nine-digit NSN written nationally as `0` + `nsn`:
 * - `0508`: Saint-Pierre-et-Miquelon, `+508` + the last six digits if that is valid (divergence:
 *   the metadata reads `0508` as metropolitan);
 * - `08`: `+33` if the metropolitan metadata accepts it (national services);
 * - otherwise, if an overseas code accepts the number, any such code (the narrower allocation is
 *   chosen by the plan where two overlap);
 * - otherwise `+33` if valid there, except in `0262`/`0263`/`0269`, reserved for the Indian Ocean
 *   departments (divergence).
 */
export function oracle(nsn: string): OracleVerdict {
  if (nsn.startsWith('508')) {
    const pm = '+508' + nsn.slice(3);
    return { accepted: valid(pm) ? [pm] : [], divergent: valid('+33' + nsn) };
  }
  const metropolitan = valid('+33' + nsn);
  if (nsn.startsWith('8')) return { accepted: metropolitan ? ['+33' + nsn] : [], divergent: false };
  const overseas = OVERSEAS.map((cc) => '+' + cc + nsn).filter(valid);
  if (nsn.startsWith('7') && valid('+508' + nsn)) overseas.push('+508' + nsn);
  if (overseas.length > 0) return { accepted: overseas, divergent: false };
  if (metropolitan && /^26[239]/.test(nsn)) return { accepted: [], divergent: true };
  return { accepted: metropolitan ? ['+33' + nsn] : [], divergent: false };
}
