/**
 * The raw message (RFC 5322, MIME multipart/alternative), written by Vigie and handed to
 * nodemailer as `raw` with its envelope. Every alert of one leak, language and set of classes
 * has the same words: they are written, and their constant headers encoded, once (`MailTemplate`);
 * each recipient gets only its own parts (the address, the Message-ID, the date, the unsubscribe
 * link) and one base64 encoding of each body (native, fast). Building a MIME tree per message
 * with nodemailer's composer was the sender's largest cost (bench:alerts).
 *
 * Bodies go as base64: quoted-printable detection and encoding of accented French text was the
 * next largest cost, and base64 is as widely read.
 */
import { randomBytes } from 'node:crypto';
import addressparser from 'nodemailer/lib/addressparser';
import { encodeWord, encodeWords, isPlainText, quoteString } from 'nodemailer/lib/mime-funcs';
import type { Lang } from '../guidance/index.js';
import type { Mail } from './compose.js';

/** Stands for the recipient's unsubscribe link in a template's bodies until it is filled in. */
export const UNSUBSCRIBE_SLOT = 'vigie-unsubscribe-slot-0d1e';

/** What differs from one recipient to the next. */
interface Recipient {
  to: string;
  /** With its angle brackets: `<hex@host>`. */
  messageId: string;
  date: Date;
  /** The RFC 8058 one-click URL (the `List-Unsubscribe` header); none for a message that belongs to no list. */
  oneClick?: string;
  /** The unsubscribe page's link, in the bodies in place of `UNSUBSCRIBE_SLOT`. */
  unsubscribe: string;
}

/** Folds a header at spaces so that lines stay under 78 characters where they can (RFC 5322 §2.2.3). */
function fold(line: string): string {
  const words = line.split(' ');
  const out: string[] = [];
  let current = words.shift() ?? '';
  for (const w of words) {
    if (current.length + 1 + w.length > 76) {
      out.push(current);
      current = w;
    } else current += ` ${w}`;
  }
  out.push(current);
  return out.join('\r\n ');
}

/** A display name and address for `From`: the name quoted, or encoded (RFC 2047) when not ASCII. */
function mailbox(from: string): string {
  const [first] = addressparser(from);
  const address = first && 'address' in first ? first.address : from;
  const name = first?.name ?? '';
  if (!name) return `<${address}>`;
  // A phrase of atoms goes bare (RFC 5322 §3.2.5); other ASCII is quoted; the rest encoded.
  const phrase = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]+$/.test(name) ? name : isPlainText(name) ? quoteString(name) : encodeWord(name, 'B', 52);
  return `${phrase} <${address}>`;
}

/** Base64 in lines of 76 characters (RFC 2045 §6.8). */
function base64Lines(text: string): string {
  const b = Buffer.from(text, 'utf8').toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b.length; i += 76) lines.push(b.slice(i, i + 76));
  return lines.join('\r\n');
}

/** The words and constant headers of a message, to be sent to many. */
export class MailTemplate {
  private readonly head: string;
  private readonly text: string[];
  private readonly html: string[];
  private readonly boundary = `----=_vigie_${randomBytes(12).toString('hex')}`;

  /** @param list the message belongs to a list the recipient can leave (RFC 8058 headers). */
  constructor(from: string, mail: Mail, lang: Lang, list = true) {
    this.head = [
      fold(`From: ${mailbox(from)}`),
      fold(`Subject: ${encodeWords(mail.subject, 'B', 52)}`),
      'MIME-Version: 1.0',
      `Content-Language: ${lang}`,
      // RFC 3834: no auto-replies to this message.
      'Auto-Submitted: auto-generated',
      ...(list ? ['List-Unsubscribe-Post: List-Unsubscribe=One-Click'] : []),
      `Content-Type: multipart/alternative; boundary="${this.boundary}"`,
    ].join('\r\n');
    this.text = mail.text.replace(/\r?\n/g, '\r\n').split(UNSUBSCRIBE_SLOT);
    this.html = mail.html.replace(/\r?\n/g, '\r\n').split(UNSUBSCRIBE_SLOT);
  }

  /** The whole message for one recipient. */
  raw(r: Recipient): string {
    const b = this.boundary;
    return [
      `To: ${r.to}`,
      // RFC 5322 §3.3, in UTC.
      `Date: ${r.date.toUTCString().replace(/GMT$/, '+0000')}`,
      `Message-ID: ${r.messageId}`,
      // RFC 8058: an https URI, one click by POST.
      ...(r.oneClick === undefined ? [] : [`List-Unsubscribe: <${r.oneClick}>`]),
      this.head,
      '',
      `--${b}`,
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      base64Lines(this.text.join(r.unsubscribe)),
      `--${b}`,
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      base64Lines(this.html.join(r.unsubscribe)),
      `--${b}--`,
      '',
    ].join('\r\n');
  }
}
