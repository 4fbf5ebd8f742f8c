/**
 * The French numbering plan as one lookup table, for the phone fast path.
 *
 * Metropolitan France and the overseas departments share one closed ten-digit plan
 * (`0Z AB PQ MC DU`), but each overseas territory has its own ITU country code. ARCEP allocates
 * numbers in blocks of 10,000 identified by `ZABPQ`, i.e. the first five digits of the nine-digit
 * national significant number (NSN). A `Uint8Array` indexed by those five digits therefore holds
 * the whole plan: which blocks are valid, and under which country code each one is dialled from
 * abroad. Looking a number up costs one array read.
 *
 * Sources: ARCEP's plan (01–05 geographic, 06/07 mobile, 08 special rates, 09 non-geographic,
 * overseas blocks listed at https://arcep.fr "La numérotation outre-mer"), transcribed at the
 * block level published in libphonenumber-js 1.13 `max` metadata (itself derived from ARCEP),
 * and checked against it block by block in `phone-plan.test.ts`. Deliberate differences from that
 * metadata, each one written down and tested:
 * - `0262`, `0263`, `0269` are reserved for Réunion and Mayotte; their unallocated blocks are
 *   invalid here, where the metadata's coarse metropolitan pattern `26[013-9]` accepts them.
 * - `0508 XX XX XX` is Saint-Pierre-et-Miquelon (`+508 XX XX XX`, six-digit subscriber numbers),
 *   where the metadata reads it as a metropolitan `05` number.
 * - The overseas blocks inside `09` (`0939`, `0947`, `0976`) belong to their territory (the
 *   metadata also accepts them as metropolitan through its catch-all `9\d{8}`); where two
 *   territories' patterns overlap, the narrower allocation wins.
 * - `08` numbers (free, shared-cost and premium services) are one national service reachable from
 *   everywhere: they always keep `+33`, even when written with an overseas code.
 */

/** What a five-digit block is. Values index {@link PLAN_CALLING_CODE}. */
export const Block = {
  Invalid: 0,
  Metropolitan: 1,
  /** +262, shared by Réunion and Mayotte. */
  Reunion: 2,
  /** +590, shared by Guadeloupe, Saint-Martin and Saint-Barthélemy. */
  Guadeloupe: 3,
  Guiana: 4, // +594
  Martinique: 5, // +596
  /** `0508 XX XX XX`: Saint-Pierre-et-Miquelon, whose NSN is the last six digits only. */
  StPierreShort: 6,
  /** Nine-digit Saint-Pierre-et-Miquelon numbers (`0708 4…`), NSN kept whole. */
  StPierreLong: 7,
} as const;
export type Block = (typeof Block)[keyof typeof Block];

/** ITU country calling code of each {@link Block}, as it is written after the `+`. */
export const PLAN_CALLING_CODE: readonly string[] = ['', '33', '262', '590', '594', '596', '508', '508'];

/**
 * Blocks, as patterns over the first five NSN digits: a digit, or a class `[..]` of digits and
 * ranges; a shorter pattern covers every block under it. Later entries override earlier ones,
 * so broad allocations come first and the narrower overseas ones after.
 */
const ALLOCATIONS: ReadonlyArray<readonly [Block, readonly string[]]> = [
  // Metropolitan geographic 01–05 (`040` unallocated; `0508`, `0590`, `0594`, `0596` overseas).
  [Block.Metropolitan, ['1', '2[0-57-9]', '26[014-8]', '3', '4[1-9]', '50[0-79]', '5[1-8]', '59[1-35-9]']],
  // Mobile: 06 except the overseas `0639`, `0690`–`0694`, `0696`, `0697`; 07 only `073`–`079`.
  [Block.Metropolitan, ['6[0-24-8]', '63[0-8]', '69[589]', '7[3-9]']],
  // 08: free (`080`), shared-cost and premium services, UAN numbers; `087`, `084[135-9]`,
  // `08360[45]` are not allocated.
  [Block.Metropolitan, ['80', '81', '82', '83[0-57-9]', '8360[0-36-9]', '836[1-9]', '84[024]']],
  [Block.Metropolitan, ['85', '86', '88', '89']],
  // 09: non-geographic (VoIP), overseas blocks overridden below.
  [Block.Metropolitan, ['9']],
  // Guiana first: its `0976` allocation is the broadest of the overlapping `0976` patterns.
  [Block.Guiana, ['594[02-49]', '5941[0-5]', '5945[6-9]', '5946[0-3]', '59480', '5988']],
  [Block.Guiana, ['694[0-249]', '6943[0-8]', '7093[0-3]', '9396', '976', '9476[0-6]']],
  // Guadeloupe, Saint-Barthélemy, Saint-Martin: the union of the three territories' blocks.
  [Block.Guadeloupe, ['590[0-58-9]', '5906[0-689]', '5907[0789]', '5987']],
  [Block.Guadeloupe, ['690', '6912[2-9]', '6913[0-5]', '7090[0-4]']],
  [Block.Guadeloupe, ['9395', '9397[4-9]', '9760', '9761', '9768', '9475[0-6]']],
  // Réunion.
  [Block.Reunion, ['262', '2630', '2631[0-6]', '2688']],
  [Block.Reunion, ['692', '693[06][0-6]', '6931[0-3]', '6932[0-2]', '6933[0-39]', '6934']],
  [Block.Reunion, ['6935[0-5]', '6937[0-37]', '6938[0-8]', '6939[0-479]', '7092[0-3]']],
  [Block.Reunion, ['9399[0-3]', '9479[0-6]', '9762[278]', '9763[0-37]']],
  // Mayotte (+262 like Réunion).
  [Block.Reunion, ['2689', '2690[0-467]', '26915', '2695[0-4]', '2696', '26970', '26980']],
  [Block.Reunion, ['6390[0-79]', '6391[019]', '639[267]', '6393[09]', '63940', '6395[05-9]']],
  [Block.Reunion, ['6399[04-79]', '7093[5-7]', '9398[01]', '9478[01]', '9769']],
  // Martinique.
  [Block.Martinique, ['596[03-7]', '5961[05]', '5962[7-9]', '5968[0-39]', '5969[04-9]', '5989']],
  [Block.Martinique, ['69[67]', '7091[0-3]', '9397[0-3]', '9477', '9766', '9767']],
  // Saint-Pierre-et-Miquelon: `0508` then a six-digit number starting 2–9; nine-digit mobiles.
  [Block.StPierreShort, ['508[2-9]']],
  [Block.StPierreLong, ['7084[0-5]', '7085[0-6]']],
];

/** Every five-digit value matched by one pattern, appended to `out`. */
function expand(pattern: string, out: number[]): void {
  const classes: number[][] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c !== '[') {
      classes.push([Number(c)]);
      continue;
    }
    const close = pattern.indexOf(']', i);
    const digits: number[] = [];
    for (let j = i + 1; j < close; j++) {
      if (pattern[j + 1] === '-') {
        for (let d = Number(pattern[j]); d <= Number(pattern[j + 2]); d++) digits.push(d);
        j += 2;
      } else {
        digits.push(Number(pattern[j]));
      }
    }
    classes.push(digits);
    i = close;
  }
  const walk = (depth: number, prefix: number): void => {
    if (depth === classes.length) {
      const span = 10 ** (5 - depth);
      for (let k = 0; k < span; k++) out.push(prefix * span + k);
      return;
    }
    for (const d of classes[depth]!) walk(depth + 1, prefix * 10 + d);
  };
  walk(0, 0);
}

function buildPlan(): Uint8Array {
  const table = new Uint8Array(100_000);
  const blocks: number[] = [];
  for (const [block, patterns] of ALLOCATIONS) {
    for (const p of patterns) {
      blocks.length = 0;
      expand(p, blocks);
      for (const b of blocks) table[b] = block;
    }
  }
  return table;
}

const PLAN = buildPlan();

/**
 * The block of a nine-digit national significant number (without the trunk `0`).
 * @param nsn the NSN as an integer, 100000000..999999999 (callers check the range)
 * @example blockOf(690123456) === Block.Guadeloupe
 */
export function blockOf(nsn: number): Block {
  return PLAN[Math.floor(nsn / 10_000)] as Block;
}

/**
 * The E.164 form of a valid nine-digit French-plan NSN, or `null` if its block is unallocated.
 * @example e164OfNsn(612345678) === '+33612345678'; e164OfNsn(508411234) === '+508411234'
 */
export function e164OfNsn(nsn: number): string | null {
  const block = blockOf(nsn);
  if (block === Block.Invalid) return null;
  if (block === Block.StPierreShort) return '+508' + (nsn % 1_000_000);
  return '+' + PLAN_CALLING_CODE[block] + nsn;
}
