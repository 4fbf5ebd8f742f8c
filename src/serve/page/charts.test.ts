import { describe, expect, it } from 'vitest';
import type { BreachEntry } from '../../store/index.js';
import { classExposure, leaksPerYear, peoplePerLeak } from './chart-data.js';
import { barChart, columnChart, dataTable, MAX_LABEL, type ChartText } from './charts.js';

function entry(name: string, date: string | null, people: number, classCounts: BreachEntry['stats']['classCounts'] = {}): BreachEntry {
  return {
    breach: {
      Name: name,
      Title: `Fuite ${name}`,
      Domain: '',
      BreachDate: date,
      AddedDate: '2025-01-01T00:00:00Z',
      ModifiedDate: '2025-01-01T00:00:00Z',
      PwnCount: people,
      Description: '',
      LogoPath: '',
      DataClasses: [],
      IsVerified: true,
      IsFabricated: false,
      IsSensitive: false,
      IsRetired: false,
      IsSpamList: false,
      IsMalware: false,
      IsSubscriptionFree: false,
      IsStealerLog: false,
    },
    stats: { records: people, skipped: 0, people, classCounts, invalidCounts: {}, formats: ['csv'], identifiers: people, loads: 1 },
    files: [],
  };
}

const TEXT: ChartText = {
  title: 'Titre <du> graphique',
  desc: 'Ce que montre le graphique & ses valeurs',
  tableSummary: 'Voir les données',
  headers: ['Fuite', 'Personnes'],
  format: (n) => new Intl.NumberFormat('fr-FR').format(n),
};

describe('chart data', () => {
  it('counts leaks per year, oldest first, with the empty years between, and the undated apart', () => {
    const got = leaksPerYear([entry('a', '2021-06-01', 1), entry('b', '2023-01-02', 1), entry('c', '2023-12-31', 1), entry('d', null, 1)]);
    expect(got.data).toEqual([
      { label: '2021', value: 1 },
      { label: '2022', value: 0 },
      { label: '2023', value: 2 },
    ]);
    expect(got.undated).toBe(1);
    expect(leaksPerYear([entry('d', null, 1)])).toEqual({ data: [], undated: 1 });
  });

  it('ranks leaks by people, largest first', () => {
    expect(peoplePerLeak([entry('a', null, 10), entry('b', null, 300), entry('c', null, 10)]).map((d) => [d.label, d.value])).toEqual([
      ['Fuite b', 300],
      ['Fuite a', 10],
      ['Fuite c', 10],
    ]);
  });

  it('sums the records of each class over the leaks, names the class, and leaves out what no leak exposed', () => {
    const got = classExposure([entry('a', null, 1, { email: 100, nir: 5 }), entry('b', null, 1, { email: 20, phone: 50, iban: 0 })]);
    expect(got).toEqual([
      { label: 'Email addresses', value: 120 },
      { label: 'Phone numbers', value: 50 },
      { label: 'Social security numbers', value: 5 },
    ]);
  });
});

describe('barChart', () => {
  const data = [
    { label: 'Grande <fuite>', value: 1000 },
    { label: 'Petite', value: 250 },
    { label: 'Vide', value: 0 },
  ];
  const svg = barChart('people', data, TEXT).value;

  it('is an image named by its title and description, with no style attribute and no script', () => {
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" class="chart" width="100%" height="168" role="img" aria-labelledby="people-title people-desc">/,
    );
    expect(svg).toContain(
      '<title id="people-title">Titre &lt;du&gt; graphique</title><desc id="people-desc">Ce que montre le graphique &amp; ses valeurs</desc>',
    );
    expect(svg).not.toMatch(/style=|<script|<style/);
  });

  it('draws bars in proportion, escapes labels and formats values with the locale', () => {
    const widths = [...svg.matchAll(/<rect [^>]*width="([\d.]+)%"/g)].map((m) => Number(m[1]));
    expect(widths).toEqual([70, 17.5, 0]);
    expect(svg).toContain('>Grande &lt;fuite&gt;</text>');
    expect(svg).toContain('>1\u202f000</text>');
  });

  it('shortens a long label (the table keeps it whole)', () => {
    const long = 'Une fuite au titre vraiment très long, beaucoup trop long pour un téléphone';
    const out = barChart('x', [{ label: long, value: 1 }], TEXT).value;
    const label = out.match(/class="chart-label">([^<]+)</)?.[1] ?? '';
    expect(label.length).toBeLessThanOrEqual(MAX_LABEL);
    expect(label.endsWith('…')).toBe(true);
    expect(dataTable([{ label: long, value: 1 }], TEXT).value).toContain(`<th scope="row">${long}</th>`);
  });
});

describe('columnChart', () => {
  it('draws one column per year with its value above and its label below', () => {
    const svg = columnChart(
      'years',
      [
        { label: '2021', value: 1 },
        { label: '2022', value: 0 },
        { label: '2023', value: 2 },
      ],
      TEXT,
    ).value;
    expect(svg.match(/<rect /g)).toHaveLength(3);
    const heights = [...svg.matchAll(/<rect [^>]*height="(\d+)"/g)].map((m) => Number(m[1]));
    expect(heights).toEqual([75, 0, 150]);
    for (const y of ['2021', '2022', '2023']) expect(svg).toContain(`>${y}</text>`);
    // No value is written over an empty column.
    expect(svg.match(/class="chart-value"/g)).toHaveLength(2);
    expect(svg).toContain('role="img" aria-labelledby="years-title years-desc"');
  });

  it('labels one year in every few when there are many', () => {
    const data = Array.from({ length: 30 }, (_, i) => ({ label: String(1996 + i), value: i % 3 }));
    const labels = [...columnChart('y', data, TEXT).value.matchAll(/class="chart-label">(\d+)</g)].map((m) => m[1]);
    expect(labels.length).toBeLessThanOrEqual(9);
    expect(labels[0]).toBe('1996');
    expect(labels.at(-1)).toBe('2025');
  });
});

describe('dataTable', () => {
  it('gives the same data as a table with headers, behind a disclosure', () => {
    const t = dataTable([{ label: 'A & B', value: 12345 }], TEXT).value;
    expect(t).toBe(
      '<details class="chart-data"><summary>Voir les données</summary><table><caption>Titre &lt;du&gt; graphique</caption><thead><tr><th scope="col">Fuite</th><th scope="col">Personnes</th></tr></thead><tbody><tr><th scope="row">A &amp; B</th><td>12\u202f345</td></tr></tbody></table></details>',
    );
  });
});
