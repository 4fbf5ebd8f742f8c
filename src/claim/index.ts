/**
 * claim: a seller's sample → is it real, new, or recycled, or made up? Read, recognised and
 * normalised by the ingest's own code, pseudonymised in memory (never stored), it is judged on
 * three kinds of evidence: internal plausibility (values that validate, fields that agree,
 * distributions that look French), duplication inside the sample, and overlap with every leak
 * the store already holds. Counts only: nothing of the sample is kept or echoed.
 */
import { DataClassBits, DataClasses, type DataClassKey } from '../dataclasses.js';
import { readRecognised, RecordProcessor, RowSink } from '../ingest/index.js';
import { IdentifierKinds, PSEUDONYM_BYTES, type IdentifierKind } from '../pseudonymise/index.js';
import type { Cell } from '../read/index.js';
import { columnNormaliser, type FieldKind, type Normaliser } from '../recognise/index.js';
import type { Store } from '../store/index.js';

type Verdict = 'fabricated' | 'recycled' | 'plausible';

/** A share with what it is a share of. */
export interface Share {
  n: number;
  of: number;
  share: number;
}

interface LeakOverlap {
  breach: string;
  title: string;
  /** Distinct identifiers of the sample found in this leak, of all its distinct identifiers. */
  identifiers: Share;
  kinds: Partial<Record<IdentifierKind, Share>>;
}

export interface ClaimAssessment {
  verdict: Verdict;
  /** The evidence for the verdict, in plain words, strongest first. */
  evidence: string[];
  rows: number;
  skipped: number;
  /** Per data class present: values that validate. */
  validity: Partial<Record<DataClassKey, Share>>;
  consistency: {
    /** NIR sex digit against the gender column. */
    nirSex?: Share;
    /** NIR year and month against the date of birth. */
    nirBirth?: Share;
    /** NIR birth department against the postcode: informative only (people move). */
    nirPostcode?: Share;
    /** Email local part holding the first or last name. */
    emailName?: Share;
  };
  distributions: {
    /** Birth years between 1920 and 2012. */
    birthYears?: Share;
    /** Phones that are mobiles (06, 07 and the overseas mobile ranges). */
    mobiles?: Share;
    /** Emails at the usual French consumer providers. */
    providers?: Share;
    /** Distinct NIR birth departments. */
    departments?: number;
  };
  duplicates: {
    /** Rows repeating a person already seen in the sample (same first identifier). */
    rows: Share;
    kinds: Partial<Record<IdentifierKind, Share>>;
  };
  overlaps: LeakOverlap[];
  elapsedMs: number;
}

interface ClaimOptions {
  file: string;
  store: Store;
  key: Uint8Array;
  clock?: () => number;
}

/** Values needed for a class's validity to weigh in the verdict. */
const MIN_VALUES = 20;
/** A class validating less than this is not real data (real leaks: 95–100 %). */
const MIN_VALIDITY = 0.5;
/** A sample this much inside one earlier leak is recycled from it. */
const RECYCLED_SHARE = 0.2;
/** Overlaps below this are not worth naming. */
const NAMED_OVERLAP = 0.01;
/** The big consumer email providers in France. */
const PROVIDERS: ReadonlySet<string> = new Set([
  'gmail.com',
  'orange.fr',
  'wanadoo.fr',
  'free.fr',
  'sfr.fr',
  'neuf.fr',
  'hotmail.fr',
  'hotmail.com',
  'live.fr',
  'outlook.fr',
  'outlook.com',
  'msn.com',
  'yahoo.fr',
  'yahoo.com',
  'laposte.net',
  'icloud.com',
  'me.com',
  'aol.com',
  'bbox.fr',
  'club-internet.fr',
  'numericable.fr',
  'aliceadsl.fr',
  'gmx.fr',
  'protonmail.com',
  'proton.me',
]);
const MOBILE = /^\+(33[67]|590690|590691|596696|596697|594694|262692|262693|262639)/;
/** Classes whose validity says most about fabrication (a checksum or a tight plan). */
const CHECKED: readonly DataClassKey[] = ['nir', 'iban', 'siret', 'phone', 'email', 'dob'];
const WHY_INVALID: Partial<Record<DataClassKey, string>> = {
  nir: 'fail their key (about 1 % of random 15-digit numbers pass; real data about 100 %)',
  iban: 'fail their check digits',
  siret: 'fail their Luhn check',
  phone: 'are not numbers of the French plan',
  email: 'are not email addresses',
  dob: 'are not possible dates of birth',
};

const share = (n: number, of: number): Share => ({ n, of, share: of === 0 ? 0 : n / of });
const pct = (s: Share): string => `${Math.round(s.share * 1000) / 10} %`;
const num = (n: number): string => n.toLocaleString('en-US');
const letters = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[^a-z]/gi, '')
    .toLowerCase();

/** The birth department of a canonical NIR (2A/2B, 97x, 99 abroad), and of a postcode. */
function nirDepartment(nir: string): string {
  return nir.startsWith('97') ? nir.slice(5, 8) : nir.slice(5, 7);
}
function postcodeDepartment(pc: string): string {
  if (pc.startsWith('97')) return pc.slice(0, 3);
  if (pc.startsWith('20')) return Number(pc) < 20200 ? '2A' : '2B';
  return pc.slice(0, 2);
}

class Counter {
  n = 0;
  of = 0;
  add(ok: boolean): void {
    this.of++;
    if (ok) this.n++;
  }
  get share(): Share {
    return share(this.n, this.of);
  }
}

interface Col {
  index: number;
  kind: FieldKind;
  norm: Normaliser;
}

/** Per row: the canonical values the cross-field checks read, through the ingest's normalisers. */
function rowValues(row: Cell[], cols: Col[]) {
  const v: { nir?: string; dob?: string; gender?: string; postcode?: string; email?: string; names: string[] } = { names: [] };
  for (const c of cols) {
    const raw = row[c.index];
    if (raw == null || raw.trim() === '') continue;
    const canon = c.norm(raw);
    if (canon === null) continue;
    if (c.kind === 'lastName' || c.kind === 'firstName' || c.kind === 'fullName') v.names.push(canon);
    else if (c.kind === 'nir' || c.kind === 'dob' || c.kind === 'gender' || c.kind === 'postcode' || c.kind === 'email') v[c.kind] ??= canon;
  }
  return v;
}

/** Assesses the sample; throws as the ingest's readers do when the file cannot be read. */
export async function assessClaim(opts: ClaimOptions): Promise<ClaimAssessment> {
  const clock = opts.clock ?? Date.now;
  const started = clock();
  // Account identifiers mean something only inside their own leak: not compared across leaks.
  const sink = new RowSink(opts.key, 'verify-claim');
  const valid = new Float64Array(32);
  const invalid = new Float64Array(32);
  const nirSex = new Counter();
  const nirBirth = new Counter();
  const nirPostcode = new Counter();
  const emailName = new Counter();
  const birthYears = new Counter();
  const mobiles = new Counter();
  const providers = new Counter();
  const departments = new Set<string>();
  const distinct = new Map<IdentifierKind, Set<string>>();
  const seen = new Map<IdentifierKind, number>();
  const people = new Set<string>();
  let repeatedRows = 0;
  let identifiedRows = 0;
  let rows = 0;
  let skipped = 0;
  let processor: RecordProcessor | null = null;
  let cols: Col[] = [];

  const absorb = (batch: Cell[][]): void => {
    if (!processor) return;
    const r = processor.process(batch);
    r.valid.forEach((n, i) => {
      valid[i] = (valid[i] ?? 0) + n;
    });
    r.invalid.forEach((n, i) => {
      invalid[i] = (invalid[i] ?? 0) + n;
    });
    const p = r.pseudonyms ?? Buffer.alloc(0);
    const rowOf = r.masks ?? new Uint32Array(0);
    const kinds = r.kinds ?? new Uint8Array(0);
    let lastRow = -1;
    rowOf.forEach((row, k) => {
      const kind = IdentifierKinds[kinds[k] ?? 0] ?? 'account';
      if (kind === 'account') return;
      const id = p.toString('latin1', k * PSEUDONYM_BYTES, (k + 1) * PSEUDONYM_BYTES);
      seen.set(kind, (seen.get(kind) ?? 0) + 1);
      let set = distinct.get(kind);
      if (!set) distinct.set(kind, (set = new Set()));
      set.add(id);
      if (row !== lastRow) {
        // A row's first identifier stands for its person, as the ingest counts people.
        lastRow = row;
        identifiedRows++;
        const person = `${kind}\0${id}`;
        if (people.has(person)) repeatedRows++;
        else people.add(person);
      }
    });
    for (const row of batch) {
      const v = rowValues(row, cols);
      if (v.dob) birthYears.add(Number(v.dob.slice(0, 4)) >= 1920 && Number(v.dob.slice(0, 4)) <= 2012);
      if (v.nir) {
        departments.add(nirDepartment(v.nir));
        if (v.gender) nirSex.add((v.nir[0] === '1' || v.nir[0] === '3' || v.nir[0] === '7' ? 'M' : 'F') === v.gender);
        if (v.dob) {
          const month = Number(v.nir.slice(3, 5));
          // Months 20, 30–42 and 50–99 stand for an unknown month of birth.
          const monthOk = month > 12 || v.nir.slice(3, 5) === v.dob.slice(5, 7);
          nirBirth.add(v.nir.slice(1, 3) === v.dob.slice(2, 4) && monthOk);
        }
        if (v.postcode && !v.nir.startsWith('99', 5)) nirPostcode.add(postcodeDepartment(v.postcode) === nirDepartment(v.nir));
      }
      if (v.email) {
        const at = v.email.lastIndexOf('@');
        providers.add(PROVIDERS.has(v.email.slice(at + 1)));
        if (v.names.length > 0) {
          const local = letters(v.email.slice(0, at));
          const parts = v.names.flatMap((n) => n.split(/[\s-]+/)).map(letters);
          emailName.add(parts.some((w) => w.length >= 3 && local.includes(w)));
        }
      }
    }
    for (const row of batch) {
      for (const c of cols) {
        if (c.kind !== 'phone') continue;
        const raw = row[c.index];
        const e164 = raw == null ? null : c.norm(raw);
        if (e164 !== null) mobiles.add(MOBILE.test(e164));
      }
    }
  };

  let pending: Cell[][] = [];
  for await (const ev of readRecognised(opts.file)) {
    if (ev.kind === 'table') {
      absorb(pending);
      pending = [];
      processor = new RecordProcessor({ columns: ev.columns }, sink);
      // The ingest's normaliser for each column, spreadsheet repairs included where the column agrees.
      cols = ev.columns.flatMap((c) => (c.kind ? [{ index: c.index, kind: c.kind, norm: columnNormaliser(c.kind, c.confidence) }] : []));
    } else if (ev.kind === 'rows') {
      rows += ev.rows.length;
      for (const r of ev.rows) pending.push(r);
      if (pending.length >= 4096) {
        absorb(pending);
        pending = [];
      }
    } else {
      rows++;
      skipped++;
    }
  }
  absorb(pending);

  const validity: ClaimAssessment['validity'] = {};
  for (const key of Object.keys(DataClassBits) as DataClassKey[]) {
    const b = DataClassBits[key];
    const ok = valid[b] ?? 0;
    const total = ok + (invalid[b] ?? 0);
    if (total > 0) validity[key] = share(ok, total);
  }
  const dupKinds: ClaimAssessment['duplicates']['kinds'] = {};
  for (const [kind, set] of distinct) dupKinds[kind] = share((seen.get(kind) ?? 0) - set.size, seen.get(kind) ?? 0);

  // Overlap: every distinct identifier of the sample, looked up in every leak.
  const order = [...distinct.entries()];
  const all = Buffer.from(order.map(([, s]) => [...s].join('')).join(''), 'latin1');
  const overlaps: LeakOverlap[] = [];
  for (const e of await opts.store.listBreaches()) {
    const masks = await opts.store.lookupMany(e.breach.Name, all);
    let at = 0;
    let found = 0;
    const kinds: LeakOverlap['kinds'] = {};
    for (const [kind, set] of order) {
      let n = 0;
      for (let i = 0; i < set.size; i++) if (masks[at + i] !== 0) n++;
      at += set.size;
      found += n;
      kinds[kind] = share(n, set.size);
    }
    overlaps.push({ breach: e.breach.Name, title: e.breach.Title, identifiers: share(found, masks.length), kinds });
  }
  overlaps.sort((a, b) => b.identifiers.share - a.identifiers.share || a.breach.localeCompare(b.breach));

  const assessment: ClaimAssessment = {
    verdict: 'plausible',
    evidence: [],
    rows,
    skipped,
    validity,
    consistency: {},
    distributions: {},
    duplicates: { rows: share(repeatedRows, identifiedRows), kinds: dupKinds },
    overlaps: overlaps.filter((o) => o.identifiers.share >= NAMED_OVERLAP),
    elapsedMs: 0,
  };
  const c = assessment.consistency;
  if (nirSex.of > 0) c.nirSex = nirSex.share;
  if (nirBirth.of > 0) c.nirBirth = nirBirth.share;
  if (nirPostcode.of > 0) c.nirPostcode = nirPostcode.share;
  if (emailName.of > 0) c.emailName = emailName.share;
  const d = assessment.distributions;
  if (birthYears.of > 0) d.birthYears = birthYears.share;
  if (mobiles.of > 0) d.mobiles = mobiles.share;
  if (providers.of > 0) d.providers = providers.share;
  if (departments.size > 0) d.departments = departments.size;
  judge(assessment);
  assessment.elapsedMs = Math.max(1, clock() - started);
  return assessment;
}

/** The verdict and its evidence, from the measures: fabrication first, then recycling. */
function judge(a: ClaimAssessment): void {
  const fake: string[] = [];
  for (const key of CHECKED) {
    const v = a.validity[key];
    if (v && v.of >= MIN_VALUES && v.share < MIN_VALIDITY) {
      fake.push(`${pct(share(v.of - v.n, v.of))} of the ${DataClasses[key].toLowerCase()} (${num(v.of - v.n)} of ${num(v.of)}) ${WHY_INVALID[key]}`);
    }
  }
  const { nirBirth, nirSex, emailName } = a.consistency;
  if (nirBirth && nirBirth.of >= MIN_VALUES && nirBirth.share < MIN_VALIDITY) {
    fake.push(`only ${pct(nirBirth)} of the valid NIR agree with the date of birth on their row (real data: nearly all)`);
  }
  if (nirSex && nirSex.of >= MIN_VALUES && nirSex.share < MIN_VALIDITY) {
    fake.push(`only ${pct(nirSex)} of the valid NIR agree with the gender on their row (real data: nearly all)`);
  }
  const providers = a.distributions.providers;
  if (providers && providers.of >= MIN_VALUES && providers.share < 0.1 && (!emailName || emailName.of < MIN_VALUES || emailName.share < 0.2)) {
    const names = emailName && emailName.of >= MIN_VALUES ? ` and only ${pct(emailName)} hold the name on their row` : '';
    fake.push(`only ${pct(providers)} of the emails are at the usual French providers (real data: most)${names}`);
  }
  const recycled = a.overlaps.filter((o) => o.identifiers.share >= RECYCLED_SHARE);
  const named = a.overlaps.map(
    (o) => `${pct(o.identifiers)} of the sample's identifiers (${num(o.identifiers.n)} of ${num(o.identifiers.of)}) are in ${o.breach}`,
  );
  if (fake.length > 0) {
    a.verdict = 'fabricated';
    a.evidence = [...fake, ...named];
    return;
  }
  if (recycled.length > 0) {
    a.verdict = 'recycled';
    a.evidence = [...named];
  } else {
    a.verdict = 'plausible';
    a.evidence = [a.overlaps.length === 0 ? 'none of its identifiers is in any leak Vigie holds' : `little overlap with known leaks: ${named.join('; ')}`];
  }
  const checked = CHECKED.flatMap((k) => {
    const v = a.validity[k];
    return v && v.of >= MIN_VALUES ? [`${DataClasses[k].toLowerCase()} ${pct(v)}`] : [];
  });
  if (checked.length > 0) a.evidence.push(`its values validate like real data: ${checked.join(', ')}`);
  else a.evidence.push(`too few checkable values (NIR, IBAN, SIRET, phones, emails, dates) to judge its plausibility: fewer than ${MIN_VALUES} of each`);
  if (nirBirth && nirBirth.of >= MIN_VALUES) a.evidence.push(`${pct(nirBirth)} of the NIR agree with the date of birth`);
  if (emailName && emailName.of >= MIN_VALUES) a.evidence.push(`${pct(emailName)} of the emails hold the name on their row`);
  if (a.duplicates.rows.n > 0) a.evidence.push(`${pct(a.duplicates.rows)} of its rows repeat a person already in it`);
}
