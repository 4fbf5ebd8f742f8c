/**
 * The results page: leak by leak, the data classes exposed for this person (not the leak's whole
 * list), then the guidance for those classes and the general advice. It never names the value
 * that was looked up: only its kind (« l’adresse e-mail saisie »).
 */
import { classShort, generalAdvice, guidanceFor, sortByDanger, type GuidanceItem, type Lang, type Resource } from '../../guidance/index.js';
import type { DataClassName } from '../../dataclasses.js';
import type { LookupResult } from '../lookup.js';
import { ALERT_TEXTS } from './alert-texts.js';
import { checkForm } from './form-view.js';
import { capitalise, formatDate } from './format.js';
import { html, type Html } from './html.js';
import { layout } from './layout.js';
import { PATHS, TEXTS } from './texts.js';

/** Shows an official address as the person would type it: `www.cnil.fr/fr/plaintes`. */
function typed(url: string): string {
  return url.replace(/^https:\/\//, '').replace(/\/$/, '');
}

function advice(g: GuidanceItem): Html {
  return html`<article class="advice">
<h3>${capitalise(g.label)}</h3>
<p>${g.risk}</p>
<ul class="actions">${g.actions.map((a) => html`<li>${a}</li>`)}</ul>
</article>`;
}

/**
 * Where to report or get help: the services of the exposed classes, most dangerous class first,
 * then those for anybody, each once (the per-class advice names them in its own words).
 */
function resourcesSection(items: readonly GuidanceItem[], lang: Lang): Html {
  const seen = new Map<string, Resource>();
  for (const r of [...items.flatMap((g) => g.resources), ...generalAdvice(lang).resources]) if (!seen.has(r.url)) seen.set(r.url, r);
  return html`<section class="resources" aria-labelledby="resources-title">
<h2 id="resources-title">${TEXTS[lang].whereToReport}</h2>
<ul>${[...seen.values()].map((r) => html`<li><a href="${r.url}">${r.name}</a><span class="url">${typed(r.url)}</span></li>`)}</ul>
</section>`;
}

/** The general advice, under its own heading. */
function generalSection(lang: Lang): Html {
  const g = generalAdvice(lang);
  return html`<section class="general" aria-labelledby="general-title">
<h2 id="general-title">${g.title}</h2>
<ul>${g.points.map((p) => html`<li>${p}</li>`)}</ul>
</section>`;
}

/** The data classes as short words, most dangerous first. */
export function classTags(classes: readonly string[], lang: Lang): Html {
  return html`<ul class="tags">${sortByDanger(classes).map((c) => html`<li>${classShort(c, lang)}</li>`)}</ul>`;
}

/** The results page of one lookup; `verified`: the person proved they own the address (sensitive leaks shown and marked). */
export function resultsPage(lang: Lang, result: LookupResult, verified = false): string {
  const t = TEXTS[lang];
  const found = result.hits.length > 0;
  const heading = found ? t.found(result.kind, result.hits.length) : t.notFound(result.kind);
  const leaks = result.hits.map(
    (h) => html`<article class="card leak">
<h3>${h.breach.Title || h.breach.Name}</h3>
${h.breach.IsSensitive ? html`<p class="sensitive">${ALERT_TEXTS[lang].sensitiveTag}</p>` : ''}
<dl>
<dt>${t.breachDate}</dt><dd>${formatDate(h.breach.BreachDate, lang) ?? t.unknownDate}</dd>
<dt>${t.exposedForYou}</dt><dd>${classTags(h.exposed, lang)}</dd>
</dl>
</article>`,
  );
  const exposed = [...new Set<DataClassName>(result.hits.flatMap((h) => h.exposed))];
  const guidance = guidanceFor(exposed, lang);
  const body = found
    ? html`<section aria-labelledby="leaks-title">
<h2 id="leaks-title">${t.leaksHeading}</h2>
${leaks}
</section>
<section aria-labelledby="todo-title">
<h2 id="todo-title">${t.whatToDo}</h2>
${guidance.map(advice)}
</section>`
    : html`<p class="notice">${t.notFoundCaveat}</p>`;
  return layout({
    lang,
    title: t.resultsTitle,
    current: 'check',
    otherHref: PATHS[t.otherLang.lang].home,
    main: html`<h1 class="${found ? 'verdict verdict-found' : 'verdict verdict-clear'}">${heading}</h1>
${verified ? html`<p class="notice verified">${ALERT_TEXTS[lang].verified}</p>` : ''}
${body}
${generalSection(lang)}
${resourcesSection(guidance, lang)}
<section class="again" aria-labelledby="again-title">
<h2 id="again-title">${t.againTitle}</h2>
${checkForm(lang)}
</section>`,
  });
}
