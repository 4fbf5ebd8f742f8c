import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { MailTemplate, UNSUBSCRIBE_SLOT } from './mime.js';

describe('the raw message', () => {
  it('encodes a French From and subject, folds long headers, and fills each recipient’s link into both parts', async () => {
    const t = new MailTemplate(
      'Vigie — Mutuelle de démonstration <alertes@vigie.example.fr>',
      {
        subject: 'Vigie\u00a0: votre adresse figure dans une nouvelle fuite, «\u00a0Cantine scolaire (démo)\u00a0»',
        text: `Bonjour,\nSe désabonner\u00a0: ${UNSUBSCRIBE_SLOT}\n`,
        html: `<p><a href="${UNSUBSCRIBE_SLOT}">Se désabonner</a></p>`,
      },
      'fr',
    );
    const raws = ['a', 'b'].map((x) =>
      t.raw({
        to: `${x}@exemple.fr`,
        messageId: `<${x.repeat(32)}@vigie.example.fr>`,
        date: new Date('2026-11-20T09:30:00Z'),
        oneClick: `https://vigie.example.fr/api/v1/subscriptions/unsubscribe?token=${x}`,
        unsubscribe: `https://vigie.example.fr/desabonnement?token=${x}`,
      }),
    );
    const head = raws[0]!.split('\r\n\r\n')[0]!;
    for (const line of head.split('\r\n')) expect(line.length, line).toBeLessThanOrEqual(200);
    expect(head).not.toMatch(/[^\x20-\x7e\r\n]/);
    const m = await simpleParser(raws[1]!);
    expect(m.from?.value).toEqual([{ address: 'alertes@vigie.example.fr', name: 'Vigie — Mutuelle de démonstration' }]);
    expect(m.subject).toBe('Vigie\u00a0: votre adresse figure dans une nouvelle fuite, «\u00a0Cantine scolaire (démo)\u00a0»');
    expect(m.messageId).toBe(`<${'b'.repeat(32)}@vigie.example.fr>`);
    expect(m.date?.toISOString()).toBe('2026-11-20T09:30:00.000Z');
    expect(m.headers.get('content-language')).toBe('fr');
    expect(m.text).toBe('Bonjour,\nSe désabonner\u00a0: https://vigie.example.fr/desabonnement?token=b\n');
    expect(m.html).toContain('<a href="https://vigie.example.fr/desabonnement?token=b">');
    expect(raws[1]).not.toContain(UNSUBSCRIBE_SLOT);
  });
});
