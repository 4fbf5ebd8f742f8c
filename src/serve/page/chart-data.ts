/**
 * What the catalogue's charts show, computed from the breach catalogue: counts only, from the
 * statistics the ingest recorded (no leaked value is involved anywhere).
 */
import { DataClasses, type DataClassKey } from '../../dataclasses.js';
import type { BreachEntry } from '../../store/index.js';
import type { Datum } from './charts.js';

/** Breaches per year of `BreachDate`, oldest first, years without a breach included as 0. */
export function leaksPerYear(entries: readonly BreachEntry[]): { data: Datum[]; undated: number } {
  const counts = new Map<number, number>();
  let undated = 0;
  for (const { breach } of entries) {
    const year = breach.BreachDate ? Number.parseInt(breach.BreachDate.slice(0, 4), 10) : Number.NaN;
    if (Number.isNaN(year)) undated++;
    else counts.set(year, (counts.get(year) ?? 0) + 1);
  }
  if (counts.size === 0) return { data: [], undated };
  const years = [...counts.keys()];
  const data: Datum[] = [];
  for (let y = Math.min(...years); y <= Math.max(...years); y++) data.push({ label: String(y), value: counts.get(y) ?? 0 });
  return { data, undated };
}

/** People per breach (`PwnCount`), largest first; ties by title. */
export function peoplePerLeak(entries: readonly BreachEntry[]): Datum[] {
  return entries
    .map(({ breach }) => ({ label: breach.Title || breach.Name, value: breach.PwnCount }))
    .sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
}

/**
 * Per data class, the records that held a valid value of it, summed over the breaches
 * (`LoadStats.classCounts`), largest first; classes never exposed are left out.
 * `label` is the class's HIBP name; the page puts it in words.
 */
export function classExposure(entries: readonly BreachEntry[]): Datum[] {
  const sums = new Map<DataClassKey, number>();
  for (const { stats } of entries) {
    for (const [key, n] of Object.entries(stats.classCounts) as [DataClassKey, number | undefined][]) {
      if (!(key in DataClasses) || !n || n <= 0) continue;
      sums.set(key, (sums.get(key) ?? 0) + n);
    }
  }
  return [...sums].map(([key, value]) => ({ label: DataClasses[key], value })).sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
}
