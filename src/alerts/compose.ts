/**
 * The messages, in the subscriber's language, multipart (plain text and HTML, the same words):
 * the confirmation of a subscription, and the alert of a new leak. An alert says which leak,
 * when, what it exposed *for them* (their own mask) and what to do (`src/guidance/`, the page's
 * source); nothing else of the leak: no name, no other value. Every message carries the
 * unsubscribe link and the RFC 8058 headers.
 */
import { classesFromMask } from '../dataclasses.js';
import { formatDate } from '../format.js';
import { generalAdvice, guidanceFor, type Lang } from '../guidance/index.js';
import { type Html, html } from '../html.js';
import type { Breach } from '../store/index.js';

export interface Mail {
  subject: string;
  text: string;
  html: string;
}

interface Section {
  heading?: string;
  paragraphs: string[];
  bullets?: string[];
}

function render(lang: Lang, title: string, sections: Section[], link: { label: string; url: string } | undefined, footer: string[]): Mail {
  const text = [
    title,
    '',
    ...sections.flatMap((s) => [
      ...(s.heading ? [s.heading, ''] : []),
      ...s.paragraphs.flatMap((p) => [p, '']),
      ...(s.bullets ? [...s.bullets.map((b) => `  - ${b}`), ''] : []),
    ]),
    ...(link ? [`${link.label}:`, link.url, ''] : []),
    '--',
    ...footer,
  ].join('\n');
  const body: Html = html`<!DOCTYPE html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head>
<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1b1b1b; max-width: 40em; margin: 0 auto; padding: 1em">
<h1 style="font-size: 1.3em">${title}</h1>
${sections.map(
  (s) => html`${s.heading ? html`<h2 style="font-size: 1.1em">${s.heading}</h2>` : ''}
${s.paragraphs.map((p) => html`<p>${p}</p>`)}${s.bullets ? html`<ul>${s.bullets.map((b) => html`<li>${b}</li>`)}</ul>` : ''}
`,
)}${link ? html`<p><a href="${link.url}" style="display: inline-block; padding: .5em 1em; background: #000091; color: #fff; text-decoration: none">${link.label}</a></p><p style="font-size: .9em">${link.url}</p>` : ''}
<hr><footer style="font-size: .9em; color: #3a3a3a">${footer.map((f) => html`<p>${f}</p>`)}</footer>
</body></html>`;
  return { subject: title, text, html: body.value };
}

const WORDS = {
  fr: {
    confirmTitle: 'Vigie\u00a0: confirmez votre alerte',
    confirmBody: (until: string) => [
      'Une demande d’alerte a été faite pour cette adresse sur Vigie : si elle apparaît dans une nouvelle fuite de données, Vigie vous écrira.',
      `Pour confirmer, ouvrez le lien ci-dessous puis appuyez sur « Confirmer ». Le lien est valable jusqu’au ${until} (UTC).`,
      'Confirmer vous permet aussi de voir, pour cette adresse, les fuites marquées sensibles.',
      'Si vous n’avez rien demandé, ignorez ce message\u00a0: sans confirmation, rien ne vous sera envoyé et l’adresse sera effacée.',
    ],
    confirmLink: 'Ouvrir la page de confirmation',
    alertTitle: (leak: string) => `Vigie\u00a0: votre adresse figure dans une nouvelle fuite (${leak})`,
    alertIntro: (leak: string, when: string | undefined, added: string) =>
      `Votre adresse e-mail figure dans la fuite « ${leak} »${when ? `, survenue le ${when}` : ''}, publiée dans Vigie le ${added}.`,
    exposedHeading: 'Ce que cette fuite a exposé avec votre adresse',
    whatToDo: 'Que faire',
    checkLink: 'Vérifier vos autres fuites sur Vigie',
    footer: (unsubscribe: string) => [
      'Vous recevez ce message parce que vous avez confirmé une alerte Vigie pour cette adresse. Vigie ne vous demandera jamais de mot de passe ni de paiement.',
      `Se désabonner\u00a0: ${unsubscribe}`,
    ],
  },
  en: {
    confirmTitle: 'Vigie: confirm your alert',
    confirmBody: (until: string) => [
      'Someone asked Vigie to alert this address: if it appears in a new data leak, Vigie will write to you.',
      `To confirm, open the link below and press “Confirm”. The link is valid until ${until} (UTC).`,
      'Confirming also lets you see the leaks marked sensitive for this address.',
      'If you did not ask for this, ignore this message: without confirmation nothing will be sent to you and the address will be erased.',
    ],
    confirmLink: 'Open the confirmation page',
    alertTitle: (leak: string) => `Vigie: your address is in a new leak (${leak})`,
    alertIntro: (leak: string, when: string | undefined, added: string) =>
      `Your email address is in the leak “${leak}”${when ? `, which happened on ${when}` : ''}, published in Vigie on ${added}.`,
    exposedHeading: 'What this leak exposed with your address',
    whatToDo: 'What to do',
    checkLink: 'Check your other leaks on Vigie',
    footer: (unsubscribe: string) => [
      'You receive this message because you confirmed a Vigie alert for this address. Vigie will never ask you for a password or a payment.',
      `Unsubscribe: ${unsubscribe}`,
    ],
  },
} as const;

function dateTime(iso: string, lang: Lang): string {
  const day = formatDate(iso.slice(0, 10), lang) ?? iso.slice(0, 10);
  return `${day}, ${iso.slice(11, 16)}`;
}

/** The confirmation message: a link to the confirmation page, its expiry, and what to do if unasked. */
export function confirmationMail(lang: Lang, links: { confirm: string; unsubscribe: string }, expiresAt: string): Mail {
  const w = WORDS[lang];
  return render(lang, w.confirmTitle, [{ paragraphs: [...w.confirmBody(dateTime(expiresAt, lang))] }], { label: w.confirmLink, url: links.confirm }, [
    ...w.footer(links.unsubscribe),
  ]);
}

/**
 * The alert of one leak for one subscriber: the leak's title and dates, the classes of `mask`
 * (theirs, not the leak's), the guidance for them, most dangerous first.
 */
export function alertMail(lang: Lang, breach: Breach, mask: number, links: { home: string; unsubscribe: string }): Mail {
  const w = WORDS[lang];
  const exposed = guidanceFor(classesFromMask(mask), lang);
  const general = generalAdvice(lang);
  // French sets a no-break space before a colon.
  const colon = lang === 'fr' ? '\u00a0: ' : ': ';
  const sections: Section[] = [
    {
      paragraphs: [
        w.alertIntro(
          breach.Title || breach.Name,
          formatDate(breach.BreachDate, lang),
          formatDate(breach.AddedDate.slice(0, 10), lang) ?? breach.AddedDate.slice(0, 10),
        ),
      ],
    },
    { heading: w.exposedHeading, paragraphs: [], bullets: exposed.map((g) => `${g.label}${colon}${g.risk}`) },
    ...exposed.map((g) => ({
      heading: `${w.whatToDo}${colon}${g.label}`,
      paragraphs: [],
      bullets: [...g.actions, ...g.resources.map((r) => `${r.name}${colon}${r.url}`)],
    })),
    { heading: general.title, paragraphs: [], bullets: general.points },
  ];
  return render(lang, w.alertTitle(breach.Title || breach.Name), sections, { label: w.checkLink, url: links.home }, [...w.footer(links.unsubscribe)]);
}
