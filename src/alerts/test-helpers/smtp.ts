/**
 * Test helper (imported by tests only): a real SMTP server on loopback (`smtp-server`), which
 * parses every message it accepts with `mailparser` and keeps it. It can delay its answer to
 * each message (to kill a sender mid-batch) and refuse recipients (to dead-letter).
 */
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string;
  messageId: string;
  subject: string;
  text: string;
  html: string;
  headers: Map<string, unknown>;
  raw: string;
}

/** A header of a raw message, unfolded (RFC 5322 §2.2.3), or undefined. */
export function rawHeader(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

export interface SmtpSink {
  url: string;
  mails: ReceivedMail[];
  /** Milliseconds to wait before accepting each message. */
  delayMs: number;
  /** Refuse every recipient with this reply code (550: permanent, 451: try later) while set. */
  reject: 550 | 451 | false;
  /** Resolves when `n` messages have been accepted in all. */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** @example const sink = await startSmtpSink(); ... sink.url // 'smtp://127.0.0.1:40123' */
export async function startSmtpSink(options: { keep?: boolean } = {}): Promise<SmtpSink> {
  const keep = options.keep ?? true;
  let accepted = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const sink: SmtpSink = {
    url: '',
    mails: [],
    delayMs: 0,
    reject: false,
    waitFor(n, timeoutMs = 20_000) {
      if (accepted >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${accepted} of ${n} messages arrived`)), timeoutMs);
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    maxClients: 100,
    onRcptTo(_address, _session, callback) {
      if (sink.reject) {
        const e = new Error(sink.reject === 550 ? '5.1.1 mailbox unavailable' : '4.3.0 try again later') as Error & { responseCode: number };
        e.responseCode = sink.reject;
        callback(e);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const to = session.envelope.rcptTo.map((r) => r.address).join(',');
        const finish = async () => {
          if (keep) {
            const m: ParsedMail = await simpleParser(raw);
            sink.mails.push({
              to,
              messageId: m.messageId ?? '',
              subject: m.subject ?? '',
              text: m.text ?? '',
              html: typeof m.html === 'string' ? m.html : '',
              headers: m.headers as Map<string, unknown>,
              raw: raw.toString('utf8'),
            });
          }
          accepted++;
          for (const w of waiters.filter((x) => accepted >= x.n)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve();
          }
          callback();
        };
        setTimeout(() => void finish().catch(callback), sink.delayMs);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return sink;
}
