/**
 * Micro-benchmark of the validators: nanoseconds per value on realistic synthetic inputs.
 * Run with `npm run bench:normalise`. Not a test: timings depend on the machine.
 *
 * Each input set mixes the writings a leak holds, valid and invalid, generated from a fixed seed.
 * A validator runs over its set several times after a warm-up; the best round is reported (the
 * least disturbed by other processes on a shared machine).
 */
import {
  findEmails,
  findPhones,
  foldName,
  isPlausibleName,
  looksLikePasswordHash,
  normaliseBirthDate,
  normaliseEmail,
  normaliseGender,
  normaliseIban,
  normaliseIp,
  normaliseNir,
  normalisePhone,
  normalisePostcode,
  normaliseSiret,
} from '../src/normalise/index.js';

const SIZE = 20_000;
let seed = 42;
function random(n: number): number {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed % n;
}
function pick<T>(items: readonly T[]): T {
  return items[random(items.length)]!;
}
function digits(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += random(10);
  return s;
}
function make(generate: () => string): string[] {
  return Array.from({ length: SIZE }, generate);
}

const FIRST = ['Jean', 'Marie', 'Jean-Pierre', 'Hélène', 'François', 'Nathalie', 'Loïc', 'Chloé', 'Éric', 'Sophie'];
const LAST = ['Martin', 'Bernard', 'Lefèvre', 'Dubois', "N'Diaye", 'Le Goff', 'Moreau', 'Girard', 'Roux', 'Fournier'];
const DOMAINS = ['orange.fr', 'free.fr', 'gmail.com', 'wanadoo.fr', 'laposte.net', 'sfr.fr', 'hotmail.fr'];

const sets: Record<string, string[]> = {
  email: make(() => {
    const local =
      pick(FIRST)
        .toLowerCase()
        .replace(/[^a-z]/g, '') +
      pick(['.', '_', '']) +
      pick(LAST)
        .toLowerCase()
        .replace(/[^a-z]/g, '');
    return pick(['', '', ' ', '']) + (random(4) === 0 ? local.toUpperCase() : local) + (random(20) === 0 ? '' : '@') + pick(DOMAINS);
  }),
  phone: make(() => {
    const nsn = pick(['6', '7', '1', '2', '6', '6']) + digits(8);
    const pairs = ('0' + nsn).match(/../g)!;
    return pick([pairs.join(' '), pairs.join('.'), '0' + nsn, '+33 ' + nsn.slice(0, 1) + ' ' + pairs.slice(1).join(' '), '+33' + nsn, '0033' + nsn]);
  }),
  nir: make(() => {
    const pad = (v: number, n: number): string => String(v).padStart(n, '0');
    const head = pick(['1', '2']) + digits(2) + pad(1 + random(12), 2) + pad(1 + random(95), 2) + pad(1 + random(900), 3) + pad(1 + random(999), 3);
    const key = String(97 - (Number(head) % 97)).padStart(2, '0');
    const nir = head + (random(10) === 0 ? '00' : key);
    return random(3) === 0 ? nir.replace(/^(.)(..)(..)(..)(...)(...)(..)$/, '$1 $2 $3 $4 $5 $6 $7') : nir;
  }),
  iban: make(() =>
    pick([
      'FR1420041010050500013M02606',
      'FR14 2004 1010 0505 0001 3M02 606',
      'FR7630004000031234567890143',
      'DE89370400440532013000',
      'FR7630004000031234567890144',
    ]),
  ),
  siret: make(() => pick(['55210055400013', '552 100 554 00013', '73282932000017', '73282932000018', '35600000049837'])),
  postcode: make(() => pick(['75001', '69003', '13008', '97400', '2A000', '96100', ' 33000'])),
  date: make(() => {
    const d = String(1 + random(28)).padStart(2, '0');
    const m = String(1 + random(12)).padStart(2, '0');
    const y = String(1930 + random(90));
    return pick([`${d}/${m}/${y}`, `${y}-${m}-${d}`, `${d}-${m}-${y}`, `${y}${m}${d}`, `${y}-${m}-${d} 00:00:00`]);
  }),
  name: make(() => pick([pick(FIRST), pick(LAST), pick(LAST).toUpperCase(), `${pick(FIRST)} ${pick(LAST)}`])),
  nameAscii: make(() => pick(['Martin', 'BERNARD', 'Dubois', 'jean-pierre', 'Le Goff', 'Moreau'])),
  password: make(() =>
    pick(['5f4dcc3b5aa765d61d8327deb882cf99', '$2b$10$VigieVigieVigieVigieaOCSo2sfE4bHr.UYwmy2DSSN9vx.d7LXW', 'motdepasse123', 'Azerty!2024']),
  ),
  gender: make(() => pick(['M', 'F', 'Homme', 'Femme', 'Mme', 'M.', 'X'])),
  ip: make(() => pick([`192.0.2.${random(256)}`, `198.51.100.${random(256)}`, '2001:db8::1', '10.0.0.1'])),
  text: make(
    () => `Client ${pick(FIRST)} rappelé au 06 ${digits(2)} ${digits(2)} ${digits(2)} ${digits(2)}, écrire à ${pick(FIRST).toLowerCase()}@${pick(DOMAINS)}.`,
  ),
};

const cases: ReadonlyArray<readonly [string, string, (raw: string) => unknown]> = [
  ['normaliseEmail', 'email', normaliseEmail],
  ['normalisePhone', 'phone', (raw) => normalisePhone(raw)],
  ['normalisePhone (names)', 'name', (raw) => normalisePhone(raw)],
  ['normaliseNir', 'nir', normaliseNir],
  ['normaliseIban', 'iban', normaliseIban],
  ['normaliseSiret', 'siret', normaliseSiret],
  ['normalisePostcode', 'postcode', (raw) => normalisePostcode(raw)],
  ['normaliseBirthDate', 'date', (raw) => normaliseBirthDate(raw)],
  ['foldName (mixed)', 'name', foldName],
  ['foldName (ASCII)', 'nameAscii', foldName],
  ['isPlausibleName', 'name', isPlausibleName],
  ['looksLikePasswordHash', 'password', looksLikePasswordHash],
  ['normaliseGender', 'gender', (raw) => normaliseGender(raw)],
  ['normaliseIp', 'ip', normaliseIp],
  ['findEmails (80-char note)', 'text', findEmails],
  ['findPhones (80-char note)', 'text', findPhones],
];

let sink = 0;
const rows: string[] = [];
for (const [name, set, fn] of cases) {
  const values = sets[set]!;
  for (let i = 0; i < values.length; i++) fn(values[i]!); // warm-up: let the JIT optimise
  let best = Infinity;
  let valid = 0;
  for (let round = 0; round < 15; round++) {
    valid = 0;
    const started = process.hrtime.bigint();
    for (let i = 0; i < values.length; i++) {
      const r = fn(values[i]!);
      if (r !== null && r !== false) valid++;
    }
    best = Math.min(best, Number(process.hrtime.bigint() - started) / values.length);
  }
  sink += valid;
  rows.push(`${name.padEnd(28)} ${best.toFixed(0).padStart(6)} ns/value   ${((100 * valid) / values.length).toFixed(0).padStart(3)}% valid`);
}
console.log(`node ${process.version}, ${SIZE} values per set, best of 15 rounds`);
for (const row of rows) console.log(row);
if (sink < 0) console.log(sink);
