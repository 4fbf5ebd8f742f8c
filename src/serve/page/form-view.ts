/**
 * The check form, its page, and the pages that answer instead of a result (refused value, too
 * many checks, an error). The field is always empty: a page never shows what was typed.
 */
import type { Lang } from '../../guidance/index.js';
import { MAX_ACCOUNT_LENGTH } from '../account.js';
import { html, type Html } from './html.js';
import { layout } from './layout.js';
import { PATHS, TEXTS } from './texts.js';

/** The form: one field, its label and hint, and the error tied to it when there is one. */
export function checkForm(lang: Lang, error?: string): Html {
  const t = TEXTS[lang];
  const describedBy = error ? 'account-hint account-error' : 'account-hint';
  const errorLine = error ? html`<p id="account-error" class="field-error"><span class="visually-hidden">${t.errorPrefix}</span>${error}</p>` : '';
  return html`<form method="post" action="${PATHS[lang].check}" class="check-form">
<div class="field${error ? ' field-invalid' : ''}">
<label for="account">${t.fieldLabel}</label>
<p id="account-hint" class="hint">${t.fieldHint}</p>
${errorLine}
<input id="account" name="account" type="text" required maxlength="${MAX_ACCOUNT_LENGTH}" autocomplete="off" autocapitalize="none" spellcheck="false" enterkeyhint="search" aria-describedby="${describedBy}"${error ? html` aria-invalid="true"` : ''}>
</div>
<button type="submit" class="button">${t.submit}</button>
</form>`;
}

function privacyNote(lang: Lang): Html {
  const t = TEXTS[lang];
  return html`<section class="privacy" aria-labelledby="privacy-title">
<h2 id="privacy-title">${t.privacyTitle}</h2>
<ul>${t.privacy.map((p) => html`<li>${p}</li>`)}</ul>
</section>`;
}

/** The home page: the form, the subscribe form when alerts are on, the privacy note and the link to the catalogue. */
export function formPage(lang: Lang, error?: string, subscribe?: Html): string {
  const t = TEXTS[lang];
  const other = t.otherLang.lang;
  return layout({
    lang,
    title: error ? `${t.errorPrefix}${t.formTitle}` : t.formTitle,
    current: 'check',
    otherHref: PATHS[other].home,
    main: html`<h1>${t.formTitle}</h1>
<p class="lead">${t.formIntro}</p>
${checkForm(lang, error)}
${subscribe}
${privacyNote(lang)}
<p class="more"><a href="${PATHS[lang].breaches}">${t.catalogueLink}</a></p>`,
  });
}

/** The answer to a check refused by the rate limit. */
export function tooManyPage(lang: Lang, retryAfter: number): string {
  const t = TEXTS[lang];
  return layout({
    lang,
    title: t.tooManyTitle,
    otherHref: PATHS[t.otherLang.lang].home,
    main: html`<h1>${t.tooManyTitle}</h1>
<p class="notice">${t.tooMany(retryAfter)}</p>
<p><a href="${PATHS[lang].home}">${t.backToForm}</a></p>`,
  });
}

/** The answer to a request that failed (a malformed body, the store down). */
export function errorPage(lang: Lang): string {
  const t = TEXTS[lang];
  return layout({
    lang,
    title: t.errorTitle,
    otherHref: PATHS[t.otherLang.lang].home,
    main: html`<h1>${t.errorTitle}</h1>
<p class="notice">${t.errorBody}</p>
<p><a href="${PATHS[lang].home}">${t.backToForm}</a></p>`,
  });
}
