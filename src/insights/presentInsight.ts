import type { StoredInsight } from './insightsCsv';
import { WEEKDAYS } from './overview/localClock';

/** The insights as the page and API consumers get them (the heatmap as rows, weekday names). */
export function presentInsight(doc: StoredInsight & { asOfDay?: number; computedAt?: Date }) {
  const { heatmapFlat, ...overview } = doc.overview;
  return {
    runDate: doc.runDate,
    computedAt: doc.computedAt ?? null,
    overview: { ...overview, weekdays: WEEKDAYS, heatmap: WEEKDAYS.map((_, i) => heatmapFlat.slice(i * 24, i * 24 + 24)) },
    clusters: doc.clusters,
    design: doc.design,
  };
}
