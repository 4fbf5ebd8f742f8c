/**
 * `vigie verify-claim`: a verdict on a seller's sample (src/claim/): fabricated, recycled or
 * plausible, with the evidence. Nothing of the sample is stored; the output holds counts only.
 */
import type { Command } from 'commander';
import { assessClaim, type ClaimAssessment, type Share } from '../claim/index.js';
import { DataClasses } from '../dataclasses.js';
import type { CliContext } from './context.js';
import { withStoreOptions } from './store-commands.js';
import { withWorld, type StoreFlags } from './world.js';

const pct = (s: Share): string => `${Math.round(s.share * 1000) / 10} % (${s.n.toLocaleString('en-US')} of ${s.of.toLocaleString('en-US')})`;

function renderClaim(file: string, a: ClaimAssessment): string {
  const lines = [
    `Verdict: ${a.verdict}`,
    ...a.evidence.map((e) => `  - ${e}`),
    '',
    `Sample ${file}: ${a.rows.toLocaleString('en-US')} rows, ${a.skipped} skipped`,
  ];
  const validity = Object.entries(a.validity);
  if (validity.length > 0) {
    lines.push('Values that validate:');
    for (const [k, s] of validity) lines.push(`  ${DataClasses[k as keyof typeof DataClasses]}: ${pct(s)}`);
  }
  const c = a.consistency;
  const consistency: [string, Share | undefined][] = [
    ['NIR sex digit vs gender', c.nirSex],
    ['NIR year and month vs date of birth', c.nirBirth],
    ['NIR birth department vs postcode (people move: informative only)', c.nirPostcode],
    ['email holds the name', c.emailName],
  ];
  if (consistency.some(([, s]) => s)) lines.push('Consistency across fields:');
  for (const [label, s] of consistency) if (s) lines.push(`  ${label}: ${pct(s)}`);
  const d = a.distributions;
  const dist: [string, Share | undefined][] = [
    ['birth years 1920-2012', d.birthYears],
    ['mobile phones', d.mobiles],
    ['emails at the usual French providers', d.providers],
  ];
  if (dist.some(([, s]) => s) || d.departments) lines.push('Distributions:');
  for (const [label, s] of dist) if (s) lines.push(`  ${label}: ${pct(s)}`);
  if (d.departments) lines.push(`  NIR birth departments: ${d.departments} distinct`);
  lines.push(`Duplicates inside the sample: ${pct(a.duplicates.rows)} of the rows with an identifier repeat a person`);
  if (a.overlaps.length === 0) lines.push('Overlap with known leaks: none');
  else {
    lines.push('Overlap with known leaks:');
    for (const o of a.overlaps) lines.push(`  ${o.breach} (${o.title}): ${pct(o.identifiers)} of the sample's identifiers`);
  }
  return `${lines.join('\n')}\n`;
}

export function registerClaim(program: Command, ctx: CliContext): void {
  withStoreOptions(
    program
      .command('verify-claim')
      .description("judge a seller's sample: fabricated, recycled from a known leak, or plausible (new); nothing is stored")
      .argument('<file>', 'the sample, in any format ingest reads')
      .option('--json', 'print the assessment as one JSON object'),
  ).action(async (file: string, flags: StoreFlags & { json?: boolean }) => {
    await withWorld(ctx, flags, async ({ store, key }) => {
      const a = await assessClaim({ file, store, key });
      ctx.stdout.write(flags.json ? `${JSON.stringify(a)}\n` : renderClaim(file, a));
    });
  });
}
