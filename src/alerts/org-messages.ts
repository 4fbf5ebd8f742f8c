/**
 * What an organisation receives: the mail of a domain check (to `security@` or `postmaster@`
 * the domain), and the alert of a new leak holding addresses of its verified domains, by mail to
 * its contact address or as a signed webhook. An alert gives the leak, the number of the
 * organisation's addresses in it and their classes: never an address (the verified owner reads
 * them with `breacheddomain`). Messages are in French then English: an organisation's contact is
 * not a person who chose a language.
 */
import { classesFromMask } from '../dataclasses.js';
import { escapeHtml } from '../html.js';
import type { Breach, OutboxMessage, Store } from '../store/index.js';
import { dateTime, type Mail } from './compose.js';
import type { Organisations } from './organisations.js';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signWebhook } from './webhook.js';

/** One way to deliver an organisation's message, or why it never can be. */
type OrgDelivery = { never: string } | { mail: Mail; to: string } | { webhook: { url: string; secret: string; body: string } };

/** A paragraph of text, or a link shown as its own address (clickable in the HTML part). */
type Paragraph = string | { href: string };

function mail(subject: string, paragraphs: Paragraph[]): Mail {
  const text = (p: Paragraph): string => (typeof p === 'string' ? p : p.href);
  const html = (p: Paragraph): string =>
    typeof p === 'string' ? `<p>${escapeHtml(p)}</p>` : `<p><a href="${escapeHtml(p.href)}">${escapeHtml(p.href)}</a></p>`;
  return {
    subject,
    text: `${paragraphs.map(text).join('\n\n')}\n`,
    html: `<!doctype html><html><body>${paragraphs.map(html).join('')}</body></html>`,
  };
}

function domainCheckMail(domain: string, link: string, expiresAt: string): Mail {
  return mail(`Vigie : vérification du domaine ${domain} / domain check`, [
    `Une organisation a demandé à recevoir les alertes de Vigie pour le domaine ${domain}. Si c'est la vôtre, ouvrez ce lien et confirmez avant le ${dateTime(expiresAt, 'fr')}\u00a0:`,
    { href: link },
    `An organisation asked to receive Vigie's alerts for the domain ${domain}. If it is yours, open the link above and confirm before ${dateTime(expiresAt, 'en')}.`,
    'Sans confirmation, rien ne change. / Without confirmation, nothing changes.',
  ]);
}

function orgAlertMail(breach: Breach, count: number, classes: string[]): Mail {
  const title = breach.Title || breach.Name;
  return mail(`Vigie : ${count} adresse(s) de vos domaines dans la fuite ${title} / ${count} of your addresses in a new leak`, [
    `La fuite « ${title} » (${breach.BreachDate ?? 'date inconnue'}), publiée dans Vigie le ${breach.AddedDate.slice(0, 10)}, contient ${count} adresse(s) de vos domaines vérifiés. Données exposées : ${classes.join(', ')}.`,
    `The leak "${title}" (${breach.BreachDate ?? 'date unknown'}), published in Vigie on ${breach.AddedDate.slice(0, 10)}, holds ${count} address(es) of your verified domains. Data exposed: ${classes.join(', ')}.`,
    "La liste des adresses s'obtient par l'API : GET /api/v3/breacheddomain/{domaine}. / The list of addresses is in the API: GET /api/v3/breacheddomain/{domain}.",
  ]);
}

/** Writes an organisation's message from its outbox row. */
export async function orgDelivery(
  store: Store,
  orgs: Organisations,
  m: OutboxMessage,
  breach: (name: string) => Promise<Breach | undefined>,
  nowMs: number,
): Promise<OrgDelivery> {
  const org = await store.getOrganisationById(m.recipient);
  if (!org) return { never: 'the organisation is gone' };
  const secrets = orgs.secrets(org);
  if (m.kind === 'domain-verify') {
    const to = m.breach ?? '';
    const domain = to.slice(to.indexOf('@') + 1);
    if (!m.expiresAt || Date.parse(m.expiresAt) <= nowMs) return { never: 'the link expired before it could be sent' };
    return { mail: domainCheckMail(domain, orgs.confirmLink(org.id, domain, m.expiresAt), m.expiresAt), to };
  }
  const b = m.breach === null ? undefined : await breach(m.breach);
  if (!b || b.IsRetired) return { never: 'the leak was removed or retired' };
  const count = await store.organisationBreachCount(org.id, b.Name);
  const classes = classesFromMask(m.mask);
  if (org.webhookUrl && secrets.webhookSecret) {
    const body = JSON.stringify({
      type: 'breach',
      id: m.messageId,
      breach: { Name: b.Name, Title: b.Title, BreachDate: b.BreachDate, AddedDate: b.AddedDate },
      addresses: count,
      dataClasses: classes,
    });
    return { webhook: { url: org.webhookUrl, secret: secrets.webhookSecret, body } };
  }
  if (secrets.contact) return { mail: orgAlertMail(b, count, classes), to: secrets.contact };
  return { never: 'the organisation has no contact address or webhook' };
}

/** POSTs a webhook delivery, signed at the current second; throws on anything but a 2xx. */
export async function postWebhook(w: { url: string; secret: string; body: string }, messageId: string, nowMs: number): Promise<void> {
  const response = await fetch(w.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [SIGNATURE_HEADER]: signWebhook(w.secret, Math.floor(nowMs / 1000), w.body),
      [DELIVERY_HEADER]: messageId,
      'user-agent': 'Vigie-Webhook/1',
    },
    body: w.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  await response.arrayBuffer().catch(() => undefined);
  // Never the URL in the error: it may carry the receiver's own token.
  if (response.status < 200 || response.status > 299) throw Object.assign(new Error(`webhook answered ${response.status}`), { code: 'EWEBHOOK' });
}
