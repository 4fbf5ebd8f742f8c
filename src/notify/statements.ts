/**
 * What the operator states, as opposed to what Vigie measured: the organisation profile and,
 * per leak, the facts of the incident the CNIL's notification form asks for. Each field is
 * checked once here, whether it comes from `vigie org set` / `vigie incident set` or back from
 * the store (a stored document is re-checked: an older Vigie or a hand edit could have written it).
 */
import { VigieError } from '../errors.js';
import { normaliseSiren } from '../normalise/index.js';
import type { Statement } from '../store/index.js';

const NOTIFICATION_TYPES = ['initial', 'complementary', 'complete'] as const;
const ORIGINS = [
  'lost-equipment',
  'stolen-equipment',
  'lost-paper',
  'hacking',
  'ransomware',
  'phishing',
  'wrong-recipient',
  'unintended-publication',
  'other',
] as const;
const CAUSES = ['internal-malicious', 'internal-accidental', 'external-malicious', 'external-accidental', 'unknown'] as const;
const NATURES = ['confidentiality', 'integrity', 'availability'] as const;
const PEOPLE_CATEGORIES = ['customers', 'prospects', 'users', 'members', 'employees', 'patients', 'students', 'minors', 'vulnerable', 'other'] as const;
const INFORMED = ['yes', 'planned', 'undetermined', 'no'] as const;
/** GDPR art. 34(3): (a) data unintelligible, (b) the high risk no longer likely, (c) disproportionate effort (public communication instead). */
const NOT_INFORMED_GROUNDS = ['34-3-a', '34-3-b', '34-3-c'] as const;

export type NotificationType = (typeof NOTIFICATION_TYPES)[number];
export type Origin = (typeof ORIGINS)[number];
export type Cause = (typeof CAUSES)[number];
export type Nature = (typeof NATURES)[number];
export type PeopleCategory = (typeof PEOPLE_CATEGORIES)[number];
export type Informed = (typeof INFORMED)[number];
export type NotInformedGround = (typeof NOT_INFORMED_GROUNDS)[number];

interface Contact {
  name?: string;
  email?: string;
  phone?: string;
}

/** The organisation responsible (the controller), as `vigie org set` records it. */
export interface OrgProfile {
  name?: string;
  siren?: string;
  sector?: string;
  headcount?: number;
  address?: string;
  /** The legal representative: name and title. */
  representative?: string;
  contact?: Contact;
  dpo?: Contact;
  processors?: string[];
  jointControllers?: string[];
}

/** What the operator states about one incident, as `vigie incident set` records it. */
export interface Incident {
  type?: NotificationType;
  /** The CNIL's reference of the initial notification, for a complementary one. */
  initialReference?: string;
  /** YYYY-MM-DD */
  started?: string;
  /** YYYY-MM-DD; absent while `ongoing`. */
  ended?: string;
  ongoing?: boolean;
  /** When the organisation became aware: ISO 8601 in UTC, to the second. */
  aware?: string;
  discovery?: string;
  delayReasons?: string;
  origin?: Origin;
  cause?: Cause;
  nature?: Nature[];
  peopleCategories?: PeopleCategory[];
  measuresBefore?: string;
  measuresAfter?: string;
  informed?: Informed;
  notInformedGround?: NotInformedGround;
  crossBorder?: boolean;
  /** ISO 3166-1 alpha-2 codes of the other countries concerned. */
  countries?: string[];
}

const TEXT_MAX = 4000;
const DAY = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 .()-]{6,20}$/;
const COUNTRY = /^[A-Z]{2}$/;

function bad(field: string, expected: string): VigieError {
  return new VigieError('VIGIE_USAGE', `--${field} ${expected}`);
}

function text(field: string, v: unknown): string {
  if (typeof v !== 'string' || v.trim() === '' || v.length > TEXT_MAX) throw bad(field, `takes a text of 1 to ${TEXT_MAX} characters`);
  return v.trim();
}

function oneOf<T extends string>(field: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !allowed.includes(v as T)) throw bad(field, `takes one of ${allowed.join(', ')}`);
  return v as T;
}

function listOf<T extends string>(field: string, v: unknown, allowed: readonly T[]): T[] {
  const items = typeof v === 'string' ? v.split(',').map((s) => s.trim()) : v;
  if (!Array.isArray(items) || items.length === 0) throw bad(field, `takes a comma-separated list of ${allowed.join(', ')}`);
  const out = items.map((x) => oneOf(field, x, allowed));
  return [...new Set(out)];
}

function textList(field: string, v: unknown): string[] {
  const items = Array.isArray(v) ? v : [v];
  if (items.length === 0 || items.length > 50) throw bad(field, 'takes 1 to 50 names');
  return items.map((x) => text(field, x));
}

/** A calendar date that exists (2026-02-30 does not). */
function day(field: string, v: unknown): string {
  const m = typeof v === 'string' ? DAY.exec(v) : null;
  const d = m ? new Date(`${v as string}T00:00:00Z`) : null;
  if (!d || d.toISOString().slice(0, 10) !== v) throw bad(field, 'takes a calendar date written YYYY-MM-DD');
  return v as string;
}

/** A moment with its time zone (`2026-11-01T14:30+01:00` or `…Z`), kept in UTC to the second. */
function instant(field: string, v: unknown): string {
  const ms = typeof v === 'string' && INSTANT.test(v) ? Date.parse(v) : Number.NaN;
  if (Number.isNaN(ms)) throw bad(field, 'takes a date and time with its time zone, such as 2026-11-01T14:30+01:00 or 2026-11-01T13:30Z');
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function bool(field: string, v: unknown): boolean {
  if (v === true || v === 'yes') return true;
  if (v === false || v === 'no') return false;
  throw bad(field, 'takes yes or no');
}

function contact(prefix: string, v: unknown, withPhone: boolean): Contact {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(prefix, 'must be an object');
  const c = v as Record<string, unknown>;
  const out: Contact = {};
  if (c['name'] !== undefined) out.name = text(`${prefix}-name`, c['name']);
  if (c['email'] !== undefined) {
    const e = text(`${prefix}-email`, c['email']);
    if (!EMAIL.test(e)) throw bad(`${prefix}-email`, 'takes an email address');
    out.email = e;
  }
  if (withPhone && c['phone'] !== undefined) {
    const p = text(`${prefix}-phone`, c['phone']);
    if (!PHONE.test(p)) throw bad(`${prefix}-phone`, 'takes a phone number (digits, spaces, + . - ( ))');
    out.phone = p;
  }
  return out;
}

/** Checks an organisation profile field by field; unknown fields are refused. */
export function checkOrgProfile(v: Statement): OrgProfile {
  const out: OrgProfile = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined) continue;
    switch (k) {
      case 'name':
      case 'sector':
      case 'address':
      case 'representative':
        out[k] = text(k, x);
        break;
      case 'siren': {
        const s = typeof x === 'string' ? normaliseSiren(x) : null;
        if (!s) throw bad('siren', 'takes a SIREN: 9 digits whose Luhn key is right');
        out.siren = s;
        break;
      }
      case 'headcount': {
        const n = typeof x === 'string' && /^\d{1,9}$/.test(x) ? Number(x) : x;
        if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw bad('headcount', 'takes a whole number of people');
        out.headcount = n;
        break;
      }
      case 'contact':
        out.contact = contact('contact', x, true);
        break;
      case 'dpo':
        out.dpo = contact('dpo', x, false);
        break;
      case 'processors':
        out.processors = textList('processor', x);
        break;
      case 'jointControllers':
        out.jointControllers = textList('joint-controller', x);
        break;
      default:
        throw new VigieError('VIGIE_USAGE', `the organisation profile has an unknown field ${JSON.stringify(k.slice(0, 40))}`);
    }
  }
  return out;
}

/** Checks an incident statement field by field, then the fields that go together. */
export function checkIncident(v: Statement): Incident {
  const out: Incident = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined) continue;
    switch (k) {
      case 'type':
        out.type = oneOf('type', x, NOTIFICATION_TYPES);
        break;
      case 'initialReference':
        out.initialReference = text('initial-reference', x);
        break;
      case 'started':
      case 'ended':
        out[k] = day(k, x);
        break;
      case 'ongoing':
        out.ongoing = bool('ongoing', x);
        break;
      case 'aware':
        out.aware = instant('aware', x);
        break;
      case 'discovery':
      case 'measuresBefore':
      case 'measuresAfter':
      case 'delayReasons':
        out[k] = text(
          k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`),
          x,
        );
        break;
      case 'origin':
        out.origin = oneOf('origin', x, ORIGINS);
        break;
      case 'cause':
        out.cause = oneOf('cause', x, CAUSES);
        break;
      case 'nature':
        out.nature = listOf('nature', x, NATURES);
        break;
      case 'peopleCategories':
        out.peopleCategories = listOf('people-categories', x, PEOPLE_CATEGORIES);
        break;
      case 'informed':
        out.informed = oneOf('informed', x, INFORMED);
        break;
      case 'notInformedGround':
        out.notInformedGround = oneOf('not-informed-ground', x, NOT_INFORMED_GROUNDS);
        break;
      case 'crossBorder':
        out.crossBorder = bool('cross-border', x);
        break;
      case 'countries': {
        const list = (typeof x === 'string' ? x.split(',') : Array.isArray(x) ? x : [x]).map((c) => (typeof c === 'string' ? c.trim().toUpperCase() : c));
        if (list.length === 0 || !list.every((c) => typeof c === 'string' && COUNTRY.test(c))) {
          throw bad('countries', 'takes ISO 3166 two-letter country codes, comma-separated (DE,BE)');
        }
        out.countries = [...new Set(list as string[])];
        break;
      }
      default:
        throw new VigieError('VIGIE_USAGE', `the incident statement has an unknown field ${JSON.stringify(k.slice(0, 40))}`);
    }
  }
  if (out.ended && out.ongoing) throw new VigieError('VIGIE_USAGE', '--ended and --ongoing contradict each other: give one');
  if (out.started && out.ended && out.ended < out.started) throw new VigieError('VIGIE_USAGE', '--ended is before --started');
  if (out.notInformedGround && out.informed !== 'no') throw new VigieError('VIGIE_USAGE', '--not-informed-ground goes with --informed no');
  if (out.countries && out.crossBorder === false) throw new VigieError('VIGIE_USAGE', '--countries goes with --cross-border yes');
  return out;
}

/**
 * Merges a change into what was stated before: a field given replaces the old one, a field
 * given as an empty text is removed, the others are kept; contacts merge field by field.
 * Fields that exclude each other are settled here: `ended` ends `ongoing` and the reverse.
 * @example mergeStatement({ name: 'A', siren: '552100554' }, { name: 'B' }) // { name: 'B', siren: '552100554' }
 */
export function mergeStatement(before: Statement, change: Statement): Statement {
  const out: Statement = { ...before };
  for (const [k, v] of Object.entries(change)) {
    if (v === undefined) continue;
    if (v === '') delete out[k];
    else if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const merged = mergeStatement((out[k] as Statement | undefined) ?? {}, v as Statement);
      if (Object.keys(merged).length === 0) delete out[k];
      else out[k] = merged;
    } else out[k] = v;
  }
  if (change['ended'] !== undefined && change['ended'] !== '') delete out['ongoing'];
  if (change['ongoing'] === true) delete out['ended'];
  if (change['informed'] !== undefined && change['informed'] !== 'no') delete out['notInformedGround'];
  if (change['crossBorder'] === false || change['crossBorder'] === 'no') delete out['countries'];
  return out;
}
