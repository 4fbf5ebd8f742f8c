/**
 * The draft laid out once, as sections of labelled fields, paragraphs, lists, a table and a
 * chart, for the Markdown, HTML and PDF renderers to draw alike. A field the operator has not
 * given carries `value: null`, which every renderer writes as « À compléter », marked.
 */
import { classShort } from '../guidance/index.js';
import type { CnilDraft } from './draft.js';
import { DRAFT_TEXTS, type DraftTexts } from './texts.js';
import { DATA_CATEGORIES } from './typology.js';

export interface FieldRow {
  label: string;
  /** null: to be completed by hand. */
  value: string | null;
}

export type Block =
  | { kind: 'fields'; rows: FieldRow[] }
  | { kind: 'para'; text: string; strong?: boolean }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; head: readonly string[]; rows: string[][]; numeric: readonly boolean[] }
  | { kind: 'chart'; title: string; desc: string; data: { label: string; value: number }[] };

interface Section {
  title: string;
  blocks: Block[];
}

export interface DraftDocument {
  lang: CnilDraft['lang'];
  title: string;
  subtitle: string;
  generated: string;
  disclaimer: string;
  todoTitle: string;
  /** Labels of the fields still to be completed; empty when none. */
  todo: string[];
  todoNone: string;
  toComplete: string;
  sections: Section[];
}

function field(t: DraftTexts, path: string, value: string | null): FieldRow {
  return { label: t.fields[path] ?? path, value };
}

const list = (items: readonly string[], t: DraftTexts): string => (items.length > 0 ? items.join(', ') : t.none);

/** Lays the draft out in the order of the CNIL's form. */
export function layOut(d: CnilDraft): DraftDocument {
  const t = DRAFT_TEXTS[d.lang];
  const n = (x: number) => t.number(x);
  const o = d.organisation;
  const tl = d.timeline;
  const categoryOf = (key: string) => DATA_CATEGORIES.find((c) => (c.classes as readonly string[]).includes(key))?.id;

  let deadline: string | null = null;
  if (tl.deadline !== null && tl.hoursLeft !== null) {
    deadline = `${t.dateTime(tl.deadline)} (${tl.deadlinePassed ? t.deadlinePassed(-tl.hoursLeft) : t.deadlineLeft(tl.hoursLeft)})`;
  }
  const ended = tl.ongoing === true ? t.ongoing : tl.ended === null ? null : t.date(tl.ended);

  const sections: Section[] = [
    {
      title: t.sections.type,
      blocks: [
        {
          kind: 'fields',
          rows: [
            field(t, 'notification.type', d.notification.type && t.types[d.notification.type]),
            ...(d.notification.type === 'complementary' ? [field(t, 'notification.initialReference', d.notification.initialReference)] : []),
          ],
        },
      ],
    },
    {
      title: t.sections.organisation,
      blocks: [
        {
          kind: 'fields',
          rows: [
            field(t, 'organisation.name', o.name),
            field(t, 'organisation.siren', o.siren?.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3') ?? null),
            field(t, 'organisation.sector', o.sector),
            field(t, 'organisation.headcount', o.headcount === null ? null : n(o.headcount)),
            field(t, 'organisation.address', o.address),
            field(t, 'organisation.representative', o.representative),
            field(t, 'organisation.contact.name', o.contact.name),
            field(t, 'organisation.contact.email', o.contact.email),
            field(t, 'organisation.contact.phone', o.contact.phone),
            field(t, 'organisation.dpo.name', o.dpo.name),
            field(t, 'organisation.dpo.email', o.dpo.email),
            field(t, 'organisation.processors', list(o.processors, t)),
            field(t, 'organisation.jointControllers', list(o.jointControllers, t)),
          ],
        },
      ],
    },
    {
      title: t.sections.dates,
      blocks: [
        {
          kind: 'fields',
          rows: [
            field(t, 'timeline.started', tl.started && t.date(tl.started)),
            field(t, 'timeline.ended', ended),
            field(t, 'timeline.aware', tl.aware && t.dateTime(tl.aware)),
            field(t, 'timeline.deadline', deadline),
            field(t, 'timeline.discovery', tl.discovery),
            ...(tl.deadlinePassed === true || tl.delayReasons !== null ? [field(t, 'timeline.delayReasons', tl.delayReasons)] : []),
          ],
        },
      ],
    },
    {
      title: t.sections.circumstances,
      blocks: [{ kind: 'fields', rows: [field(t, 'origin', d.origin && t.origins[d.origin]), field(t, 'cause', d.cause && t.causes[d.cause])] }],
    },
    {
      title: t.sections.nature,
      blocks: [{ kind: 'fields', rows: [field(t, 'nature', d.nature?.map((x) => t.natures[x]).join(' ; ') ?? null)] }],
    },
    {
      title: t.sections.data,
      blocks: [
        {
          kind: 'fields',
          rows: d.data.categories.map((c) => ({
            label: t.categories[c.id],
            value: c.exposed
              ? `${t.yes} : ${c.classes.map((r) => `${classShort(r.dataClass, d.lang)} (${n(r.records)})`).join(', ')}`
              : `${t.no}, ${t.notDetected}`,
          })),
        },
        {
          kind: 'chart',
          title: t.chartTitle,
          desc: t.chartDesc(d.classCounts.length),
          data: d.classCounts.map((c) => ({ label: classShort(c.dataClass, d.lang), value: c.records })),
        },
        {
          kind: 'table',
          head: t.classHeaders,
          numeric: [false, false, true, true],
          rows: d.classCounts.map((c) => {
            const cat = categoryOf(c.key);
            return [classShort(c.dataClass, d.lang), cat ? t.categories[cat] : '', n(c.records), n(c.invalid)];
          }),
        },
      ],
    },
    {
      title: t.sections.people,
      blocks: [
        {
          kind: 'fields',
          rows: [
            field(t, 'people.categories', d.people.categories?.map((c) => t.people[c]).join(', ') ?? null),
            field(
              t,
              'people.approximate',
              d.people.approximateError === null ? n(d.people.approximate) : `${n(d.people.approximate)} (± ${n(d.people.approximateError)})`,
            ),
            field(t, 'people.records', n(d.people.records)),
            field(t, 'people.identifiers', n(d.people.identifiers)),
            field(t, 'people.skipped', n(d.people.skipped)),
          ],
        },
      ],
    },
    {
      title: t.sections.consequences,
      blocks: [
        { kind: 'para', text: t.consequencesLead },
        { kind: 'list', items: d.consequences.map((c) => `${classShort(c.dataClass, d.lang)} : ${c.risk}`) },
      ],
    },
    {
      title: t.sections.severity,
      blocks: [
        { kind: 'para', text: t.severityLead(t.severities[d.severity.proposed]), strong: true },
        {
          kind: 'list',
          items: d.severity.reasons.map(
            (r) =>
              `${t.severities[r.level]} : ${t.rules[r.rule]} (${r.classes.map((k) => classShort(d.classCounts.find((c) => c.key === k)?.dataClass ?? k, d.lang)).join(', ')})`,
          ),
        },
        { kind: 'para', text: t.severityNote },
      ],
    },
    {
      title: t.sections.measures,
      blocks: [{ kind: 'fields', rows: [field(t, 'measures.before', d.measures.before), field(t, 'measures.after', d.measures.after)] }],
    },
    {
      title: t.sections.information,
      blocks: [
        {
          kind: 'fields',
          rows: [
            field(t, 'information.informed', d.information.informed && t.informed[d.information.informed]),
            ...(d.information.informed === 'no'
              ? [field(t, 'information.notInformedGround', d.information.notInformedGround && t.grounds[d.information.notInformedGround])]
              : []),
          ],
        },
      ],
    },
    {
      title: t.sections.crossBorder,
      blocks: [
        {
          kind: 'fields',
          rows: [
            field(t, 'crossBorder.crossBorder', d.crossBorder.crossBorder === null ? null : d.crossBorder.crossBorder ? t.yes : t.no),
            ...(d.crossBorder.crossBorder === true
              ? [field(t, 'crossBorder.countries', d.crossBorder.countries.length > 0 ? d.crossBorder.countries.join(', ') : null)]
              : []),
          ],
        },
      ],
    },
  ];
  if (d.lang === 'en') {
    // The French colon spacing above reads oddly in English.
    for (const s of sections) for (const b of s.blocks) if (b.kind === 'list') b.items = b.items.map((i) => i.replace(' : ', ': '));
    for (const s of sections)
      for (const b of s.blocks) if (b.kind === 'fields') for (const r of b.rows) if (r.value) r.value = r.value.replace(/^(Yes|No) : /, '$1: ');
  }
  return {
    lang: d.lang,
    title: t.title,
    subtitle: t.subtitle(d.breach.title || d.breach.name),
    generated: t.generated(t.dateTime(d.generatedAt)),
    disclaimer: t.disclaimer,
    todoTitle: t.todoTitle,
    todo: d.missing.map((p) => t.fields[p] ?? p),
    todoNone: t.todoNone,
    toComplete: t.toComplete,
    sections,
  };
}
