/**
 * The SMTP transport: nodemailer's pooled transport from `VIGIE_SMTP_URL` (`smtp://` or
 * `smtps://`, user and password in the URL if the relay needs them), a few connections kept
 * open and reused for every message (ADR 0007).
 */
import { createTransport } from 'nodemailer';
import type { MailTransport } from './sender.js';

/** @example const transport = smtpTransport('smtp://127.0.0.1:2525', 4); */
export function smtpTransport(url: string, connections: number): MailTransport {
  const t = createTransport({ url, pool: true, maxConnections: connections, maxMessages: Number.POSITIVE_INFINITY });
  return { sendMail: (m) => t.sendMail(m), close: () => t.close() };
}
