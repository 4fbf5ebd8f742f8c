/**
 * The organisation view's pages: the login form (an API key, never echoed), the leaks with their
 * measured counts, and one leak's CNIL notification draft with its per-class chart, drawn by
 * src/notify for the page's own stylesheet (no inline style, no script).
 */
import type { Lang } from '../../guidance/index.js';
import type { BreachEntry } from '../../store/index.js';
import { formatNumber } from './format.js';
import { html, type Html } from './html.js';
import { layout } from './layout.js';
import { ORG_PATHS, ORG_TEXTS } from './org-texts.js';
import { TEXTS } from './texts.js';

/** The path of a leak's draft in the view. */
function leakPath(lang: Lang, name: string): string {
  return `${ORG_PATHS[lang].leak}/${encodeURIComponent(name)}`;
}

/** The login form; with `error`, the key was refused (the field is empty again). */
export function loginPage(lang: Lang, error?: string): string {
  const o = ORG_TEXTS[lang];
  const t = TEXTS[lang];
  const describedBy = error ? 'key-hint key-error' : 'key-hint';
  const errorLine = error ? html`<p id="key-error" class="field-error"><span class="visually-hidden">${t.errorPrefix}</span>${error}</p>` : '';
  return layout({
    lang,
    title: error ? `${t.errorPrefix}${o.title}` : o.title,
    current: 'org',
    otherHref: ORG_PATHS[t.otherLang.lang].view,
    main: html`<h1>${o.title}</h1>
<p class="lead">${o.loginIntro}</p>
<form method="post" action="${ORG_PATHS[lang].login}" class="check-form">
<div class="field${error ? ' field-invalid' : ''}">
<label for="key">${o.keyLabel}</label>
<p id="key-hint" class="hint">${o.keyHint}</p>
${errorLine}
<input id="key" name="key" type="password" required maxlength="128" autocomplete="off" autocapitalize="none" spellcheck="false" aria-describedby="${describedBy}"${error ? html` aria-invalid="true"` : ''}>
</div>
<button type="submit" class="button">${o.login}</button>
</form>`,
  });
}

function signedIn(lang: Lang, keyName: string): Html {
  const o = ORG_TEXTS[lang];
  return html`<form method="post" action="${ORG_PATHS[lang].logout}" class="session"><p>${o.signedIn(keyName)}</p><button type="submit" class="button button-secondary">${o.logout}</button></form>`;
}

/** The leaks, newest first, with what Vigie measured of each and a link to its draft. */
export function orgPage(lang: Lang, entries: readonly BreachEntry[], keyName: string): string {
  const o = ORG_TEXTS[lang];
  const n = (x: number) => formatNumber(x, lang);
  const cards = entries.map(
    (e) => html`<li class="card org-leak"><h2>${e.breach.Title} <span class="leak-name">${e.breach.Name}</span></h2>
<dl class="counts"><div><dt>${o.headers[1]}</dt><dd>${n(e.breach.PwnCount)}</dd></div><div><dt>${o.headers[2]}</dt><dd>${n(e.stats.records)}</dd></div><div><dt>${o.headers[3]}</dt><dd>${n(e.stats.identifiers)}</dd></div></dl>
<p class="more"><a href="${leakPath(lang, e.breach.Name)}">${o.draftShort}<span class="visually-hidden"> (${o.draftLink(e.breach.Title)})</span></a></p></li>`,
  );
  const table =
    entries.length === 0 ? html`<p class="notice">${o.empty}</p>` : html`<h2 class="visually-hidden">${o.tableCaption}</h2><ul class="cards">${cards}</ul>`;
  return layout({
    lang,
    title: o.title,
    current: 'org',
    otherHref: ORG_PATHS[TEXTS[lang].otherLang.lang].view,
    main: html`<h1>${o.title}</h1>
${signedIn(lang, keyName)}
<p class="lead">${o.intro}</p>
${table}`,
  });
}

/** One leak's draft (`draftHtml` from src/notify, in the page's language). */
export function draftPage(lang: Lang, name: string, title: string, draft: Html, keyName: string): string {
  const o = ORG_TEXTS[lang];
  return layout({
    lang,
    title: o.draftLink(title),
    current: 'org',
    otherHref: leakPath(TEXTS[lang].otherLang.lang, name),
    main: html`<p class="back"><a href="${ORG_PATHS[lang].view}">${o.back}</a></p>
${signedIn(lang, keyName)}
<article class="draft">${draft}</article>`,
  });
}

/** A leak that is not there (never published, or retired). */
export function noLeakPage(lang: Lang): string {
  const o = ORG_TEXTS[lang];
  return layout({
    lang,
    title: o.noSuchLeak,
    current: 'org',
    otherHref: ORG_PATHS[TEXTS[lang].otherLang.lang].view,
    main: html`<h1>${o.noSuchLeak}</h1>
<p><a href="${ORG_PATHS[lang].view}">${o.back}</a></p>`,
  });
}
