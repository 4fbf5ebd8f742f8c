/**
 * The sender: claims due messages from the outbox, writes each in its recipient's language,
 * sends it over one pooled SMTP transport and records what became of it. It runs inside
 * `vigie serve` and as `vigie alerts send`.
 *
 * Nothing is lost and nothing gets a second identity: a message is claimed under a lease, so
 * a sender killed mid-batch leaves its claims to be taken again when the lease ends; its
 * Message-ID was fixed when it was queued, so the one message in flight on each connection at a
 * kill may arrive twice, never under two identities. A connection sends its next message only
 * once the last one's outcome is committed; outcomes finished together share one transaction
 * (`OutcomeLog`). A temporary failure (SMTP 4xx, a lost connection) is retried with exponential
 * backoff, and after `maxAttempts` the message is dead; a permanent one (SMTP 5xx: the mailbox
 * does not exist, the relay refuses) is dead at once (`vigie alerts retry` revives the dead).
 */
import { isVigieError } from '../errors.js';
import { type Breach, clipError, type OutboxMessage, type OutboxOutcome, type Store } from '../store/index.js';
import { phoneCode } from './codes.js';
import { alertMail, alertSms, codeSms, confirmationMail } from './compose.js';
import { type AlertKeys, openAddress } from './keys.js';
import type { Links } from './links.js';
import { MailTemplate, UNSUBSCRIBE_SLOT } from './mime.js';
import { orgDelivery, postWebhook } from './org-messages.js';
import type { Organisations } from './organisations.js';
import { SmsFailure, type SmsTransport } from './sms.js';

/** What the sender needs of a mail transport (nodemailer's, or a test's): a raw message and its envelope. */
export interface MailTransport {
  sendMail(message: { envelope: { from: string; to: string }; raw: string; messageId: string }): Promise<unknown>;
  close(): void;
}

interface SenderSettings {
  /** Messages claimed at once. */
  batch: number;
  /** How long a claim holds before another sender may take the message (seconds). */
  leaseSeconds: number;
  /** Failures before a message is dead. */
  maxAttempts: number;
  /** The first retry's delay (seconds); each further one doubles it, up to a day. */
  backoffSeconds: number;
  /** Messages in flight at once (the SMTP pool's connections). */
  concurrency: number;
  /** How long a confirmation link is valid (hours), as its message says. */
  confirmHours: number;
  /** How long a phone's code is valid (minutes), as its message says. */
  codeMinutes: number;
}

interface SendReport {
  sent: number;
  failed: number;
  dead: number;
}

interface SenderDeps {
  store: Store;
  keys: AlertKeys;
  links: Links;
  /** The From header, as configured (`Vigie <alertes@example.fr>`). */
  from: string;
  transport: MailTransport;
  /** The SMS transport, for phone subscriptions; none when no gateway is configured. */
  sms?: SmsTransport;
  settings: SenderSettings;
  /** Organisations' messages (domain checks, alerts by mail or webhook); without it they go dead. */
  organisations?: Organisations;
  now?: () => Date;
  /** Told of each failure, with its reason (an SMTP reply or code: no value). */
  onError?: (reason: string) => void;
}

const DAY = 86_400;
/** Templates kept between claims (one per leak, language and set of classes). */
const TEMPLATES = 2_000;

/**
 * Outcomes recorded in groups: those that finish while a commit is under way (or in the same
 * turn of the event loop) go together in the next one. Each caller waits for its own commit.
 */
class OutcomeLog {
  private pending: { outcome: OutboxOutcome; done: (e?: unknown) => void }[] = [];
  private scheduled = false;

  constructor(private readonly store: Store) {}

  record(outcome: OutboxOutcome): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ outcome, done: (e) => (e === undefined ? resolve() : reject(e)) });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const group = this.pending;
    this.pending = [];
    try {
      await this.store.recordOutcomes(group.map((g) => g.outcome));
      for (const g of group) g.done();
    } catch (e) {
      for (const g of group) g.done(e);
    } finally {
      this.scheduled = false;
      if (this.pending.length > 0) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    }
  }
}

/** A failure that no retry will cure: the recipient or the relay said no (SMTP 5xx). */
interface Failure {
  reason: string;
  permanent: boolean;
}

export class OutboxSender {
  private readonly now: () => Date;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SendReport> | undefined;
  private stopping = false;
  private readonly breaches = new Map<string, Breach | undefined>();
  private readonly templates = new Map<string, MailTemplate>();
  private readonly log: OutcomeLog;

  constructor(private readonly deps: SenderDeps) {
    this.now = deps.now ?? (() => new Date());
    this.log = new OutcomeLog(deps.store);
  }

  /** Sends everything due now, batch after batch, and reports what happened. */
  runOnce(): Promise<SendReport> {
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async drain(): Promise<SendReport> {
    const report: SendReport = { sent: 0, failed: 0, dead: 0 };
    // A leak may have been retired or renamed since the last run.
    this.breaches.clear();
    this.templates.clear();
    const { store, settings } = this.deps;
    while (!this.stopping) {
      const batch = await store.claimOutbox({ limit: settings.batch, leaseSeconds: settings.leaseSeconds });
      if (batch.length === 0) break;
      let next = 0;
      const worker = async () => {
        for (let m = batch[next++]; m !== undefined; m = batch[next++]) {
          const outcome = await this.deliver(m);
          report[outcome]++;
        }
      };
      await Promise.all(Array.from({ length: Math.min(settings.concurrency, batch.length) }, worker));
    }
    return report;
  }

  private async breach(name: string): Promise<Breach | undefined> {
    if (!this.breaches.has(name)) this.breaches.set(name, (await this.deps.store.getBreach(name))?.breach);
    return this.breaches.get(name);
  }

  /** The words of the message (shared by every alert of one leak, language and mask), or why it can never be sent. */
  private async template(m: OutboxMessage, sub: { lang: 'fr' | 'en' }): Promise<MailTemplate | { never: string }> {
    const { links, settings, from } = this.deps;
    if (m.kind === 'confirm') {
      if (!m.expiresAt || Date.parse(m.expiresAt) <= this.now().getTime()) return { never: 'the confirmation link expired before it could be sent' };
      const mail = confirmationMail(
        sub.lang,
        { confirm: links.confirm(m.recipient, sub.lang, m.expiresAt), unsubscribe: UNSUBSCRIBE_SLOT },
        m.expiresAt,
        settings.confirmHours,
      );
      return new MailTemplate(from, mail, sub.lang);
    }
    const key = `${m.breach}\u0000${sub.lang}\u0000${m.mask}`;
    const cached = this.templates.get(key);
    if (cached) return cached;
    const breach = m.breach === null ? undefined : await this.breach(m.breach);
    if (!breach || breach.IsRetired) return { never: 'the leak was removed or retired' };
    const template = new MailTemplate(from, alertMail(sub.lang, breach, m.mask, { home: links.home(sub.lang), unsubscribe: UNSUBSCRIBE_SLOT }), sub.lang);
    if (this.templates.size >= TEMPLATES) this.templates.clear();
    this.templates.set(key, template);
    return template;
  }

  private async deliver(m: OutboxMessage): Promise<keyof SendReport> {
    if (m.kind === 'domain-verify' || m.kind === 'org-alert') return this.deliverToOrganisation(m);
    const { links } = this.deps;
    const sub = m.subscription;
    if (sub?.channel === 'phone') return this.deliverSms(m, sub);
    const template = sub ? await this.template(m, sub) : { never: 'the recipient unsubscribed' };
    if (!sub || 'never' in template) return this.record(m, { reason: 'never' in template ? template.never : '', permanent: true });
    let to: string;
    try {
      to = openAddress(this.deps.keys, sub.sealed, m.recipient);
    } catch {
      return this.record(m, { reason: 'the sealed address does not open under this key', permanent: true });
    }
    const messageId = `<${m.messageId}@${links.domain}>`;
    const raw = template.raw({
      to,
      messageId,
      date: this.now(),
      oneClick: links.oneClick(m.recipient),
      unsubscribe: links.unsubscribe(m.recipient, sub.lang),
    });
    try {
      await this.deps.transport.sendMail({ envelope: { from: envelopeFrom(this.deps.from), to }, raw, messageId });
    } catch (e) {
      return this.record(m, smtpFailure(e));
    }
    return this.record(m, undefined);
  }

  /** An organisation's message (ADR 0008): mail to its address or a signed webhook, with the same retries and dead-letter. */
  private async deliverToOrganisation(m: OutboxMessage): Promise<keyof SendReport> {
    const orgs = this.deps.organisations;
    if (!orgs) return this.record(m, { reason: 'organisations are not configured in this sender', permanent: true });
    let d: Awaited<ReturnType<typeof orgDelivery>>;
    try {
      d = await orgDelivery(this.deps.store, orgs, m, (name) => this.breach(name), this.now().getTime());
    } catch (e) {
      if (isVigieError(e) && e.code === 'VIGIE_KEY') return this.record(m, { reason: 'the sealed contact does not open under this key', permanent: true });
      throw e;
    }
    if ('never' in d) return this.record(m, { reason: d.never, permanent: true });
    if ('webhook' in d) {
      try {
        await postWebhook(d.webhook, m.messageId, this.now().getTime());
      } catch (e) {
        const status = /answered (\d{3})/.exec(e instanceof Error ? e.message : '')?.[1];
        // Like the SMS gateway: 408, 429 and 5xx may pass; any other answer will not change.
        const permanent = status !== undefined && status !== '408' && status !== '429' && !status.startsWith('5');
        return this.record(m, { reason: clipError(e instanceof Error ? e.message : 'webhook error'), permanent });
      }
      return this.record(m, undefined);
    }
    const { links, from, transport } = this.deps;
    const messageId = `<${m.messageId}@${links.domain}>`;
    // No list to leave: an organisation's messages carry no unsubscribe headers.
    const raw = new MailTemplate(from, d.mail, 'fr', false).raw({ to: d.to, messageId, date: this.now(), unsubscribe: links.home('fr') });
    try {
      await transport.sendMail({ envelope: { from: envelopeFrom(from), to: d.to }, raw, messageId });
    } catch (e) {
      return this.record(m, smtpFailure(e));
    }
    return this.record(m, undefined);
  }

  /** A phone's code or alert, through the SMS transport: the same outbox, retries, dead-letter and idempotency as mail. */
  private async deliverSms(m: OutboxMessage, sub: { sealed: Buffer; lang: 'fr' | 'en' }): Promise<keyof SendReport> {
    const { links, settings, sms } = this.deps;
    let text: string;
    if (m.kind === 'confirm') {
      if (!m.expiresAt || Date.parse(m.expiresAt) <= this.now().getTime())
        return this.record(m, { reason: 'the code expired before it could be sent', permanent: true });
      text = codeSms(sub.lang, phoneCode(this.deps.keys, m.recipient, m.messageId), settings.codeMinutes);
    } else {
      const breach = m.breach === null ? undefined : await this.breach(m.breach);
      if (!breach || breach.IsRetired) return this.record(m, { reason: 'the leak was removed or retired', permanent: true });
      text = alertSms(sub.lang, breach, { home: links.home(sub.lang), unsubscribe: links.unsubscribe(m.recipient, sub.lang) });
    }
    // Configured later, or no longer: retried, then dead, as a relay that is down.
    if (!sms) return this.record(m, { reason: 'no SMS transport is configured (VIGIE_SMS_WEBHOOK_URL)', permanent: false });
    let to: string;
    try {
      to = openAddress(this.deps.keys, sub.sealed, m.recipient);
    } catch {
      return this.record(m, { reason: 'the sealed phone does not open under this key', permanent: true });
    }
    try {
      await sms.send({ to, text, id: m.messageId });
    } catch (e) {
      return this.record(m, e instanceof SmsFailure ? { reason: e.reason, permanent: e.permanent } : { reason: 'SMS transport error', permanent: false });
    }
    return this.record(m, undefined);
  }

  /** Records the outcome (sent when `failure` is undefined) and says which it was. */
  private async record(m: OutboxMessage, failure: Failure | undefined): Promise<keyof SendReport> {
    if (failure === undefined) {
      await this.log.record({ id: m.id, sent: true });
      return 'sent';
    }
    const { settings } = this.deps;
    this.deps.onError?.(failure.reason);
    const attempts = m.attempts + 1;
    if (failure.permanent || attempts >= settings.maxAttempts) {
      await this.log.record({ id: m.id, sent: false, error: failure.reason, retryAt: null });
      return 'dead';
    }
    const delay = Math.min(DAY, settings.backoffSeconds * 2 ** (attempts - 1));
    const retryAt = `${new Date(this.now().getTime() + delay * 1000).toISOString().slice(0, 19)}Z`;
    await this.log.record({ id: m.id, sent: false, error: failure.reason, retryAt });
    return 'failed';
  }

  /** Runs `runOnce` every `intervalMs` until `stop`. */
  start(intervalMs: number): void {
    const tick = () => {
      void this.runOnce()
        .catch((e: unknown) => this.deps.onError?.(smtpFailure(e).reason))
        .finally(() => {
          if (!this.stopping) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops claiming, waits for the messages in flight, and closes the transport. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    this.deps.transport.close();
    this.deps.sms?.close();
  }
}

/** The envelope sender (RFC 5321 MAIL FROM): the address of the From header. */
function envelopeFrom(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
}

/**
 * An SMTP failure in a few words (the server's reply code and the error's code, never an
 * address), and whether it is permanent: a 5xx reply (RFC 5321 §4.2.1), to the recipient or to
 * the message. A 4xx reply, a timeout or a lost connection may pass.
 */
function smtpFailure(e: unknown): Failure {
  const err = e as { code?: unknown; responseCode?: unknown; response?: unknown; message?: unknown };
  const parts = [typeof err.code === 'string' ? err.code : 'error'];
  const code = typeof err.responseCode === 'number' ? err.responseCode : undefined;
  if (code !== undefined) parts.push(String(code));
  if (typeof err.response === 'string') parts.push(err.response);
  else if (typeof err.message === 'string') parts.push(err.message);
  return { reason: clipError(parts.join(' ')), permanent: code !== undefined && code >= 500 && code < 600 };
}
