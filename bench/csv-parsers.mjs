// Compares CSV parsers on the same synthetic French leak (9 columns), text already decoded.
// Run: npx tsx bench/csv-parsers.mjs [rows=600000] [rounds=3]
// Figures and the decision they led to: docs/adr/0001-csv-parser.md.
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { readDelimited } from '../src/read/delimited/index.ts';
import { DelimitedParser } from '../src/read/delimited/parser.ts';
import { decodeStream } from '../src/read/encoding/index.ts';

const ROWS = Number(process.argv[2] ?? 600_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const CHUNK = 64 * 1024;

// Synthetic people, never real ones: a seeded generator so every run parses the same text.
let seed = 0x5eed;
const rnd = (n) => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return (seed >>> 8) % n;
};
const pick = (a) => a[rnd(a.length)];
const NOMS = [
  'Martin',
  'Bernard',
  'Dubois',
  'Lefèvre',
  'Rousseau',
  'Girard',
  'Bonnet',
  'Lemaître',
  'Müller',
  'Nguyen',
  'Da Silva',
  'Le Gall',
  "N'Diaye",
  'Perrin',
  'Chevalier',
];
const PRENOMS = ['Hélène', 'François', 'Zoé', 'Jérôme', 'Anaïs', 'Loïc', 'Chloé', 'Noël', 'Maëlle', 'Cédric', 'Agnès', 'Thibault', 'Inès', 'Gaëtan', 'Léa'];
const DOMAINES = ['orange.fr', 'free.fr', 'gmail.com', 'laposte.net', 'sfr.fr', 'wanadoo.fr', 'hotmail.fr'];
const VOIES = ['rue de la Paix', 'avenue Jean-Jaurès', 'boulevard Voltaire', 'allée des Cèdres', 'place du Marché', 'chemin des Vignes', 'impasse Émile-Zola'];
const VILLES = [
  ['75011', 'Paris'],
  ['69003', 'Lyon'],
  ['13006', 'Marseille'],
  ['25000', 'Besançon'],
  ['30000', 'Nîmes'],
  ['45000', 'Orléans'],
  ['97110', 'Pointe-à-Pitre'],
  ['20000', 'Ajaccio'],
];
const ascii = (s) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-zA-Z-]/g, '')
    .toLowerCase();
const d2 = () => String(rnd(100)).padStart(2, '0');
function phone() {
  const n = `0${1 + rnd(7)}${d2()}${d2()}${d2()}${d2()}`;
  switch (rnd(3)) {
    case 0:
      return n.replace(/(\d\d)(?=\d)/g, '$1 ');
    case 1:
      return `+33 ${n.slice(1, 2)} ${n.slice(2).replace(/(\d\d)(?=\d)/g, '$1 ')}`;
    default:
      return n;
  }
}
function person() {
  const nom = pick(NOMS);
  const prenom = pick(PRENOMS);
  const [cp, ville] = pick(VILLES);
  const adresse = rnd(3) === 0 ? `"${1 + rnd(120)}, ${pick(VOIES)}"` : `${1 + rnd(120)} ${pick(VOIES)}`;
  const sexe = 1 + rnd(2);
  const nir = `${sexe}${d2()}${String(1 + rnd(12)).padStart(2, '0')}${cp.slice(0, 2)}${String(rnd(1000)).padStart(3, '0')}${String(rnd(1000)).padStart(3, '0')}${d2()}`;
  return [nom, prenom, `${ascii(prenom)}.${ascii(nom)}@${pick(DOMAINES)}`, phone(), `${d2()}/${d2()}/19${d2()}`, adresse, cp, ville, nir].join(';');
}
const header = 'nom;prénom;email;téléphone;date_naissance;adresse;code_postal;ville;nir';
const lines = [header];
for (let i = 0; i < ROWS; i++) lines.push(person());
const text = lines.join('\r\n') + '\r\n';
const chunks = [];
for (let i = 0; i < text.length; i += CHUNK) chunks.push(text.slice(i, i + CHUNK));
async function* chunkIter() {
  yield* chunks;
}
const bytes = Buffer.from(text, 'utf8');
async function* byteIter() {
  for (let i = 0; i < bytes.length; i += CHUNK) yield bytes.subarray(i, i + CHUNK);
}

const contenders = {
  'vigie readDelimited (64 KiB chunks, events)': async () => {
    let n = 0;
    for await (const ev of readDelimited(chunkIter(), { displayName: 'bench.csv' })) if (ev.kind === 'rows') n += ev.rows.length;
    return n + 1;
  },
  'vigie decodeStream + readDelimited (UTF-8 bytes)': async () => {
    let n = 0;
    const decoded = await decodeStream(byteIter(), { file: 'bench.csv' });
    for await (const ev of readDelimited(decoded.text, { displayName: 'bench.csv' })) if (ev.kind === 'rows') n += ev.rows.length;
    return n + 1;
  },
  'vigie DelimitedParser (whole string)': async () => {
    let n = 0;
    const p = new DelimitedParser(';', 1 << 20, { record: () => ++n > 0, skip: () => undefined });
    p.parse(text, 0, true, Infinity);
    return n;
  },
  'papaparse parse(whole string)': async () => Papa.parse(text, { delimiter: ';', skipEmptyLines: true }).data.length,
  'papaparse on line-complete 64 KiB blocks (not quote-safe)': async () => {
    let n = 0;
    let rest = '';
    for (const c of chunks) {
      const s = rest + c;
      const cut = s.lastIndexOf('\n') + 1;
      rest = s.slice(cut);
      n += Papa.parse(s.slice(0, cut), { delimiter: ';', skipEmptyLines: true }).data.length;
    }
    if (rest) n += Papa.parse(rest, { delimiter: ';', skipEmptyLines: true }).data.length;
    return n;
  },
  'papaparse NODE_STREAM_INPUT (streaming, unbounded quotes)': () =>
    new Promise((resolve, reject) => {
      let n = 0;
      const out = Papa.parse(Papa.NODE_STREAM_INPUT, { delimiter: ';', skipEmptyLines: true });
      out.on('data', () => void n++);
      out.on('end', () => resolve(n));
      out.on('error', reject);
      Readable.from(chunks).pipe(out);
    }),
};

console.log(`${ROWS} rows, ${(text.length / 1e6).toFixed(1)} M chars, node ${process.version}`);
for (let r = 1; r <= ROUNDS; r++) {
  for (const [name, run] of Object.entries(contenders)) {
    globalThis.gc?.();
    const t0 = process.hrtime.bigint();
    const n = await run();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    if (n !== ROWS + 1) throw new Error(`${name}: ${n} rows, expected ${ROWS + 1}`);
    console.log(`round ${r}  ${name.padEnd(60)} ${s.toFixed(3)} s  ${Math.round(n / s / 1000)} k rows/s`);
  }
}
