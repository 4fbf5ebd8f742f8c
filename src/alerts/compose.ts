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

/**
 * A line of a list: text, text with a link (a link in HTML, `name: url` in plain text), or a
 * term and its sentence (bold in HTML).
 */
type Bullet = string | { name: string; url: string } | { term: string; text: string };

interface Section {
  heading?: string;
  paragraphs: string[];
  bullets?: Bullet[];
}

interface Footer {
  why: string[];
  unsubscribe: { label: string; url: string };
}

/**
 * French typography: a no-break space before a colon and inside « », a narrow one before ; ! ?
 * (the guidance does the same), so that no line of a phone's mail client starts with a lone sign.
 */
function typeset(lang: Lang, text: string): string {
  if (lang !== 'fr') return text;
  return text
    .replace(/ :/g, '\u00a0:')
    .replace(/ ([;!?])/g, '\u202f$1')
    .replace(/« /g, '«\u00a0')
    .replace(/ »/g, '\u00a0»');
}

const BLUE = '#1d4ed8';
const MUTED = '#4b5563';
// Long links (the tokens) wrap anywhere rather than widen the message past a phone's screen.
const URL_STYLE = 'word-break: break-all; overflow-wrap: anywhere';

/**
 * Both parts of a message. The button (`link`) comes after the first section: the one thing to
 * do is seen before the details. The heading is the subject without its « Vigie : » (the
 * message's brand line says it).
 */
function render(lang: Lang, title: string, sections: Section[], link: { label: string; url: string }, footer: Footer): Mail {
  const colon = lang === 'fr' ? '\u00a0: ' : ': ';
  const t = (s: string) => typeset(lang, s);
  // A resource's name may hold a colon of its own: its link follows a dash.
  const bulletText = (b: Bullet) => (typeof b === 'string' ? t(b) : 'url' in b ? `${t(b.name)} — ${b.url}` : `${t(b.term)}. ${t(b.text)}`);
  const labelled = (label: string) => `${t(label)}${colon.trimEnd()}`;
  const text = [
    t(title),
    '',
    ...sections.flatMap((s, i) => [
      ...(s.heading ? [t(s.heading), ''] : []),
      ...s.paragraphs.flatMap((p) => [t(p), '']),
      ...(s.bullets ? [...s.bullets.map((b) => `  - ${bulletText(b)}`), ''] : []),
      ...(i === 0 ? [labelled(link.label), link.url, ''] : []),
    ]),
    // RFC 3676 §4.3: "-- " is the signature separator mail clients recognise.
    '-- ',
    ...footer.why.map(t),
    labelled(footer.unsubscribe.label),
    footer.unsubscribe.url,
    '',
  ].join('\n');
  const bulletHtml = (b: Bullet): Html =>
    typeof b === 'string'
      ? html`<li>${t(b)}</li>`
      : 'url' in b
        ? html`<li><a href="${b.url}" style="color: ${BLUE}">${t(b.name)}</a></li>`
        : html`<li><strong>${t(b.term)}.</strong> ${t(b.text)}</li>`;
  const button = html`<p style="margin: 16px 0 8px"><a href="${link.url}" style="display: inline-block; padding: 12px 20px; border-radius: 6px; background: ${BLUE}; color: #ffffff; font-weight: 700; text-decoration: none">${t(link.label)}</a></p>
<p style="margin: 0 0 16px; font-size: 14px; color: ${MUTED}; ${URL_STYLE}">${link.url}</p>`;
  const body: Html = html`<!DOCTYPE html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${t(title)}</title></head>
<body style="margin: 0; padding: 0; background: #ffffff">
<div style="font-family: system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; font-size: 16px; line-height: 1.5; color: #1f2937; max-width: 36em; margin: 0 auto; padding: 16px">
<p style="margin: 0 0 8px; font-size: 20px; font-weight: 700; color: ${BLUE}">Vigie</p>
<h1 style="font-size: 22px; line-height: 1.3; margin: 0 0 16px">${capitalise(t(title).replace(/^Vigie\u00a0?: /, ''))}</h1>
${sections.map(
  (s, i) => html`${s.heading ? html`<h2 style="font-size: 18px; line-height: 1.3; margin: 24px 0 8px">${t(s.heading)}</h2>` : ''}
${s.paragraphs.map((p) => html`<p style="margin: 0 0 12px">${t(p)}</p>`)}${s.bullets ? html`<ul style="margin: 0 0 12px; padding-left: 20px">${s.bullets.map(bulletHtml)}</ul>` : ''}
${i === 0 ? button : ''}`,
)}<hr style="border: 0; border-top: 1px solid #d1d5db; margin: 24px 0 12px">
<div style="font-size: 14px; color: ${MUTED}">${footer.why.map((f) => html`<p style="margin: 0 0 8px">${t(f)}</p>`)}<p style="margin: 0 0 8px"><a href="${footer.unsubscribe.url}" style="color: ${MUTED}">${t(footer.unsubscribe.label)}</a></p></div>
</div>
</body></html>`;
  return { subject: t(title), text, html: body.value };
}

const WORDS = {
  fr: {
    confirmTitle: 'Vigie : confirmez votre alerte',
    confirmBody: (until: string, hours: number) => [
      'Une alerte a été demandée pour cette adresse sur Vigie : si elle apparaît dans une nouvelle fuite de données, Vigie vous écrira.',
      `Pour confirmer, ouvrez le lien ci-dessous puis appuyez sur « Confirmer ». Le lien est valable ${hours} heures, jusqu’au ${until}.`,
      'Confirmer vous permet aussi de voir, pour cette adresse, les fuites marquées sensibles.',
      'Si vous n’avez rien demandé, ignorez ce message : sans confirmation, rien ne vous sera envoyé et l’adresse sera effacée.',
    ],
    confirmLink: 'Ouvrir la page de confirmation',
    confirmWhy:
      'Vous recevez ce message parce qu’une alerte Vigie a été demandée pour cette adresse. Vigie ne vous demandera jamais de mot de passe ni de paiement.',
    alertTitle: (leak: string) => `Vigie : votre adresse figure dans une nouvelle fuite, « ${leak} »`,
    alertIntro: (leak: string, when: string | undefined, added: string) =>
      `Votre adresse e-mail figure dans la fuite « ${leak} »${when ? `, survenue le ${when}` : ''}, publiée dans Vigie le ${added}.`,
    alertNothingElse: 'Ce message ne contient aucune autre donnée de la fuite. Vigie ne vous demandera jamais de mot de passe ni de paiement.',
    exposedHeading: 'Ce que cette fuite a exposé avec votre adresse',
    whatToDo: 'Que faire',
    checkLink: 'Vérifier vos autres fuites sur Vigie',
    alertWhy: 'Vous recevez ce message parce que vous avez confirmé une alerte Vigie pour cette adresse.',
    unsubscribe: 'Se désabonner de ces alertes',
    at: (day: string, h: string, m: string) => `${day} à ${Number(h)}\u00a0h\u00a0${m} (heure de Paris)`,
  },
  en: {
    confirmTitle: 'Vigie: confirm your alert',
    confirmBody: (until: string, hours: number) => [
      'An alert was asked for this address on Vigie: if it appears in a new data leak, Vigie will write to you.',
      `To confirm, open the link below and press “Confirm”. The link is valid for ${hours} hours, until ${until}.`,
      'Confirming also lets you see the leaks marked sensitive for this address.',
      'If you did not ask for this, ignore this message: without confirmation nothing will be sent to you and the address will be erased.',
    ],
    confirmLink: 'Open the confirmation page',
    confirmWhy: 'You receive this message because a Vigie alert was asked for this address. Vigie will never ask you for a password or a payment.',
    alertTitle: (leak: string) => `Vigie: your address is in a new leak, “${leak}”`,
    alertIntro: (leak: string, when: string | undefined, added: string) =>
      `Your email address is in the leak “${leak}”${when ? `, which happened on ${when}` : ''}, published in Vigie on ${added}.`,
    alertNothingElse: 'This message holds no other data of the leak. Vigie will never ask you for a password or a payment.',
    exposedHeading: 'What this leak exposed with your address',
    whatToDo: 'What to do',
    checkLink: 'Check your other leaks on Vigie',
    alertWhy: 'You receive this message because you confirmed a Vigie alert for this address.',
    unsubscribe: 'Unsubscribe from these alerts',
    at: (day: string, h: string, m: string) => `${day} at ${h}:${m} (Paris time)`,
  },
} as const;

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

const PARIS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An instant as a French reader expects it: the date in words and the time in Paris. */
export function dateTime(iso: string, lang: Lang): string {
  const parts = Object.fromEntries(PARIS.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  const day = `${parts['year']}-${parts['month']}-${parts['day']}`;
  return WORDS[lang].at(formatDate(day, lang) ?? day, parts['hour'] ?? '00', parts['minute'] ?? '00');
}

/** The confirmation message: a link to the confirmation page, its expiry, and what to do if unasked. */
export function confirmationMail(lang: Lang, links: { confirm: string; unsubscribe: string }, expiresAt: string, validHours: number): Mail {
  const w = WORDS[lang];
  return render(
    lang,
    w.confirmTitle,
    [{ paragraphs: [...w.confirmBody(dateTime(expiresAt, lang), validHours)] }],
    { label: w.confirmLink, url: links.confirm },
    { why: [w.confirmWhy], unsubscribe: { label: w.unsubscribe, url: links.unsubscribe } },
  );
}

/**
 * The alert of one leak for one subscriber: the leak's title and dates, the classes of `mask`
 * (theirs, not the leak's), the guidance for them, most dangerous first.
 */
export function alertMail(lang: Lang, breach: Breach, mask: number, links: { home: string; unsubscribe: string }): Mail {
  const w = WORDS[lang];
  const exposed = guidanceFor(classesFromMask(mask), lang);
  const general = generalAdvice(lang);
  const colon = lang === 'fr' ? '\u00a0: ' : ': ';
  const sections: Section[] = [
    {
      paragraphs: [
        w.alertIntro(
          breach.Title || breach.Name,
          formatDate(breach.BreachDate, lang),
          formatDate(breach.AddedDate.slice(0, 10), lang) ?? breach.AddedDate.slice(0, 10),
        ),
        w.alertNothingElse,
      ],
    },
    { heading: w.exposedHeading, paragraphs: [], bullets: exposed.map((g) => ({ term: capitalise(g.label), text: g.risk })) },
    ...exposed.map((g) => ({
      heading: `${w.whatToDo}${colon}${g.label}`,
      paragraphs: [],
      bullets: [...g.actions, ...g.resources],
    })),
    { heading: general.title, paragraphs: [], bullets: [...general.points, ...general.resources] },
  ];
  return render(
    lang,
    w.alertTitle(breach.Title || breach.Name),
    sections,
    { label: w.checkLink, url: links.home },
    {
      why: [w.alertWhy],
      unsubscribe: { label: w.unsubscribe, url: links.unsubscribe },
    },
  );
}

/*
 * The SMS are written in the GSM 03.38 alphabet (é, è, à, ù are in it; « », ’ and the no-break
 * space are not): one character outside it makes the whole message UCS-2, 70 characters a part
 * instead of 160. Only a leak's title, the operator's words, may bring one in.
 */

/** The text of a phone's one-time code: the code first (phones show it in the notification). */
export function codeSms(lang: Lang, code: string, minutes: number): string {
  return lang === 'fr'
    ? `${code} est votre code de confirmation Vigie, valable ${minutes} minutes. Ne le donnez à personne. Si vous n'avez rien demandé, ignorez ce message.`
    : `${code} is your Vigie confirmation code, valid for ${minutes} minutes. Do not give it to anyone. If you did not ask for it, ignore this message.`;
}

/**
 * The alert of one leak by SMS: short, the leak's title and date, a link to the page (what was
 * exposed and what to do are there, for whoever proves the number) and the unsubscribe link.
 * No value of the leak, not even which classes.
 */
export function alertSms(lang: Lang, breach: Breach, links: { home: string; unsubscribe: string }): string {
  const title = breach.Title || breach.Name;
  const added = formatDate(breach.AddedDate.slice(0, 10), lang) ?? breach.AddedDate.slice(0, 10);
  return lang === 'fr'
    ? `Vigie : votre numéro figure dans une nouvelle fuite, "${title}", publiée le ${added}. Que faire : ${links.home} Désabonnement : ${links.unsubscribe}`
    : `Vigie: your number is in a new leak, "${title}", published on ${added}. What to do: ${links.home} Unsubscribe: ${links.unsubscribe}`;
}
