/**
 * The alert pages: the subscribe form (on the home page), the answer to a request (the same for
 * every address), the confirmation and unsubscribe pages whose button acts (the link alone
 * never does: mail scanners fetch links), and their outcomes. No page shows an address.
 */
import { LINK_PATHS } from '../../alerts/index.js';
import type { Lang } from '../../guidance/index.js';
import { ALERT_TEXTS } from './alert-texts.js';
import { checkForm } from './form-view.js';
import { html, type Html } from './html.js';
import { layout } from './layout.js';
import { PATHS, TEXTS } from './texts.js';

/** The subscribe form: one field, its label and hint, and the error tied to it when there is one. */
export function subscribeForm(lang: Lang, error?: string): Html {
  const t = ALERT_TEXTS[lang];
  const describedBy = error ? 'email-hint email-error' : 'email-hint';
  const errorLine = error ? html`<p id="email-error" class="field-error"><span class="visually-hidden">${TEXTS[lang].errorPrefix}</span>${error}</p>` : '';
  return html`<section class="subscribe" aria-labelledby="subscribe-title">
<h2 id="subscribe-title">${t.formTitle}</h2>
<p>${t.formIntro}</p>
<form method="post" action="${LINK_PATHS[lang].subscribe}" class="check-form">
<div class="field${error ? ' field-invalid' : ''}">
<label for="email">${t.fieldLabel}</label>
<p id="email-hint" class="hint">${t.fieldHint}</p>
${errorLine}
<input id="email" name="email" type="email" required maxlength="256" autocomplete="email" autocapitalize="none" spellcheck="false" aria-describedby="${describedBy}"${error ? html` aria-invalid="true"` : ''}>
</div>
<button type="submit" class="button">${t.submit}</button>
</form>
</section>`;
}

function page(lang: Lang, title: string, main: Html): string {
  return layout({ lang, title, otherHref: PATHS[TEXTS[lang].otherLang.lang].home, main });
}

/** The answer to a subscription request: the same for every address. */
export function requestedPage(lang: Lang, confirmHours: number): string {
  const t = ALERT_TEXTS[lang];
  return page(
    lang,
    t.requestedTitle,
    html`<h1>${t.requestedTitle}</h1>
<div class="notice">${t.requested(confirmHours).map((p) => html`<p>${p}</p>`)}</div>
<p><a href="${PATHS[lang].home}">${TEXTS[lang].backToForm}</a></p>`,
  );
}

/** The page a link opens: a button that posts the token (confirm or unsubscribe). */
export function actionPage(lang: Lang, action: 'confirm' | 'unsubscribe', token: string): string {
  const t = ALERT_TEXTS[lang];
  const [title, intro, button] =
    action === 'confirm' ? [t.confirmTitle, t.confirmIntro, t.confirmButton] : [t.unsubscribeTitle, t.unsubscribeIntro, t.unsubscribeButton];
  return page(
    lang,
    title,
    html`<h1>${title}</h1>
<p>${intro}</p>
<form method="post" action="${LINK_PATHS[lang][action]}">
<input type="hidden" name="token" value="${token}">
<button type="submit" class="button">${button}</button>
</form>`,
  );
}

/** After confirming: the verified owner may check the address at once. */
export function confirmedPage(lang: Lang): string {
  const t = ALERT_TEXTS[lang];
  return page(
    lang,
    t.confirmedTitle,
    html`<h1>${t.confirmedTitle}</h1>
<p class="notice">${t.confirmed}</p>
${checkForm(lang)}`,
  );
}

export function unsubscribedPage(lang: Lang): string {
  const t = ALERT_TEXTS[lang];
  return page(
    lang,
    t.unsubscribedTitle,
    html`<h1>${t.unsubscribedTitle}</h1><p class="notice">${t.unsubscribed}</p><p><a href="${PATHS[lang].home}">${TEXTS[lang].backToForm}</a></p>`,
  );
}

export function badLinkPage(lang: Lang): string {
  const t = ALERT_TEXTS[lang];
  return page(
    lang,
    t.badLinkTitle,
    html`<h1>${t.badLinkTitle}</h1><p class="notice">${t.badLink}</p><p><a href="${PATHS[lang].home}">${TEXTS[lang].backToForm}</a></p>`,
  );
}

export function alertsOffPage(lang: Lang): string {
  const t = ALERT_TEXTS[lang];
  return page(lang, t.offTitle, html`<h1>${t.offTitle}</h1><p class="notice">${t.off}</p>`);
}
