/**
 * The CNIL notification draft of one leak (GDPR art. 33), as data: what Vigie measured (the
 * store's breach entry and statistics) joined with what the operator stated (organisation
 * profile, incident). Every field the operator has not given is `null` and listed in `missing`,
 * so that no renderer can show a blank as if it were an answer. The clock is passed in.
 *
 * This object is the `--format cnil` output: its field names are stable (docs in README).
 */
import { DataClasses, type DataClassKey } from '../dataclasses.js';
import { classKey, guidanceFor, type Lang } from '../guidance/index.js';
import type { BreachEntry } from '../store/index.js';
import type { Cause, Incident, Informed, Nature, NotificationType, NotInformedGround, OrgProfile, Origin, PeopleCategory } from './statements.js';
import { DATA_CATEGORIES, type DataCategoryId, proposeSeverity, type Severity, type SeverityReason } from './typology.js';

/** Art. 33(1): within 72 hours of becoming aware. */
const DEADLINE_HOURS = 72;
const HOUR_MS = 3_600_000;

interface ClassCountRow {
  dataClass: string;
  key: DataClassKey;
  /** Records holding a valid value of the class. */
  records: number;
  /** Values that looked like the class but did not validate. */
  invalid: number;
}

export interface CnilDraft {
  format: 'vigie-cnil-draft';
  version: 1;
  lang: Lang;
  generatedAt: string;
  /** Field paths still to be completed by hand, in the form's order. */
  missing: string[];
  breach: { name: string; title: string; breachDate: string | null; addedDate: string; isSensitive: boolean };
  notification: { type: NotificationType | null; initialReference: string | null };
  organisation: {
    name: string | null;
    siren: string | null;
    sector: string | null;
    headcount: number | null;
    address: string | null;
    representative: string | null;
    contact: { name: string | null; email: string | null; phone: string | null };
    dpo: { name: string | null; email: string | null };
    processors: string[];
    jointControllers: string[];
  };
  timeline: {
    started: string | null;
    ended: string | null;
    ongoing: boolean | null;
    aware: string | null;
    discovery: string | null;
    /** `aware` + 72 hours, null while `aware` is unknown. */
    deadline: string | null;
    deadlinePassed: boolean | null;
    /** Whole hours left before the deadline (negative once passed). */
    hoursLeft: number | null;
    delayReasons: string | null;
  };
  origin: Origin | null;
  cause: Cause | null;
  nature: Nature[] | null;
  data: {
    categories: { id: DataCategoryId; sensitive: boolean; exposed: boolean; classes: ClassCountRow[] }[];
    /** True when any article 9 (or 10) category is exposed. */
    sensitive: boolean;
  };
  people: {
    categories: PeopleCategory[] | null;
    /** People, as the ingest counts them (HIBP's PwnCount). */
    approximate: number;
    /** ± one standard error of `approximate` when it is an estimate (a number of people), null when exact. */
    approximateError: number | null;
    records: number;
    identifiers: number;
    skipped: number;
  };
  classCounts: ClassCountRow[];
  consequences: { dataClass: string; key: DataClassKey; risk: string }[];
  severity: { proposed: Severity; reasons: SeverityReason[] };
  measures: { before: string | null; after: string | null };
  information: { informed: Informed | null; notInformedGround: NotInformedGround | null };
  crossBorder: { crossBorder: boolean | null; countries: string[] };
}

interface DraftInput {
  entry: BreachEntry;
  org: OrgProfile;
  incident: Incident;
  now: Date;
  lang: Lang;
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Builds the draft. Counts come from the store only; nothing of the leak's values is involved.
 * @example buildDraft({ entry, org, incident, now: new Date(), lang: 'fr' }).timeline.deadline
 */
export function buildDraft({ entry, org, incident: inc, now, lang }: DraftInput): CnilDraft {
  const { breach, stats } = entry;
  const classCounts: ClassCountRow[] = (Object.entries(stats.classCounts) as [DataClassKey, number | undefined][])
    .filter(([k, n]) => k in DataClasses && (n ?? 0) > 0)
    .map(([key, n]) => ({ dataClass: DataClasses[key], key, records: n ?? 0, invalid: stats.invalidCounts[key] ?? 0 }))
    .sort((a, b) => b.records - a.records || a.dataClass.localeCompare(b.dataClass));
  // A class in the catalogue without a count (an older load) still counts as exposed.
  for (const name of breach.DataClasses) {
    const key = classKey(name);
    if (key && !classCounts.some((c) => c.key === key)) classCounts.push({ dataClass: name, key, records: 0, invalid: 0 });
  }
  const exposed = classCounts.map((c) => c.key);
  const categories = DATA_CATEGORIES.map((c) => {
    const rows = classCounts.filter((r) => (c.classes as readonly DataClassKey[]).includes(r.key));
    return { id: c.id, sensitive: c.sensitive, exposed: rows.length > 0, classes: rows };
  });

  const awareMs = inc.aware ? Date.parse(inc.aware) : null;
  const deadlineMs = awareMs === null ? null : awareMs + DEADLINE_HOURS * HOUR_MS;
  const passed = deadlineMs === null ? null : now.getTime() > deadlineMs;
  const ongoing = inc.ongoing ?? (inc.ended ? false : null);

  const draft: CnilDraft = {
    format: 'vigie-cnil-draft',
    version: 1,
    lang,
    generatedAt: iso(now),
    missing: [],
    breach: { name: breach.Name, title: breach.Title, breachDate: breach.BreachDate, addedDate: breach.AddedDate, isSensitive: breach.IsSensitive },
    notification: { type: inc.type ?? null, initialReference: inc.initialReference ?? null },
    organisation: {
      name: org.name ?? null,
      siren: org.siren ?? null,
      sector: org.sector ?? null,
      headcount: org.headcount ?? null,
      address: org.address ?? null,
      representative: org.representative ?? null,
      contact: { name: org.contact?.name ?? null, email: org.contact?.email ?? null, phone: org.contact?.phone ?? null },
      dpo: { name: org.dpo?.name ?? null, email: org.dpo?.email ?? null },
      processors: org.processors ?? [],
      jointControllers: org.jointControllers ?? [],
    },
    timeline: {
      started: inc.started ?? breach.BreachDate ?? null,
      ended: inc.ended ?? null,
      ongoing,
      aware: inc.aware ?? null,
      discovery: inc.discovery ?? null,
      deadline: deadlineMs === null ? null : iso(new Date(deadlineMs)),
      deadlinePassed: passed,
      hoursLeft: deadlineMs === null ? null : Math.floor((deadlineMs - now.getTime()) / HOUR_MS),
      delayReasons: inc.delayReasons ?? null,
    },
    origin: inc.origin ?? null,
    cause: inc.cause ?? null,
    nature: inc.nature ?? null,
    data: { categories, sensitive: categories.some((c) => c.sensitive && c.exposed) },
    people: {
      categories: inc.peopleCategories ?? null,
      approximate: breach.PwnCount,
      approximateError: stats.peopleStandardError ? Math.round(breach.PwnCount * stats.peopleStandardError) : null,
      records: stats.records,
      identifiers: stats.identifiers,
      skipped: stats.skipped,
    },
    classCounts,
    consequences: guidanceFor(
      classCounts.map((c) => c.dataClass as (typeof DataClasses)[DataClassKey]),
      lang,
    ).flatMap((g) => {
      const key = classKey(g.dataClass);
      return key ? [{ dataClass: g.dataClass, key, risk: g.risk }] : [];
    }),
    severity: (() => {
      const s = proposeSeverity(exposed);
      return { proposed: s.level, reasons: s.reasons };
    })(),
    measures: { before: inc.measuresBefore ?? null, after: inc.measuresAfter ?? null },
    information: { informed: inc.informed ?? null, notInformedGround: inc.notInformedGround ?? null },
    crossBorder: { crossBorder: inc.crossBorder ?? null, countries: inc.countries ?? [] },
  };
  draft.missing = missingFields(draft);
  return draft;
}

/** Every field the form asks for that the operator has not given, in the form's order. */
function missingFields(d: CnilDraft): string[] {
  const m: string[] = [];
  const need = (path: string, v: unknown) => {
    if (v === null) m.push(path);
  };
  need('notification.type', d.notification.type);
  if (d.notification.type === 'complementary') need('notification.initialReference', d.notification.initialReference);
  const o = d.organisation;
  need('organisation.name', o.name);
  need('organisation.siren', o.siren);
  need('organisation.sector', o.sector);
  need('organisation.headcount', o.headcount);
  need('organisation.address', o.address);
  need('organisation.representative', o.representative);
  need('organisation.contact.name', o.contact.name);
  need('organisation.contact.email', o.contact.email);
  need('organisation.contact.phone', o.contact.phone);
  need('organisation.dpo.name', o.dpo.name);
  need('organisation.dpo.email', o.dpo.email);
  const t = d.timeline;
  need('timeline.started', t.started);
  if (t.ongoing !== true) need('timeline.ended', t.ended);
  need('timeline.aware', t.aware);
  need('timeline.discovery', t.discovery);
  if (t.deadlinePassed === true) need('timeline.delayReasons', t.delayReasons);
  need('origin', d.origin);
  need('cause', d.cause);
  need('nature', d.nature);
  need('people.categories', d.people.categories);
  need('measures.before', d.measures.before);
  need('measures.after', d.measures.after);
  need('information.informed', d.information.informed);
  if (d.information.informed === 'no') need('information.notInformedGround', d.information.notInformedGround);
  need('crossBorder.crossBorder', d.crossBorder.crossBorder);
  if (d.crossBorder.crossBorder === true && d.crossBorder.countries.length === 0) m.push('crossBorder.countries');
  return m;
}
