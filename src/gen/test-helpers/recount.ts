/**
 * An independent recount of a generated file, for tests: it parses the written bytes with
 * third-party parsers (papaparse, JSON.parse) and validates values with its own rules or
 * third-party validators (libphonenumber-js, ibantools), never with the generator's code.
 * If the generator's ground truth agrees with this, it describes the file, not its intentions.
 */
import { isValidIBAN } from 'ibantools';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import Papa from 'papaparse';

export type Row = Map<string, string | null>;

/** National prefixes of overseas numbers → their region (ARCEP allocations). */
const OVERSEAS: Record<string, CountryCode> = {
  '0690': 'GP',
  '0691': 'GP',
  '0590': 'GP',
  '0696': 'MQ',
  '0697': 'MQ',
  '0596': 'MQ',
  '0694': 'GF',
  '0594': 'GF',
  '0692': 'RE',
  '0693': 'RE',
  '0262': 'RE',
  '0263': 'RE',
  '0639': 'YT',
  '0269': 'YT',
};

/** E.164 of a French phone writing, in its own region, or null if it does not validate. */
export function canonPhone(text: string): string | null {
  const s = text.replace(/[\s.-]/g, '');
  let parsed: ReturnType<typeof parsePhoneNumberFromString>;
  if (s.startsWith('+')) parsed = parsePhoneNumberFromString(s);
  else if (s.startsWith('00')) parsed = parsePhoneNumberFromString(`+${s.slice(2)}`);
  else if (/^0\d{9}$/.test(s)) parsed = parsePhoneNumberFromString(s, OVERSEAS[s.slice(0, 4)] ?? 'FR');
  else return null;
  return parsed?.isValid() ? parsed.number : null;
}

export function canonEmail(text: string): string | null {
  const s = text.trim().toLowerCase();
  return /^[a-z0-9._-]{1,64}@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/.test(s) ? s : null;
}

/** The NIR key rule, written from INSEE's definition with BigInt (independent of checks.ts). */
export function nirValid(text: string): string | null {
  const s = text.replace(/\s/g, '').toUpperCase();
  const m = /^([12])(\d{2})(0[1-9]|1[0-2]|20|3\d|4[0-2]|[5-9]\d)(\d{2}|2A|2B)(\d{3})(\d{3})(\d{2})$/.exec(s);
  if (!m) return null;
  const body = s.slice(0, 13).replace('2A', '19').replace('2B', '18');
  const key = 97n - (BigInt(body) % 97n);
  return key === BigInt(m[7] as string) ? s : null;
}

/** `YYYY-MM-DD` of a written birth date, or null for impossible dates. */
export function canonDate(text: string): string | null {
  let y: number, mo: number, d: number;
  let m = /^(\d{2})[/-](\d{2})[/-](\d{4})$/.exec(text);
  if (m) [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text))) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else return null;
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return dt.toISOString().slice(0, 10);
}

export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let n = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) n = n * 2 > 9 ? n * 2 - 9 : n * 2;
    sum += n;
  }
  return sum % 10 === 0;
}

export function canonSiret(text: string): string | null {
  const s = text.replace(/\s/g, '');
  return /^\d{14}$/.test(s) && luhn(s) && luhn(s.slice(0, 9)) ? s : null;
}

export function canonIban(text: string): string | null {
  const s = text.replace(/\s/g, '').toUpperCase();
  return isValidIBAN(s) ? s : null;
}

function foldWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z]+/)
    .filter((w) => w.length > 0);
}

/** Data-class counts and people, recounted from parsed rows and the truth's column classes. */
export function recount(rows: Row[], columns: { name: string; dataClass: string | null }[]) {
  const classes: Record<string, { valid: number; invalid: number; distinct: Set<string> }> = {};
  const cls = (name: string) => (classes[name] ??= { valid: 0, invalid: 0, distinct: new Set() });
  for (const c of columns) if (c.dataClass) cls(c.dataClass);
  const hasComment = columns.some((c) => c.dataClass === null);
  if (hasComment) [cls('Email addresses'), cls('Phone numbers')];
  const people = new Set<string>();
  const check = (name: string, canon: (s: string) => string | null, raw: string) => {
    const v = canon(raw);
    if (v === null) cls(name).invalid++;
    else {
      cls(name).valid++;
      cls(name).distinct.add(v);
    }
    return v;
  };
  for (const row of rows) {
    const names: string[] = [];
    const addr: string[] = [];
    let nir: string | null = null;
    let email: string | null = null;
    let phone: string | null = null;
    let dob: string | null = null;
    for (const c of columns) {
      const raw = row.get(c.name);
      if (raw === null || raw === undefined || raw === '') continue;
      switch (c.dataClass) {
        case 'Names':
          names.push(raw);
          break;
        case 'Physical addresses':
          addr.push(raw.trim().toLowerCase());
          break;
        case 'Email addresses':
          email = check(c.dataClass, canonEmail, raw) ?? email;
          break;
        case 'Phone numbers':
          phone = check(c.dataClass, canonPhone, raw) ?? phone;
          break;
        case 'Dates of birth':
          dob = check(c.dataClass, canonDate, raw);
          break;
        case 'Social security numbers':
          nir = check(c.dataClass, nirValid, raw);
          break;
        case 'Bank account numbers':
          check(c.dataClass, canonIban, raw);
          break;
        case 'SIREN/SIRET numbers':
          check(c.dataClass, canonSiret, raw);
          break;
        case 'Passwords':
          check(c.dataClass, (s) => (/^\$2y\$10\$[./A-Za-z0-9]{53}$/.test(s) ? s : null), raw);
          break;
        case 'Genders':
          check(c.dataClass, (s) => (s === 'M.' || s === 'Mme' ? s : null), raw);
          break;
        case 'Employers':
        case 'Account identifiers':
          check(c.dataClass, (s) => s, raw);
          break;
        case null: {
          for (const e of raw.match(/[A-Za-z0-9._-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g) ?? []) {
            const v = check('Email addresses', canonEmail, e);
            email ??= v;
          }
          const rest = raw.replace(/\S+@\S+/g, ' ');
          for (const p of rest.match(/(?:\+\d{2,3}|00\d{2,3}|0)[\d .-]{8,16}\d/g) ?? []) {
            const v = check('Phone numbers', canonPhone, p);
            phone ??= v;
          }
          break;
        }
      }
    }
    const nameKey = foldWords(names.join(' ')).sort().join(' ');
    if (names.length > 0) {
      cls('Names').valid++;
      cls('Names').distinct.add(nameKey);
    }
    if (addr.length > 0) {
      cls('Physical addresses').valid++;
      cls('Physical addresses').distinct.add(addr.join('|'));
    }
    if (nir) people.add(`n:${nir}`);
    else if (email) people.add(`e:${email}`);
    else if (phone) people.add(`p:${phone}`);
    else if (names.length > 0 && dob) people.add(`d:${nameKey}|${dob}`);
  }
  const dataClasses: Record<string, { valid: number; invalid: number; distinct: number }> = {};
  for (const [k, v] of Object.entries(classes)) dataClasses[k] = { valid: v.valid, invalid: v.invalid, distinct: v.distinct.size };
  return { rows: rows.length, people: people.size, dataClasses };
}

/** Rows of a CSV text, and how many had a field count other than the header's. */
export function parseCsv(text: string, delimiter: string): { rows: Row[]; malformed: number; header: string[] } {
  const parsed = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: true });
  const [header, ...data] = parsed.data;
  const rows: Row[] = [];
  let malformed = 0;
  for (const r of data) {
    if (r.length !== header!.length) malformed++;
    else rows.push(new Map(header!.map((h, i) => [h, r[i] ?? null])));
  }
  return { rows, malformed, header: header! };
}

/** Flattens a JSON record the way Vigie's JSON reader names columns. */
export function flatten(obj: unknown, prefix = '', out: Row = new Map()): Row {
  if (Array.isArray(obj))
    obj.forEach((v, i) => {
      flatten(v, `${prefix}[${i}]`, out);
    });
  else if (obj !== null && typeof obj === 'object') for (const [k, v] of Object.entries(obj)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  else out.set(prefix, obj === null ? null : String(obj));
  return out;
}

/** Rows of an NDJSON text, and how many lines were not valid JSON. */
export function parseNdjson(text: string): { rows: Row[]; malformed: number } {
  const rows: Row[] = [];
  let malformed = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      rows.push(flatten(JSON.parse(line)));
    } catch {
      malformed++;
    }
  }
  return { rows, malformed };
}

/**
 * Rows of a MySQL-flavoured INSERT script: a small scanner for `VALUES (...),(...);` with
 * mysqldump's backslash escapes and NULL. Column names come from the CREATE TABLE lines.
 */
export function parseMysqlInserts(text: string): { rows: Row[]; header: string[] } {
  const header = [...text.matchAll(/^ {2}`([^`]+)` /gm)].map((m) => m[1] as string);
  const rows: Row[] = [];
  const unescapes: Record<string, string> = { n: '\n', r: '\r', '0': '\0', Z: '\x1a' };
  let i = text.indexOf('INSERT INTO');
  while (i >= 0 && i < text.length) {
    i = text.indexOf('VALUES ', i) + 7;
    for (;;) {
      if (text[i] !== '(') throw new Error(`expected ( at ${i}`);
      i++;
      const cells: (string | null)[] = [];
      for (;;) {
        if (text.startsWith('NULL', i)) {
          cells.push(null);
          i += 4;
        } else if (text[i] === "'") {
          let v = '';
          i++;
          while (text[i] !== "'") {
            if (text[i] === '\\') {
              const c = text[i + 1] as string;
              v += unescapes[c] ?? c;
              i += 2;
            } else v += text[i++];
          }
          i++;
          cells.push(v);
        } else throw new Error(`unexpected ${text[i]} at ${i}`);
        if (text[i] === ',') i++;
        else if (text[i] === ')') break;
      }
      i++;
      rows.push(new Map(header.map((h, k) => [h, cells[k] ?? null])));
      if (text[i] === ',') i++;
      else break;
    }
    i = text.indexOf('INSERT INTO', i);
  }
  return { rows, header };
}
