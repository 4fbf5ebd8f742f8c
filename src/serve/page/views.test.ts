import { describe, expect, it } from 'vitest';
import type { Breach, BreachEntry } from '../../store/index.js';
import { cataloguePage } from './catalogue-view.js';
import { checkForm, formPage, tooManyPage } from './form-view.js';
import { capitalise, countOf, formatDate, formatNumber } from './format.js';
import { escapeHtml, html, raw } from './html.js';
import { resultsPage } from './results-view.js';

const breach = (over: Partial<Breach>): Breach => ({
  Name: 'Demo',
  Title: 'Démo',
  Domain: '',
  BreachDate: '2025-04-15',
  AddedDate: '2025-05-01T00:00:00Z',
  ModifiedDate: '2025-05-01T00:00:00Z',
  PwnCount: 1234,
  Description: '',
  LogoPath: '',
  DataClasses: ['Email addresses', 'Names', 'Passwords', 'Social security numbers'],
  IsVerified: true,
  IsFabricated: false,
  IsSensitive: false,
  IsRetired: false,
  IsSpamList: false,
  IsMalware: false,
  IsSubscriptionFree: false,
  IsStealerLog: false,
  ...over,
});
const entry = (b: Breach): BreachEntry => ({
  breach: b,
  stats: {
    records: b.PwnCount,
    skipped: 0,
    people: b.PwnCount,
    classCounts: { email: b.PwnCount },
    invalidCounts: {},
    formats: ['csv'],
    identifiers: b.PwnCount,
    loads: 1,
  },
  files: [],
});

describe('html', () => {
  it('escapes every interpolated string, in text and in attributes, but not nested fragments', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'"onmouseover="x'}">${inner}${['<', raw('<br>')]}${null}${false}${3}</p>`.value).toBe(
      '<p title="&quot;onmouseover=&quot;x"><b>&lt;i&gt;</b>&lt;<br>3</p>',
    );
  });
});

describe('format', () => {
  it('writes dates and numbers as each language does', () => {
    expect(formatDate('2025-04-15', 'fr')).toBe('15 avril 2025');
    expect(formatDate('2021-06-01', 'fr')).toBe('1er juin 2021');
    expect(formatDate('2025-04-15', 'en')).toBe('15 April 2025');
    expect(formatDate(null, 'fr')).toBeUndefined();
    expect(formatDate('2025-13-45', 'fr')).toBeUndefined();
    expect(formatNumber(1234567, 'fr')).toBe('1\u202f234\u202f567');
    expect(formatNumber(1234567, 'en')).toBe('1,234,567');
    expect(countOf(0, ['fuite', 'fuites'], 'fr')).toBe('0\u00a0fuite');
    expect(countOf(2, ['fuite', 'fuites'], 'fr')).toBe('2\u00a0fuites');
    expect(countOf(1, ['leak', 'leaks'], 'en')).toBe('1\u00a0leak');
    expect(capitalise('votre nom')).toBe('Votre nom');
  });
});

describe('resultsPage', () => {
  it("shows the classes exposed for the person, not the leak's whole list, and guidance for those only", () => {
    const page = resultsPage('fr', { kind: 'email', hits: [{ breach: breach({ Title: 'Fuite <b>' }), exposed: ['Email addresses', 'Names'] }] });
    expect(page).toContain('<h3>Fuite &lt;b&gt;</h3>');
    expect(page).toContain('<ul class="tags"><li>Adresse e-mail</li><li>Nom et prénom</li></ul>');
    expect(page).not.toContain('Mot de passe');
    expect(page).not.toContain('Votre mot de passe');
    expect(page).toContain('<h3>Votre adresse e-mail</h3>');
    expect(page).toContain('L’adresse e-mail saisie apparaît dans 1 fuite<');
    // One list of services, each once: the classes' first, then those for anybody.
    const links = [...page.matchAll(/<a href="(https:[^"]+)">/g)].map((m) => m[1]);
    expect(links).toEqual([
      'https://www.signal-spam.fr',
      'https://www.cybermalveillance.gouv.fr',
      'https://www.17cyber.gouv.fr',
      'https://www.masecurite.interieur.gouv.fr',
    ]);
  });

  it('writes an unknown date as unknown', () => {
    const page = resultsPage('en', { kind: 'phone', hits: [{ breach: breach({ BreachDate: null }), exposed: ['Phone numbers'] }] });
    expect(page).toContain('<dt>Date of the leak</dt><dd>unknown</dd>');
    expect(page).toContain('The number you entered is in 1 leak<');
  });
});

describe('form pages', () => {
  it('ties the error to the field and never fills the field in', () => {
    const form = checkForm('fr', 'Message <d’erreur>').value;
    expect(form).toContain('aria-describedby="account-hint account-error" aria-invalid="true"');
    expect(form).toContain('<p id="account-error" class="field-error"><span class="visually-hidden">Erreur\u00a0: </span>Message &lt;d’erreur&gt;</p>');
    expect(form).not.toContain('value=');
    expect(formPage('en')).toContain('<title>Is your data in a leak? · Vigie</title>');
  });

  it('says in how many seconds to retry', () => {
    expect(tooManyPage('fr', 1)).toContain('Réessayez dans 1\u00a0seconde.');
    expect(tooManyPage('en', 42)).toContain('Try again in 42 seconds.');
  });
});

describe('cataloguePage', () => {
  it('lists the leaks newest first, leaves out the retired, marks the sensitive and says when there is none', () => {
    const page = cataloguePage('fr', [
      entry(breach({ Name: 'Old', Title: 'Ancienne', BreachDate: '2019-01-01' })),
      entry(breach({ Name: 'New', Title: 'Récente', BreachDate: '2024-01-01', IsSensitive: true })),
      entry(breach({ Name: 'Gone', Title: 'Retirée', IsRetired: true })),
    ]);
    expect(page.indexOf('<h3>Récente</h3>')).toBeLessThan(page.indexOf('<h3>Ancienne</h3>'));
    expect(page).not.toContain('Retirée');
    expect(page).toContain('Fuite sensible');
    expect(page).toContain('1\u202f234\u00a0personnes concernées');
    expect(page).toContain('2\u00a0fuites, 2\u202f468\u00a0personnes concernées au total');
    expect(cataloguePage('en', [])).toContain('No leak has been loaded yet.');
  });
});
