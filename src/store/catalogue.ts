/**
 * Engine-independent catalogue logic: the breach row as both engines store it, its mapping to
 * HIBP's Breach, how a commit changes it, and the rules that decide what a load may do. Keeping
 * it here is what makes the two engines behave the same (docs/architecture.md §5.5).
 */
import { classesFromMask } from '../dataclasses.js';
import type { DataClassKey } from '../dataclasses.js';
import { VigieError } from '../errors.js';
import type { Breach, BreachEntry, BreachFile, BreachInput, BreachStats, LoadStats } from './store.js';
import { maskOfClassCounts } from './validate.js';
import { sketchCount, STORED_EXACT_MAX, unionSketches } from '../sketch.js';

/** HIBP's boolean flags the caller may set, and their columns. IsRetired is the store's own. */
export const FLAGS = [
  ['IsVerified', 'is_verified'],
  ['IsFabricated', 'is_fabricated'],
  ['IsSensitive', 'is_sensitive'],
  ['IsSpamList', 'is_spam_list'],
  ['IsMalware', 'is_malware'],
  ['IsSubscriptionFree', 'is_subscription_free'],
  ['IsStealerLog', 'is_stealer_log'],
] as const;

type FlagColumn = (typeof FLAGS)[number][1];

/** The breach columns both engines write, in one order. */
export const BREACH_COLUMNS = [
  'name',
  'title',
  'domain',
  'breach_date',
  'added_date',
  'modified_date',
  'pwn_count',
  'description',
  'logo_path',
  'data_class_mask',
  'identifiers',
  'is_retired',
  'stats',
  ...FLAGS.map(([, col]) => col),
] as const;

/** A breach row, as both engines read and write it (booleans and numbers normalised). */
export type BreachRow = {
  id: number;
  name: string;
  title: string;
  domain: string;
  breach_date: string | null;
  added_date: string;
  modified_date: string;
  pwn_count: number;
  description: string;
  logo_path: string;
  data_class_mask: number;
  identifiers: number;
  is_retired: boolean;
  stats: StoredStats;
} & Record<FlagColumn, boolean>;

/** How an engine's driver gives back what it stored: booleans, counts, the stats column. */
export interface RowCodec {
  bool(v: unknown): boolean;
  count(v: unknown): number;
  stats(v: unknown): StoredStats;
}

/** A `breaches` row as the driver returned it, in the form both engines share. */
export function breachRowFrom(r: Record<string, unknown>, codec: RowCodec): BreachRow {
  const row = {
    id: codec.count(r['id']),
    name: r['name'] as string,
    title: r['title'] as string,
    domain: r['domain'] as string,
    breach_date: r['breach_date'] as string | null,
    added_date: r['added_date'] as string,
    modified_date: r['modified_date'] as string,
    pwn_count: codec.count(r['pwn_count']),
    description: r['description'] as string,
    logo_path: r['logo_path'] as string,
    data_class_mask: codec.count(r['data_class_mask']),
    identifiers: codec.count(r['identifiers']),
    is_retired: codec.bool(r['is_retired']),
    stats: codec.stats(r['stats']),
  } as BreachRow;
  for (const [, col] of FLAGS) row[col] = codec.bool(r[col]);
  return row;
}

/** The JSON column: the loads' statistics summed. */
export type StoredStats = LoadStats & { loads: number };

export function emptyStats(): StoredStats {
  return { records: 0, skipped: 0, people: 0, classCounts: {}, invalidCounts: {}, formats: [], loads: 0 };
}

function addCounts(a: Partial<Record<DataClassKey, number>>, b: Partial<Record<DataClassKey, number>>): Partial<Record<DataClassKey, number>> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b) as [DataClassKey, number][]) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** The people of a leak after a load, and the sketch to keep for the next (null: none). */
interface LeakPeople {
  people: number;
  /** Relative standard error, 0 when exact. */
  error: number;
  sketch: Buffer | null;
}

/**
 * The leak's people once a load is committed. A new leak takes the load's count (the ingest's,
 * exact or estimated) and keeps its sketch; an existing one with a sketch counts the union of
 * the two sketches, so a person in several files counts once. A leak kept without a sketch
 * (published before sketches, or by a load without one) adds the counts: an upper bound.
 */
export function nextPeople(prev: BreachRow | undefined, prevSketch: Uint8Array | null, stats: LoadStats, sketch: Uint8Array | undefined): LeakPeople {
  if (sketch !== undefined) {
    try {
      sketchCount(sketch);
    } catch {
      throw new VigieError('VIGIE_INTERNAL', 'the people sketch of a load is malformed');
    }
  }
  const own = Buffer.from(sketch ?? []);
  if (!prev) return { people: stats.people, error: stats.peopleStandardError ?? 0, sketch: sketch ? own : null };
  if (prevSketch && sketch) {
    const union = unionSketches([prevSketch, sketch], STORED_EXACT_MAX);
    const c = sketchCount(union);
    return { people: c.size, error: c.error, sketch: union };
  }
  return { people: prev.stats.people + stats.people, error: Math.max(prev.stats.peopleStandardError ?? 0, stats.peopleStandardError ?? 0), sketch: null };
}

export function addStats(a: StoredStats, b: LoadStats): StoredStats {
  return {
    records: a.records + b.records,
    skipped: a.skipped + b.skipped,
    people: a.people + b.people,
    classCounts: addCounts(a.classCounts, b.classCounts),
    invalidCounts: addCounts(a.invalidCounts, b.invalidCounts),
    formats: [...new Set([...a.formats, ...b.formats])].sort(),
    loads: a.loads + 1,
  };
}

/**
 * The row after a commit: caller-given fields override (on a new breach, defaults fill in),
 * masks OR together, statistics add up, except people, given as counted across the leak
 * (`nextPeople`) when known.
 */
export function nextRow(
  prev: BreachRow | undefined,
  input: BreachInput,
  stats: LoadStats,
  writtenMask: number,
  inserted: number,
  now: string,
  people?: LeakPeople,
): Omit<BreachRow, 'id'> {
  const base = prev ?? {
    name: input.Name,
    title: input.Name,
    domain: '',
    breach_date: null,
    added_date: now,
    description: '',
    logo_path: '',
    data_class_mask: 0,
    identifiers: 0,
    pwn_count: 0,
    is_retired: false,
    stats: emptyStats(),
    ...Object.fromEntries(FLAGS.map(([, col]) => [col, false])),
  };
  const row = { ...base } as Omit<BreachRow, 'id'>;
  if (input.Title !== undefined) row.title = input.Title;
  if (input.Domain !== undefined) row.domain = input.Domain;
  if (input.BreachDate !== undefined) row.breach_date = input.BreachDate;
  if (input.Description !== undefined) row.description = input.Description;
  if (input.LogoPath !== undefined) row.logo_path = input.LogoPath;
  for (const [field, col] of FLAGS) {
    const v = input[field];
    if (v !== undefined) row[col] = v;
  }
  row.stats = addStats(base.stats, stats);
  if (people) {
    row.stats.people = people.people;
    if (people.error > 0) row.stats.peopleStandardError = people.error;
  }
  row.pwn_count = row.stats.people;
  row.identifiers = base.identifiers + inserted;
  row.data_class_mask = (base.data_class_mask | writtenMask | maskOfClassCounts(stats.classCounts)) >>> 0;
  row.modified_date = now;
  return row;
}

export function toBreach(r: BreachRow): Breach {
  const b: Breach = {
    Name: r.name,
    Title: r.title,
    Domain: r.domain,
    BreachDate: r.breach_date,
    AddedDate: r.added_date,
    ModifiedDate: r.modified_date,
    PwnCount: r.pwn_count,
    Description: r.description,
    LogoPath: r.logo_path,
    DataClasses: classesFromMask(r.data_class_mask),
    IsVerified: false,
    IsFabricated: false,
    IsSensitive: false,
    IsRetired: r.is_retired,
    IsSpamList: false,
    IsMalware: false,
    IsSubscriptionFree: false,
    IsStealerLog: false,
  };
  for (const [field, col] of FLAGS) b[field] = r[col];
  return b;
}

export function toEntry(r: BreachRow, files: BreachFile[]): BreachEntry {
  const { loads, ...load } = r.stats;
  const stats: BreachStats = { ...load, identifiers: r.identifiers, loads };
  return { breach: toBreach(r), stats, files };
}

/** What a load of these files may do, given the breach's current state. */
export interface LoadPlan {
  known: string[];
  fresh: string[];
}

/**
 * The idempotence and conflict rules (brief: "a file digest already committed for that breach
 * is reported so the caller can skip it"; without append, an existing name is a conflict
 * unless the files are the same ones, in which case nothing changes).
 */
export function planLoad(
  existing: { retired: boolean; digests: ReadonlySet<string> } | undefined,
  append: boolean,
  digests: readonly string[],
  name: string,
): LoadPlan {
  if (!existing) return { known: [], fresh: [...digests] };
  const known = digests.filter((d) => existing.digests.has(d));
  const fresh = digests.filter((d) => !existing.digests.has(d));
  if (fresh.length === 0) return { known, fresh };
  if (existing.retired) throw new VigieError('VIGIE_CONFLICT', `breach ${name} is retired: it cannot receive new data`);
  if (!append) throw new VigieError('VIGIE_CONFLICT', `breach ${name} already exists with other files: use append to add files to it`);
  return { known, fresh };
}

/**
 * At commit, the plan must still be what `beginLoad` saw: a file committed meanwhile by another
 * process would otherwise count twice in the statistics.
 */
export function replan(
  existing: { retired: boolean; digests: ReadonlySet<string> } | undefined,
  append: boolean,
  digests: readonly string[],
  name: string,
  begun: LoadPlan,
): LoadPlan {
  const now = planLoad(existing, append, digests, name);
  if (now.fresh.length === 0) return now;
  if (now.fresh.length !== begun.fresh.length) {
    throw new VigieError('VIGIE_CONFLICT', `breach ${name} received some of these files from another load meanwhile: run the ingest again`);
  }
  return now;
}
