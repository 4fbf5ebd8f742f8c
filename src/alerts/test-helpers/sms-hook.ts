/**
 * Test helper (imported by tests only): an SMS webhook receiver on loopback (node:http) that
 * keeps every request, answers the statuses it is told to (then 200), and can delay each answer
 * (to kill a sender mid-batch).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SmsHook {
  url: string;
  received: { headers: IncomingHttpHeaders; body: { to: string; text: string; id: string } }[];
  /** The statuses of the next answers, then 200. */
  statuses: number[];
  /** Milliseconds to wait before each answer. */
  delayMs: number;
  close(): Promise<void>;
}

/** @example const hook = await startSmsHook(); ... hook.url // 'http://127.0.0.1:40123/sms' */
export async function startSmsHook(): Promise<SmsHook> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      hook.received.push({ headers: req.headers, body: JSON.parse(body) as SmsHook['received'][number]['body'] });
      const status = hook.statuses.shift() ?? 200;
      setTimeout(() => res.writeHead(status, { 'content-type': 'application/json' }).end('{"accepted":true}'), hook.delayMs);
    });
  });
  const hook: SmsHook = {
    url: '',
    received: [],
    statuses: [],
    delayMs: 0,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  hook.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
  return hook;
}
