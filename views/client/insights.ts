// Course insights page: fetches the insights with the page's session (KeepupSession), draws each chart as
// an SVG with a text alternative and a data table, offers every chart's data as CSV, and runs the
// design what-if sliders against the server. No framework; keyboard reachable throughout.
import { keepupSession } from './shared/keepupSession';

const KeepupSession = keepupSession()!;

type Dict = Record<string, any>;
const root = document.querySelector<HTMLElement>('.keepup-insights');
const courseId = root?.dataset.courseId ?? '';
const api = `/api/courses/${courseId}/insights`;
const status = document.querySelector<HTMLElement>('[data-insights-status]');
const SVG = 'http://www.w3.org/2000/svg';
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${Math.round(x * 100)}%`);

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Dict = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function svg(tag: string, attrs: Dict = {}): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** A figure: heading, chart image with a summary, a data table and a CSV download. */
function figure(slot: string, title: string, summary: string, chart: SVGElement | HTMLElement | null, header: string[], rows: Array<Array<string | number>>): void {
  const host = document.querySelector<HTMLElement>(`[data-chart="${slot}"]`);
  if (!host) return;
  host.textContent = '';
  const fig = el('figure', { class: 'insights-figure' });
  const id = `fig-${slot}`;
  fig.append(el('h3', { id: `${id}-title` }, title));
  const caption = el('p', { id: `${id}-summary`, class: 'insights-summary' }, summary);
  fig.append(caption);
  if (chart) {
    chart.setAttribute('role', 'img');
    chart.setAttribute('aria-labelledby', `${id}-title ${id}-summary`);
    chart.setAttribute('tabindex', '0');
    fig.append(chart);
  }
  const details = el('details');
  details.append(el('summary', {}, `Data table: ${title}`));
  const table = el('table');
  const thead = el('thead');
  const tr = el('tr');
  header.forEach((h) => tr.append(el('th', { scope: 'col' }, h)));
  thead.append(tr);
  table.append(thead);
  const tbody = el('tbody');
  for (const row of rows) {
    const r = el('tr');
    row.forEach((cell, i) => r.append(i === 0 ? el('th', { scope: 'row' }, String(cell)) : el('td', {}, String(cell))));
    tbody.append(r);
  }
  table.append(tbody);
  details.append(table);
  fig.append(details);
  const button = el('button', { type: 'button', class: 'insights-csv' }, `Download CSV: ${title}`);
  button.addEventListener('click', () => downloadCsv(slot));
  fig.append(button);
  host.append(fig);
}

async function downloadCsv(chart: string): Promise<void> {
  const res = await KeepupSession.fetch(`${api}/csv/${chart}`);
  if (!res.ok) return setStatus(`The CSV could not be downloaded (${res.status}).`);
  const url = URL.createObjectURL(await res.blob());
  const a = el('a', { href: url, download: `${chart}.csv` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function setStatus(text: string): void {
  if (status) status.textContent = text;
}

/** Average width of an 11 px label character, in chart units. */
const CHAR_PX = 6.2;

/** Vertical bars, one per label, labels wrapped onto as many lines as their column needs (columns widen to their longest word); bars carry their value as a tooltip title. */
function bars(values: number[], labels: string[], color = '#1f5fa8'): SVGElement {
  const longestWord = Math.max(1, ...labels.flatMap((l) => l.split(/\s+/).map((word) => word.length)));
  const w = Math.max(320, values.length * Math.max(40, Math.ceil(longestWord * CHAR_PX) + 8));
  const h = 160;
  const column = w / values.length;
  const lines = labels.map((l) => wrapWords(l, Math.floor((column - 4) / CHAR_PX)));
  const below = 6 + 13 * Math.max(1, ...lines.map((l) => l.length));
  const max = Math.max(1, ...values);
  const s = svg('svg', { viewBox: `0 0 ${w} ${h + below}`, width: '100%', height: h + below, class: 'insights-chart' });
  values.forEach((v, i) => {
    const bh = (v / max) * h;
    const rect = svg('rect', { x: i * column + 4, y: h - bh, width: column - 8, height: bh, fill: color });
    const t = svg('title');
    t.textContent = `${labels[i]}: ${v}`;
    rect.append(t);
    s.append(rect);
    const label = svg('text', { x: i * column + column / 2, y: h + 14, 'text-anchor': 'middle', 'font-size': 11, fill: '#222' });
    lines[i].forEach((line, n) => {
      const span = svg('tspan', { x: i * column + column / 2, dy: n ? 13 : 0 });
      span.textContent = line;
      label.append(span);
    });
    s.append(label);
  });
  return s;
}

/** Splits text into lines of at most `width` characters at spaces (a longer word gets a line of its own). */
function wrapWords(text: string, width: number): string[] {
  const out: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const last = out.length ? out[out.length - 1] : undefined;
    if (last !== undefined && last.length + 1 + word.length <= width) out[out.length - 1] = `${last} ${word}`;
    else out.push(word);
  }
  return out.length ? out : [''];
}

function renderOverview(o: Dict): void {
  const weekLabels = o.weeks.map((w: Dict) => `W${w.week}`);
  const peak = o.weeklyActive.indexOf(Math.max(...o.weeklyActive));
  figure('weekly-active', 'Weekly active learners', `Learners active in each course week. Most active: week ${peak + 1} with ${o.weeklyActive[peak] ?? 0} learners.`, bars(o.weeklyActive, weekLabels), ['Week', 'Starts', 'Active learners'], o.weeks.map((w: Dict, i: number) => [`Week ${w.week}`, w.start, o.weeklyActive[i]]));

  const categories = Object.keys(o.mix);
  const totals = categories.map((c) => o.mix[c].reduce((a: number, b: number) => a + b, 0));
  const top = categories[totals.indexOf(Math.max(...totals))];
  figure('activity-mix', 'Activity mix by week', `Events by category in each week. The most common activity is ${top}.`, bars(totals, categories, '#6a3d9a'), ['Week', ...categories], o.weeks.map((w: Dict, i: number) => [`Week ${w.week}`, ...categories.map((c) => o.mix[c][i])]));

  const max = Math.max(1, ...o.heatmap.flat());
  const cell = 18;
  const heat = svg('svg', { viewBox: `0 0 ${40 + 24 * cell} ${20 + 7 * cell}`, width: '100%', class: 'insights-chart' });
  o.heatmap.forEach((row: number[], d: number) => {
    const label = svg('text', { x: 0, y: 20 + d * cell + 13, 'font-size': 11, fill: '#222' });
    label.textContent = o.weekdays[d];
    heat.append(label);
    row.forEach((v, hr) => {
      const r = svg('rect', { x: 40 + hr * cell, y: 20 + d * cell, width: cell - 1, height: cell - 1, fill: `rgba(31,95,168,${(0.08 + 0.92 * (v / max)).toFixed(3)})` });
      const t = svg('title');
      t.textContent = `${o.weekdays[d]} ${hr}:00 — ${v} events`;
      r.append(t);
      heat.append(r);
    });
  });
  for (let hr = 0; hr < 24; hr += 3) {
    const t = svg('text', { x: 40 + hr * cell, y: 12, 'font-size': 10, fill: '#222' });
    t.textContent = `${hr}h`;
    heat.append(t);
  }
  const b = o.busiest;
  const estimated = o.heatmapEstimatedShare > 0 ? ` ${pct(o.heatmapEstimatedShare)} of events were placed from first and last event times.` : '';
  figure('heatmap', `Activity by day and hour (${o.timeZone})`, `Busiest hour: ${o.weekdays[b.weekday]} ${b.hour}:00–${b.hour + 1}:00 (${o.timeZone}), ${Math.round(b.events)} events.${estimated}`, heat, ['Day', ...Array.from({ length: 24 }, (_, h) => `${h}:00`)], o.heatmap.map((row: number[], d: number) => [o.weekdays[d], ...row]));

  const f = o.funnel;
  const stages = [['Enrolled', f.enrolled], ['Active this week', f.activeThisWeek], ['Submitting work', f.submittingWork], ['On track to pass', f.onTrack ?? 0]] as Array<[string, number]>;
  figure('funnel', 'Funnel', `${f.enrolled} enrolled, ${f.activeThisWeek} active in the last 7 days, ${f.submittingWork} of them answered questions, ${f.onTrack === null ? 'no predictions yet for' : f.onTrack} on track to pass.`, bars(stages.map((s) => s[1]), stages.map((s) => s[0]), '#33a02c'), ['Stage', 'Learners'], stages);

  const runs = o.pastRuns as Dict[];
  if (!runs.length) {
    figure('engagement-outcome', 'Engagement against completion', 'No run of this course has known completion yet, so engagement cannot be related to outcome.', null, ['Run'], []);
  } else {
    const first = runs[0];
    figure('engagement-outcome', 'Engagement against completion', `Completion rate by active days, ${runs.length} run(s). In ${first.title}, learners with 21+ active days completed at ${pct(first.bins[5].completionRate)}; with 1–2 days at ${pct(first.bins[1].completionRate)}.`, bars(first.bins.map((x: Dict) => Math.round(100 * (x.completionRate ?? 0))), first.bins.map((x: Dict) => x.bin), '#e31a1c'), ['Run', 'Active days', 'Learners', 'Completion rate'], runs.flatMap((r) => r.bins.map((x: Dict) => [r.thisRun ? `${r.title} (this run)` : r.title, x.bin, x.learners, pct(x.completionRate)])));
  }
}

/** Most and least visited content per week: one table with a caption, weeks as row groups. */
function renderContent(weeks: Dict[] | undefined): void {
  const host = document.querySelector<HTMLElement>('[data-chart="content-visits"]');
  if (!host) return;
  host.textContent = '';
  const title = 'Most and least visited content per week';
  const fig = el('figure', { class: 'insights-figure' });
  fig.append(el('h3', { id: 'fig-content-visits-title' }, title));
  if (!weeks?.length) {
    fig.append(el('p', { class: 'insights-summary' }, 'No visits to course content (videos, problems, pages, forum) have been recorded yet.'));
    host.append(fig);
    return;
  }
  const last = weeks[weeks.length - 1];
  fig.append(el('p', { id: 'fig-content-visits-summary', class: 'insights-summary' }, `Per calendar week (Monday start), up to five pieces of content the most learners visited and, among the rest, the least visited. Week of ${last.start}: most visited “${last.most[0]?.label ?? '—'}” (${last.most[0]?.learners ?? 0} learners).`));
  const table = el('table', { class: 'insights-content-table' });
  table.append(el('caption', {}, `${title}, by distinct learners (events in brackets)`));
  const thead = el('thead');
  const head = el('tr');
  ['Week of', 'List', 'Rank', 'Content', 'Learners', 'Events'].forEach((h) => head.append(el('th', { scope: 'col' }, h)));
  thead.append(head);
  table.append(thead);
  for (const w of weeks) {
    const tbody = el('tbody');
    for (const list of ['most', 'least'] as const) {
      (w[list] as Dict[]).forEach((c, i) => {
        const r = el('tr');
        r.append(el('th', { scope: 'row' }, w.start), el('td', {}, list === 'most' ? 'Most visited' : 'Least visited'), el('td', {}, String(i + 1)), el('td', { title: c.objectId }, c.label), el('td', {}, String(c.learners)), el('td', {}, String(c.events)));
        tbody.append(r);
      });
    }
    table.append(tbody);
  }
  fig.append(table);
  const button = el('button', { type: 'button', class: 'insights-csv' }, `Download CSV: ${title}`);
  button.addEventListener('click', () => downloadCsv('content-visits'));
  fig.append(button);
  host.append(fig);
}

function renderClusters(c: Dict): void {
  if (c.status !== 'ok') {
    figure('clusters', 'Behaviour clusters', 'Too few active learners to form clusters yet (at least 30 are needed).', null, ['Cluster'], []);
    return;
  }
  const list = c.clusters as Dict[];
  const worst = [...list].sort((a, b) => b.dropoutRate - a.dropoutRate)[0];
  const basis = c.dropoutBasis === 'outcome' ? 'recorded outcomes' : 'no activity in the last 10 days';
  figure('clusters', 'Behaviour clusters and dropout', `${c.k} clusters chosen by silhouette. Most likely to drop out: “${worst.label}” (${pct(worst.dropoutRate)}, by ${basis}).`, bars(list.map((x) => Math.round(100 * x.dropoutRate)), list.map((x) => `#${x.id}`), '#ff7f00'),
    ['Cluster', 'Learners', 'Dropout', 'Active days', 'Video min', 'Forum posts', 'Correct', 'Revisions/answer', 'Sessions', 'Description'],
    list.map((x) => [`#${x.id} ${x.label}`, `${x.size} (${pct(x.share)})`, pct(x.dropoutRate), x.profile.activeDays, Math.round(x.profile.videoMinutes), (x.profile.forumThreads + x.profile.forumReplies).toFixed(1), pct(x.profile.correctRatio), x.profile.revisionsPerProblem, x.profile.sessions, x.description]));
  const host = document.querySelector('[data-chart="clusters"] figure');
  const details = host?.querySelector('details');
  if (details) details.open = true;
}

function renderDesign(d: Dict): void {
  const slot = document.querySelector<HTMLElement>('[data-whatif]');
  if (d.status === 'no_structure') {
    figure('design-courses', 'This course against the others', 'The structure of this course has not been imported yet (Open edX course blocks or Canvas modules), so its design cannot be compared.', null, ['Course'], []);
    return;
  }
  if (d.status === 'needs_more_courses') {
    figure('design-courses', 'This course against the others', `The course model needs at least ${d.minCourses} courses with known completion; this installation has ${d.courses}. It appears once enough courses have finished.`, null, ['Course'], []);
    return;
  }
  const others = d.others as Dict[];
  figure('design-courses', 'This course against the others', `Completion across ${others.length} courses. This course: ${pct(d.thisCourse.completionRate)} observed, ${pct(d.predicted)} predicted from its design. Leave-one-course-out error ${d.fit.looMaePp} points.`, bars(others.map((o) => Math.round(100 * o.completionRate)), others.map((o) => (o.thisCourse ? 'this' : '')), '#1f78b4'), ['Course', 'Completion', 'Predicted from design'], others.map((o) => [o.thisCourse ? `${o.title} (this course)` : o.title, pct(o.completionRate), pct(o.predicted)]));
  const imp = d.importance as Dict[];
  const gain = (d.gains as Dict[])[0];
  figure('design-importance', 'Design features that matter most', gain ? `Largest associated gain for this course: ${gain.label} from ${gain.from} to ${gain.to}, +${gain.changePp} points (90% interval ${gain.intervalPp[0]} to ${gain.intervalPp[1]}).` : 'No single design change is associated with a gain for this course.', bars(imp.map((i) => Math.abs(i.effectPp)), imp.map((i) => i.label), '#b15928'), ['Feature', 'Change per 1 sd (points)', '90% interval', 'One sd'], imp.map((i) => [i.label, i.effectPp, `${i.intervalPp[0]} to ${i.intervalPp[1]}`, i.sd]));
  if (!slot) return;
  slot.textContent = '';
  const form = el('form', { class: 'insights-whatif', 'aria-labelledby': 'whatif-title' });
  form.append(el('h3', { id: 'whatif-title' }, 'What if the design changed?'));
  const out = el('p', { role: 'status', 'aria-live': 'polite', class: 'insights-whatif-result' }, 'Move a slider to see how the predicted completion rate moves.');
  const values: Dict = { ...d.thisCourse.features };
  for (const info of d.featureInfo as Dict[]) {
    if (d.fit.constantFeatures.includes(info.feature)) continue;
    const id = `whatif-${info.feature}`;
    const row = el('div', { class: 'insights-slider' });
    const label = el('label', { for: id }, `${info.label} (${info.unit})`);
    const input = el('input', { type: 'range', id, min: info.min, max: info.max, step: info.step, value: values[info.feature] });
    const shown = el('output', { for: id }, String(values[info.feature]));
    input.addEventListener('change', async () => {
      values[info.feature] = Number(input.value);
      shown.textContent = input.value;
      const changes: Dict = {};
      for (const k of Object.keys(values)) if (values[k] !== d.thisCourse.features[k]) changes[k] = values[k];
      if (!Object.keys(changes).length) return void (out.textContent = 'Same design as now.');
      const res = await KeepupSession.fetch(`${api}/what-if`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ changes }) });
      const body = await res.json();
      out.textContent = res.ok ? `Predicted completion ${pct(body.predicted)} instead of ${pct(body.baseline)}: ${body.changePp >= 0 ? '+' : ''}${body.changePp} points (90% interval ${body.intervalPp[0]} to ${body.intervalPp[1]}). ${body.note}` : body.message;
    });
    row.append(label, input, shown);
    form.append(row);
  }
  form.append(out);
  slot.append(form);
}

KeepupSession.ready
  .then(() => KeepupSession.fetch(api))
  .then(async (res) => {
    const body = await res.json();
    if (!res.ok) return setStatus(body.message ?? `Insights could not be loaded (${res.status}).`);
    setStatus(`Insights as of ${body.runDate}.`);
    renderOverview(body.overview);
    renderContent(body.overview.content);
    renderClusters(body.clusters);
    renderDesign(body.design);
  })
  .catch(() => setStatus('Insights could not be loaded.'));
