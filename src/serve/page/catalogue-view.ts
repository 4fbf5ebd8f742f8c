/**
 * The catalogue page: three charts (leaks per year, people per leak, how often each data class
 * is exposed) and one card per breach that is not retired, newest first.
 */
import { classShort, type Lang } from '../../guidance/index.js';
import type { BreachEntry } from '../../store/index.js';
import { classExposure, leaksPerYear, peoplePerLeak } from './chart-data.js';
import { barChart, columnChart, dataTable, type ChartText, type Datum } from './charts.js';
import { countOf, formatDate, formatNumber } from './format.js';
import { html, type Html } from './html.js';
import { layout } from './layout.js';
import { classTags } from './results-view.js';
import { PATHS, TEXTS } from './texts.js';

/** How many items a chart's description names before « … ». */
const DESC_ITEMS = 8;

interface ChartWords {
  summary: string;
  years: { title: string; lead: string; headers: [string, string]; undated(n: number): string };
  people: { title: string; lead: string; headers: [string, string] };
  classes: { title: string; lead: string; headers: [string, string] };
}

const WORDS: Record<Lang, ChartWords> = {
  fr: {
    summary: 'Voir les données du graphique',
    years: {
      title: 'Fuites par année',
      lead: 'Nombre de fuites selon l’année où elles ont eu lieu',
      headers: ['Année', 'Fuites'],
      undated: (n) => `${n} ${n > 1 ? 'fuites sans date ne sont pas comptées' : 'fuite sans date n’est pas comptée'}.`,
    },
    people: {
      title: 'Personnes concernées par fuite',
      lead: 'Nombre de personnes concernées, de la plus grande fuite à la plus petite',
      headers: ['Fuite', 'Personnes'],
    },
    classes: {
      title: 'Données les plus exposées',
      lead: 'Pour chaque donnée, nombre d’enregistrements qui la contenaient, toutes fuites confondues',
      headers: ['Donnée', 'Enregistrements'],
    },
  },
  en: {
    summary: 'Show the data of the chart',
    years: {
      title: 'Leaks per year',
      lead: 'Number of leaks by the year they happened',
      headers: ['Year', 'Leaks'],
      undated: (n) => `${n} ${n > 1 ? 'leaks without a date are' : 'leak without a date is'} not counted.`,
    },
    people: { title: 'People affected per leak', lead: 'Number of people affected, from the largest leak to the smallest', headers: ['Leak', 'People'] },
    classes: { title: 'Most exposed data', lead: 'For each kind of data, the number of records that held it, across all leaks', headers: ['Data', 'Records'] },
  },
};

/** « Lead : a, 1 ; b, 2 ; … » — the chart's values in a sentence, for its `<desc>`. */
function describe(lead: string, data: readonly Datum[], format: (n: number) => string, lang: Lang): string {
  const items = data.slice(0, DESC_ITEMS).map((d) => `${d.label}, ${format(d.value)}`);
  if (data.length > DESC_ITEMS) items.push('…');
  const [colon, semi] = lang === 'fr' ? ['\u00a0: ', '\u202f; '] : [': ', '; '];
  return `${lead}${colon}${items.join(semi)}.`;
}

function chartBlock(id: string, chart: Html, data: readonly Datum[], text: ChartText, note?: string): Html {
  return html`<div class="chart-block">
<h3 id="${id}-heading">${text.title}</h3>
${chart}
${note ? html`<p class="chart-note">${note}</p>` : ''}
${dataTable(data, text)}
</div>`;
}

function charts(entries: readonly BreachEntry[], lang: Lang): Html {
  const w = WORDS[lang];
  const format = (n: number) => formatNumber(n, lang);
  const text = (words: { title: string; lead: string; headers: [string, string] }, data: readonly Datum[]): ChartText => ({
    title: words.title,
    desc: describe(words.lead, data, format, lang),
    tableSummary: w.summary,
    headers: words.headers,
    format,
  });
  const years = leaksPerYear(entries);
  const people = peoplePerLeak(entries);
  const classes = classExposure(entries).map((d) => ({ label: classShort(d.label, lang), value: d.value }));
  const yearsText = text(w.years, years.data);
  const blocks = [
    years.data.length > 0
      ? chartBlock(
          'chart-years',
          columnChart('chart-years', years.data, yearsText),
          years.data,
          yearsText,
          years.undated > 0 ? w.years.undated(years.undated) : undefined,
        )
      : '',
    chartBlock('chart-people', barChart('chart-people', people, text(w.people, people)), people, text(w.people, people)),
    classes.length > 0 ? chartBlock('chart-classes', barChart('chart-classes', classes, text(w.classes, classes)), classes, text(w.classes, classes)) : '',
  ];
  return html`<section class="charts" aria-labelledby="charts-title">
<h2 id="charts-title">${TEXTS[lang].chartsHeading}</h2>
${blocks}
</section>`;
}

function card(entry: BreachEntry, lang: Lang): Html {
  const t = TEXTS[lang];
  const b = entry.breach;
  const date = formatDate(b.BreachDate, lang) ?? `${t.breachDate} ${t.unknownDate}`;
  return html`<li><article class="card">
<h3>${b.Title || b.Name}</h3>
<p class="meta">${date} · ${countOf(b.PwnCount, t.people, lang)}</p>
${b.Domain ? html`<p class="domain">${b.Domain}</p>` : ''}
<p class="tags-title">${t.classesExposed}</p>
${classTags(b.DataClasses, lang)}
${b.IsSensitive ? html`<p class="badge">${t.sensitive}</p>` : ''}
${b.IsFabricated ? html`<p class="badge">${t.fabricated}</p>` : ''}
</article></li>`;
}

/** The catalogue page, from the catalogue's entries (retired ones are left out here). */
export function cataloguePage(lang: Lang, all: readonly BreachEntry[]): string {
  const t = TEXTS[lang];
  const entries = all
    .filter((e) => !e.breach.IsRetired)
    .sort((a, b) => (b.breach.BreachDate ?? '').localeCompare(a.breach.BreachDate ?? '') || a.breach.Name.localeCompare(b.breach.Name));
  const people = entries.reduce((n, e) => n + e.breach.PwnCount, 0);
  const body =
    entries.length === 0
      ? html`<p class="notice">${t.catalogueEmpty}</p>`
      : html`<p class="lead">${t.catalogueIntro(countOf(entries.length, t.leaks, lang), countOf(people, t.people, lang))}</p>
${charts(entries, lang)}
<section aria-labelledby="all-title">
<h2 id="all-title">${t.allLeaksHeading}</h2>
<ul class="cards">${entries.map((e) => card(e, lang))}</ul>
</section>`;
  return layout({
    lang,
    title: t.catalogueTitle,
    current: 'breaches',
    otherHref: PATHS[t.otherLang.lang].breaches,
    main: html`<h1>${t.catalogueTitle}</h1>
${body}`,
  });
}
