// Instructor dashboard: three brushable histograms (uPlot) over crossfiltered predictions, presets, a learner
// table, a model card, a campaign composer with preview, and the campaign history. Plain DOM, no framework.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './dashboard.css';
import crossfilter from 'crossfilter2';
import { keepupSession } from './shared/keepupSession';
import type { ClusterColumns, ClusterOption, RunColumns as Columns } from '../../src/web/dto/dashboardColumns';
import type { ModelCardOutcome, ModelCardView } from '../../src/web/dto/modelCard';

type Outcome = 'dropout' | 'completion' | 'certificate';
const OUTCOMES: Array<{ key: Outcome; label: string; help: string }> = [
  { key: 'dropout', label: 'Dropout', help: 'chance of leaving and not returning' },
  { key: 'completion', label: 'Completion', help: 'chance of completing enough work to possibly pass' },
  { key: 'certificate', label: 'Certificate', help: 'chance of earning a certificate' },
];
const BIN = 5;
const BINS = 100 / BIN;
const PAGE = 25;
const FIELDS = ['[:firstname:]', '[:fullname:]', '{{courseTitle}}', '{{lastWeekMinutes}}', '{{lastWeekProblems}}', '{{lastWeekVideoMinutes}}', '{{activeDays}}', '{{daysSinceActive}}', '{{#if lastWeekProblems}}…{{/if}}'];

interface Range {
  min: number;
  max: number;
}
interface Audience {
  dropout: Range | null;
  completion: Range | null;
  certificate: Range | null;
  minInactiveDays: number | null;
  maxLastWeekMinutes: number | null;
  clusters?: string[] | null;
}
interface LearnerRow {
  id: string;
  label: string;
  named: boolean;
  lastActiveAt: string | null;
  factors: Array<{ outcome: string; text: string; weight: number }>;
  optedOut: boolean;
  contacted: boolean;
}
interface CampaignView {
  id: string;
  name: string;
  status: string;
  channel: string;
  auto: boolean;
  rounds: number;
  createdAt: string;
  counts: Record<string, number>;
}

const session = keepupSession()!;
const root = document.getElementById('keepup-dashboard')!;
let base = '';
let cols: Columns;
let sharesName = false;
const ranges: Record<Outcome, [number, number]> = { dropout: [0, 100], completion: [0, 100], certificate: [0, 100] };
const extra = { minInactiveDays: null as number | null, maxLastWeekMinutes: null as number | null };
const excluded = new Set<string>();
let clusters: ClusterOption[] = [];
/** Cluster index per row of `cols` (-1: not clustered yet), and the clusters picked in the filter. */
let clusterOf: Int32Array = new Int32Array(0);
const pickedClusters = new Set<number>();
let flags = { optedOut: new Set<string>(), contacted: new Set<string>() };
let sortKey: Outcome | 'inactiveDays' = 'dropout';
let sortDesc = true;
let page = 0;
let previewLearner: string | null = null;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (init.body) headers.set('content-type', 'application/json');
  const res = await session.fetch(`${base}${path}`, { ...init, headers });
  const body = res.status === 204 ? {} : await res.json().catch(() => ({}));
  if (!res.ok) throw new Error((body as { message?: string }).message ?? `Request failed (${res.status})`);
  return body as T;
}

function announce(text: string, kind: 'ok' | 'error' = 'ok'): void {
  const box = document.getElementById('status')!;
  box.textContent = text;
  box.className = `status status-${kind}`;
}

// ---------- crossfilter ----------
let cf: crossfilter.Crossfilter<number>;
const dims = {} as Record<Outcome | 'inactive' | 'minutes' | 'cluster', crossfilter.Dimension<number, number>>;
const groups = {} as Record<Outcome, crossfilter.Group<number, number, number>>;
let clusterGroup: crossfilter.Group<number, number, number>;
let all: crossfilter.GroupAll<number, number>;

function setupFilter(): void {
  const rows = Array.from({ length: cols.n }, (_, i) => i);
  cf = crossfilter(rows);
  for (const o of OUTCOMES) {
    const values = cols[o.key];
    dims[o.key] = cf.dimension((i) => values[i]);
    groups[o.key] = dims[o.key].group((v) => Math.min(BINS - 1, Math.floor(v / (cols.scale / BINS))));
  }
  dims.inactive = cf.dimension((i) => cols.inactiveDays[i]);
  dims.minutes = cf.dimension((i) => cols.lastWeekMinutes[i]);
  dims.cluster = cf.dimension((i) => clusterOf[i]);
  clusterGroup = dims.cluster.group();
  all = cf.groupAll();
}

function applyFilters(): void {
  for (const o of OUTCOMES) {
    const [lo, hi] = ranges[o.key];
    if (lo <= 0 && hi >= 100) dims[o.key].filterAll();
    else dims[o.key].filterRange([(lo / 100) * cols.scale, (hi / 100) * cols.scale + 0.5]);
  }
  if (extra.minInactiveDays === null) dims.inactive.filterAll();
  else dims.inactive.filterFunction((d) => d === -1 || d >= extra.minInactiveDays!);
  if (extra.maxLastWeekMinutes === null) dims.minutes.filterAll();
  else dims.minutes.filterRange([0, extra.maxLastWeekMinutes + 0.5]);
  if (!pickedClusters.size) dims.cluster.filterAll();
  else dims.cluster.filterFunction((k) => pickedClusters.has(k));
  page = 0;
  refresh();
}

function selectedRows(): number[] {
  return cf.allFiltered() as unknown as number[];
}

function currentAudience(): Audience {
  const r = (o: Outcome): Range | null => (ranges[o][0] <= 0 && ranges[o][1] >= 100 ? null : { min: ranges[o][0] / 100, max: ranges[o][1] / 100 });
  const picked = [...pickedClusters].sort((a, b) => a - b).map((k) => clusters[k].label);
  return { dropout: r('dropout'), completion: r('completion'), certificate: r('certificate'), minInactiveDays: extra.minInactiveDays, maxLastWeekMinutes: extra.maxLastWeekMinutes, clusters: picked.length ? picked : null };
}

// ---------- charts ----------
const charts = {} as Record<Outcome, uPlot>;
const xs = Array.from({ length: BINS }, (_, b) => b * BIN + BIN / 2);
let totals = {} as Record<Outcome, number[]>;

function binCounts(o: Outcome): number[] {
  const counts = new Array(BINS).fill(0);
  for (const g of groups[o].all()) counts[g.key as number] = g.value as number;
  return counts;
}

function buildChart(o: Outcome, host: HTMLElement): void {
  const bars = uPlot.paths.bars!({ size: [0.92, 40] });
  const chart = new uPlot(
    {
      width: Math.min(340, host.clientWidth || 340),
      height: 170,
      legend: { show: false },
      cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false } },
      select: { show: true, left: 0, top: 0, width: 0, height: 0 },
      scales: { x: { time: false, range: [0, 100] }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.08] } },
      axes: [
        { values: (_u, vals) => vals.map((v) => `${v}%`), stroke: '#333', grid: { show: false } },
        { stroke: '#333', size: 44, grid: { stroke: '#eee' } },
      ],
      series: [
        {},
        { label: 'all learners', fill: '#d6dde5', stroke: '#d6dde5', paths: bars, points: { show: false } },
        { label: 'selected', fill: '#0b5cad', stroke: '#0b5cad', paths: bars, points: { show: false } },
      ],
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 2) return;
            const lo = Math.max(0, Math.floor(u.posToVal(u.select.left, 'x') / BIN) * BIN);
            const hi = Math.min(100, Math.ceil(u.posToVal(u.select.left + u.select.width, 'x') / BIN) * BIN);
            setRange(o, lo, hi);
          },
        ],
      },
    },
    [xs, totals[o], binCounts(o)],
    host,
  );
  charts[o] = chart;
}

function drawSelection(o: Outcome): void {
  const u = charts[o];
  const [lo, hi] = ranges[o];
  if (lo <= 0 && hi >= 100) u.setSelect({ left: 0, width: 0, top: 0, height: 0 }, false);
  else {
    const left = u.valToPos(lo, 'x');
    u.setSelect({ left, width: u.valToPos(hi, 'x') - left, top: 0, height: u.over.clientHeight }, false);
  }
}

function setRange(o: Outcome, lo: number, hi: number): void {
  ranges[o] = [Math.max(0, Math.min(lo, hi)), Math.min(100, Math.max(lo, hi))];
  (document.getElementById(`range-${o}-min`) as HTMLInputElement).value = String(ranges[o][0]);
  (document.getElementById(`range-${o}-max`) as HTMLInputElement).value = String(ranges[o][1]);
  applyFilters();
  drawSelection(o);
}

// ---------- layout ----------
function chartCard(o: (typeof OUTCOMES)[number]): HTMLElement {
  const host = el('div', { class: 'chart', id: `chart-${o.key}`, role: 'img', 'aria-label': `Histogram of predicted ${o.label.toLowerCase()} probability; drag across it to select a range, or use the range inputs below.` });
  const min = el('input', { type: 'number', id: `range-${o.key}-min`, min: '0', max: '100', step: String(BIN), value: '0', inputmode: 'numeric' });
  const max = el('input', { type: 'number', id: `range-${o.key}-max`, min: '0', max: '100', step: String(BIN), value: '100', inputmode: 'numeric' });
  const onInput = () => setRange(o.key, Number(min.value) || 0, max.value === '' ? 100 : Number(max.value));
  min.addEventListener('change', onInput);
  max.addEventListener('change', onInput);
  const reset = el('button', { type: 'button', class: 'secondary', 'aria-label': `Reset ${o.label} range` }, 'Reset');
  reset.addEventListener('click', () => setRange(o.key, 0, 100));
  const table = el('table', { class: 'bins', id: `bins-${o.key}` });
  return el(
    'section',
    { class: 'card chart-card', 'aria-labelledby': `title-${o.key}` },
    el('h3', { id: `title-${o.key}` }, `${o.label} `, el('span', { class: 'muted' }, `(${o.help})`)),
    host,
    el(
      'div',
      { class: 'range-inputs' },
      el('label', { for: `range-${o.key}-min` }, `${o.label} from (%)`),
      min,
      el('label', { for: `range-${o.key}-max` }, 'to (%)'),
      max,
      reset,
    ),
    el('details', {}, el('summary', {}, `${o.label} as a table`), table),
  );
}

function renderShell(title: string): void {
  document.querySelector('.course-title')!.textContent = title;
  root.replaceChildren(
    el('p', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' }),
    el('section', { id: 'model-card', class: 'card', 'aria-labelledby': 'model-card-title' }, el('h2', { id: 'model-card-title' }, 'Model card'), el('div', { id: 'model-card-body' }, 'Loading…')),
    el('section', { id: 'select-section', 'aria-labelledby': 'select-title' },
      el('h2', { id: 'select-title' }, 'Choose learners'),
      el('p', { id: 'selection-count', class: 'count', 'aria-live': 'polite', 'aria-atomic': 'true' }),
      el('div', { id: 'presets', class: 'presets', role: 'group', 'aria-label': 'Presets' }),
      el('div', { class: 'charts' }, ...OUTCOMES.map(chartCard)),
      el('details', { class: 'card' },
        el('summary', {}, 'More filters'),
        el('label', { for: 'filter-inactive' }, 'Inactive at least (days)'),
        el('input', { type: 'number', id: 'filter-inactive', min: '0', max: '365' }),
        el('label', { for: 'filter-minutes' }, 'At most this many minutes last week'),
        el('input', { type: 'number', id: 'filter-minutes', min: '0', max: '10080' }),
      ),
      el('div', { id: 'cluster-filter', class: 'card', hidden: '' }),
    ),
    el('section', { id: 'table-section', 'aria-labelledby': 'table-title' },
      el('h2', { id: 'table-title' }, 'Selected learners'),
      el('div', { class: 'table-tools' },
        el('label', { class: 'inline' }, el('input', { type: 'checkbox', id: 'show-names', ...(sharesName ? {} : { disabled: '' }) }), sharesName ? ' Show names' : ' Show names (not shared by the platform)'),
        el('button', { type: 'button', id: 'prev-page', class: 'secondary' }, 'Previous'),
        el('span', { id: 'page-info', class: 'muted' }),
        el('button', { type: 'button', id: 'next-page', class: 'secondary' }, 'Next'),
      ),
      el('table', { id: 'learner-table' }, el('caption', { class: 'sr-only' }, 'Learners in the current selection; sort with the column buttons.'), el('thead'), el('tbody')),
    ),
    el('section', { id: 'compose-section', class: 'card', 'aria-labelledby': 'compose-title' }, el('h2', { id: 'compose-title' }, 'Write to the selected learners'), composeForm()),
    el('section', { id: 'history-section', 'aria-labelledby': 'history-title' }, el('h2', { id: 'history-title' }, 'Campaigns'), el('div', { id: 'history' })),
  );
  document.getElementById('show-names')!.addEventListener('change', () => void renderTable());
  document.getElementById('prev-page')!.addEventListener('click', () => {
    page = Math.max(0, page - 1);
    void renderTable();
  });
  document.getElementById('next-page')!.addEventListener('click', () => {
    page++;
    void renderTable();
  });
  const num = (id: string) => {
    const v = (document.getElementById(id) as HTMLInputElement).value;
    return v === '' ? null : Number(v);
  };
  document.getElementById('filter-inactive')!.addEventListener('change', () => {
    extra.minInactiveDays = num('filter-inactive');
    applyFilters();
  });
  document.getElementById('filter-minutes')!.addEventListener('change', () => {
    extra.maxLastWeekMinutes = num('filter-minutes');
    applyFilters();
  });
}

function field(label: string, id: string, input: HTMLElement, hint?: string): HTMLElement {
  return el('div', { class: 'field' }, el('label', { for: id }, label), input, ...(hint ? [el('p', { class: 'hint muted', id: `${id}-hint` }, hint)] : []));
}

function composeForm(): HTMLElement {
  const form = el('form', { id: 'compose', novalidate: '' });
  const channel = el('select', { id: 'c-channel' }, el('option', { value: 'email' }, 'Email'), el('option', { value: 'canvas' }, 'Canvas Inbox'));
  const senderAs = el('select', { id: 'c-sender-as' }, el('option', { value: 'reply-to' }, 'Reply-To (recommended)'), el('option', { value: 'from' }, 'From'));
  form.append(
    field('Campaign name', 'c-name', el('input', { id: 'c-name', required: '', maxlength: '200', value: 'Message to selected learners' })),
    field('Channel', 'c-channel', channel),
    field('Subject', 'c-subject', el('input', { id: 'c-subject', required: '', maxlength: '255', 'aria-describedby': 'c-fields' })),
    field('Message', 'c-body', el('textarea', { id: 'c-body', rows: '8', required: '', 'aria-describedby': 'c-fields' })),
    el('p', { id: 'c-fields', class: 'hint muted' }, `Merge fields: ${FIELDS.join('  ')}. Names are filled in for each learner; when a name is unknown the fallback below is used.`),
    field('Fallback when the name is unknown', 'c-fallback', el('input', { id: 'c-fallback', value: 'there', maxlength: '60' })),
    field('Your name', 'c-sender-name', el('input', { id: 'c-sender-name', maxlength: '120' })),
    field('Your email (replies go here)', 'c-sender-email', el('input', { id: 'c-sender-email', type: 'email', maxlength: '200' })),
    field('Show your address as', 'c-sender-as', senderAs),
    el('div', { class: 'field' }, el('label', { class: 'inline' }, el('input', { type: 'checkbox', id: 'c-quiet', checked: '' }), ' Quiet hours: hold messages between 21:00 and 08:00 in each learner’s time zone')),
    el('div', { class: 'field' }, el('label', { class: 'inline' }, el('input', { type: 'checkbox', id: 'c-auto' }), ' Automatic: after each nightly run, also send to learners who newly match (never twice to anyone)')),
    el('div', { class: 'actions' },
      el('button', { type: 'button', id: 'preview-button', class: 'secondary' }, 'Preview'),
      el('button', { type: 'submit', id: 'send-button' }, 'Send…'),
    ),
    el('section', { id: 'preview', class: 'preview', 'aria-live': 'polite', 'aria-label': 'Preview' }),
    el('div', { id: 'confirm', class: 'confirm', hidden: '' }),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void confirmSend();
  });
  form.querySelector('#preview-button')!.addEventListener('click', () => void showPreview());
  return form;
}

function composed() {
  const v = (id: string) => (document.getElementById(id) as HTMLInputElement).value;
  return {
    name: v('c-name').trim() || 'Message to selected learners',
    channel: v('c-channel'),
    subject: v('c-subject'),
    body: v('c-body'),
    nameFallback: v('c-fallback').trim() || 'there',
    sender: { name: v('c-sender-name').trim(), email: v('c-sender-email').trim(), as: v('c-sender-as') },
    auto: (document.getElementById('c-auto') as HTMLInputElement).checked,
    quietHours: (document.getElementById('c-quiet') as HTMLInputElement).checked ? { start: 21, end: 8 } : { start: 0, end: 0 },
  };
}

async function showPreview(): Promise<void> {
  const rows = sortedSelection();
  const learnerId = previewLearner && rows.some((i) => cols.learnerId[i] === previewLearner) ? previewLearner : rows.length ? cols.learnerId[rows[0]] : null;
  const box = document.getElementById('preview')!;
  if (!learnerId) return void (box.textContent = 'Select at least one learner to preview.');
  const c = composed();
  try {
    const p = await api<{ learner: string; subject: string; text: string }>('/preview', { method: 'POST', body: JSON.stringify({ learnerId, subject: c.subject, body: c.body, nameFallback: c.nameFallback, names: namesOn() }) });
    box.replaceChildren(el('h3', {}, `Preview for ${p.learner}`), el('p', { class: 'preview-subject' }, el('strong', {}, 'Subject: '), p.subject), el('pre', { class: 'preview-text' }, p.text));
  } catch (error) {
    box.replaceChildren(el('p', { class: 'status-error', role: 'alert' }, (error as Error).message));
  }
}

async function confirmSend(): Promise<void> {
  const box = document.getElementById('confirm')!;
  const audience = currentAudience();
  const selected = selectedRows().map((i) => cols.learnerId[i]);
  const exclusions = selected.filter((id) => excluded.has(id));
  const optedOut = selected.filter((id) => flags.optedOut.has(id) && !excluded.has(id)).length;
  const recipients = selected.length - exclusions.length - optedOut;
  const c = composed();
  if (!c.subject.trim() || !c.body.trim()) return announce('Write a subject and a message first.', 'error');
  const yes = el('button', { type: 'button', id: 'confirm-send' }, `Send to ${recipients} learners`);
  const no = el('button', { type: 'button', class: 'secondary' }, 'Cancel');
  box.replaceChildren(el('p', { id: 'confirm-text' }, `This sends “${c.subject}” by ${c.channel === 'canvas' ? 'Canvas Inbox' : 'email'} to ${recipients} learners${audience.clusters ? ` in ${audience.clusters.join(', ')}` : ''} (${exclusions.length} excluded, ${optedOut} opted out).${c.quietHours.start !== c.quietHours.end ? ' Learners for whom it is night receive it in their morning.' : ''}${c.auto ? ' Learners who match after later nightly runs will receive it too, once.' : ''}`), yes, no);
  box.hidden = false;
  yes.focus();
  no.addEventListener('click', () => (box.hidden = true));
  yes.addEventListener('click', async () => {
    yes.disabled = true;
    try {
      const campaign = await api<CampaignView>('/campaigns', { method: 'POST', body: JSON.stringify({ ...c, audience, excludedLearnerIds: exclusions }) });
      const sent = await api<{ round: number }>(`/campaigns/${campaign.id}/send`, { method: 'POST' });
      box.hidden = true;
      announce(`Sending “${c.subject}” (round ${sent.round}). Delivery status appears under Campaigns.`);
      await renderHistory();
    } catch (error) {
      yes.disabled = false;
      announce((error as Error).message, 'error');
    }
  });
}

// ---------- table ----------
function namesOn(): boolean {
  return sharesName && (document.getElementById('show-names') as HTMLInputElement).checked;
}

function sortedSelection(): number[] {
  const rows = selectedRows();
  const values = sortKey === 'inactiveDays' ? cols.inactiveDays : cols[sortKey];
  return rows.sort((a, b) => (sortDesc ? values[b] - values[a] : values[a] - values[b]));
}

function pct(v: number): string {
  return `${Math.round((v / cols.scale) * 100)}%`;
}

let tableToken = 0;
async function renderTable(): Promise<void> {
  const table = document.getElementById('learner-table') as HTMLTableElement;
  const rows = sortedSelection();
  const pages = Math.max(1, Math.ceil(rows.length / PAGE));
  page = Math.min(page, pages - 1);
  const visible = rows.slice(page * PAGE, page * PAGE + PAGE);
  document.getElementById('page-info')!.textContent = `Page ${page + 1} of ${pages}`;
  const head = table.tHead!;
  const sortButton = (key: typeof sortKey, label: string) => {
    const b = el('button', { type: 'button', class: 'sort' }, label);
    b.addEventListener('click', () => {
      sortDesc = sortKey === key ? !sortDesc : true;
      sortKey = key;
      void renderTable();
    });
    return el('th', { scope: 'col', 'aria-sort': sortKey === key ? (sortDesc ? 'descending' : 'ascending') : 'none' }, b);
  };
  head.replaceChildren(
    el('tr', {},
      el('th', { scope: 'col' }, 'Learner'),
      sortButton('dropout', 'Dropout'),
      sortButton('completion', 'Completion'),
      sortButton('certificate', 'Certificate'),
      sortButton('inactiveDays', 'Days inactive'),
      el('th', { scope: 'col' }, 'Top factors'),
      el('th', { scope: 'col' }, 'Status'),
      el('th', { scope: 'col' }, 'Exclude'),
      el('th', { scope: 'col' }, 'Preview'),
    ),
  );
  const token = ++tableToken;
  let details = new Map<string, LearnerRow>();
  if (visible.length) {
    try {
      const res = await api<{ learners: LearnerRow[] }>('/learners', { method: 'POST', body: JSON.stringify({ ids: visible.map((i) => cols.learnerId[i]), names: namesOn() }) });
      details = new Map(res.learners.map((l) => [l.id, l]));
    } catch (error) {
      announce((error as Error).message, 'error');
    }
  }
  if (token !== tableToken) return;
  table.tBodies[0].replaceChildren(
    ...visible.map((i) => {
      const id = cols.learnerId[i];
      const d = details.get(id);
      const label = d?.label ?? id.slice(-8);
      const box = el('input', { type: 'checkbox', 'aria-label': `Exclude ${label}`, ...(excluded.has(id) ? { checked: '' } : {}) });
      box.addEventListener('change', () => {
        if (box.checked) excluded.add(id);
        else excluded.delete(id);
        updateCount();
      });
      const preview = el('button', { type: 'button', class: 'secondary small', 'aria-label': `Preview for ${label}` }, 'Preview');
      preview.addEventListener('click', () => {
        previewLearner = id;
        void showPreview();
      });
      const status = [flags.optedOut.has(id) || d?.optedOut ? 'opted out' : '', flags.contacted.has(id) || d?.contacted ? 'contacted' : ''].filter(Boolean).join(', ');
      return el('tr', { 'data-learner': id },
        el('th', { scope: 'row', class: 'learner-label' }, label),
        el('td', {}, pct(cols.dropout[i])),
        el('td', {}, pct(cols.completion[i])),
        el('td', {}, pct(cols.certificate[i])),
        el('td', {}, cols.inactiveDays[i] < 0 ? 'never active' : String(cols.inactiveDays[i])),
        el('td', { class: 'factors' }, (d?.factors ?? []).map((f) => `${f.text} (${f.outcome})`).join('; ') || '—'),
        el('td', {}, status || '—'),
        el('td', {}, box),
        el('td', {}, preview),
      );
    }),
  );
}

// ---------- counts, tables ----------
function updateCount(): void {
  const n = all.value() as number;
  const selected = selectedRows().map((i) => cols.learnerId[i]);
  const ex = selected.filter((id) => excluded.has(id)).length;
  const opted = selected.filter((id) => flags.optedOut.has(id) && !excluded.has(id)).length;
  document.getElementById('selection-count')!.textContent = `${n} of ${cols.n} learners selected${ex ? `, ${ex} excluded` : ''}${opted ? `, ${opted} opted out` : ''}.`;
  (document.getElementById('send-button') as HTMLButtonElement).textContent = `Send to ${n - ex - opted} learners…`;
}

function refresh(): void {
  updateCount();
  updateClusterCounts();
  for (const o of OUTCOMES) {
    const counts = binCounts(o.key);
    charts[o.key]?.setData([xs, totals[o.key], counts], false);
    charts[o.key]?.redraw(false, false);
    const t = document.getElementById(`bins-${o.key}`)!;
    t.replaceChildren(
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Range'), el('th', { scope: 'col' }, 'Selected'), el('th', { scope: 'col' }, 'All'))),
      el('tbody', {}, ...counts.map((c, b) => el('tr', {}, el('td', {}, `${b * BIN}–${b * BIN + BIN}%`), el('td', {}, String(c)), el('td', {}, String(totals[o.key][b]))))),
    );
  }
  void renderTable();
}

// ---------- behaviour clusters ----------
/** Aligns the latest clustering with the run's rows; learners not clustered yet get -1. */
function alignClusters(c: ClusterColumns): void {
  clusters = c.clusters;
  const byLearner = new Map(c.learnerId.map((id, i) => [id, c.cluster[i]]));
  clusterOf = Int32Array.from(cols.learnerId, (id) => byLearner.get(id) ?? -1);
}

function renderClusterFilter(): void {
  const box = document.getElementById('cluster-filter')!;
  if (!clusters.length) return;
  const select = el('select', { id: 'filter-cluster', multiple: '', size: String(Math.min(6, clusters.length)), 'aria-describedby': 'filter-cluster-hint' },
    ...clusters.map((c, k) => el('option', { value: String(k), title: c.description }, c.label)));
  select.addEventListener('change', () => {
    pickedClusters.clear();
    for (const option of Array.from(select.selectedOptions)) pickedClusters.add(Number(option.value));
    applyFilters();
  });
  const clear = el('button', { type: 'button', class: 'secondary', id: 'filter-cluster-clear' }, 'Any cluster');
  clear.addEventListener('click', () => setPickedClusters([]));
  box.replaceChildren(
    el('label', { for: 'filter-cluster' }, 'Behaviour cluster'),
    select,
    clear,
    el('p', { class: 'hint muted', id: 'filter-cluster-hint' }, 'Pick one or more clusters (Ctrl or Shift to pick several). Counts are learners in the current selection. A campaign re-reads each learner’s cluster from the latest clustering every time it sends.'),
  );
  box.hidden = false;
}

function setPickedClusters(labels: string[]): void {
  pickedClusters.clear();
  labels.forEach((label) => {
    const k = clusters.findIndex((c) => c.label === label);
    if (k >= 0) pickedClusters.add(k);
  });
  const select = document.getElementById('filter-cluster') as HTMLSelectElement | null;
  if (select) for (const option of Array.from(select.options)) option.selected = pickedClusters.has(Number(option.value));
  applyFilters();
}

function updateClusterCounts(): void {
  const select = document.getElementById('filter-cluster') as HTMLSelectElement | null;
  if (!select) return;
  const counts = new Map(clusterGroup.all().map((g) => [g.key as number, g.value as number]));
  for (const option of Array.from(select.options)) {
    const c = clusters[Number(option.value)];
    option.textContent = `${c.label}: ${counts.get(Number(option.value)) ?? 0} of ${c.size} (${Math.round(c.dropoutRate * 100)}% dropped out)`;
  }
}

// ---------- presets, model card, history ----------
async function renderPresets(): Promise<void> {
  const { presets } = await api<{ presets: Array<{ id: string; label: string; description: string; audience: Audience }> }>('/presets');
  const box = document.getElementById('presets')!;
  const clear = el('button', { type: 'button', class: 'secondary' }, 'Everyone');
  clear.addEventListener('click', () => applyAudience({ dropout: null, completion: null, certificate: null, minInactiveDays: null, maxLastWeekMinutes: null }));
  box.replaceChildren(
    ...presets.map((p) => {
      const b = el('button', { type: 'button', class: 'preset', 'data-preset': p.id, title: p.description }, p.label);
      b.addEventListener('click', () => applyAudience(p.audience));
      return b;
    }),
    clear,
  );
}

function applyAudience(a: Audience): void {
  for (const o of OUTCOMES) {
    const r = a[o.key];
    ranges[o.key] = r ? [Math.round(r.min * 100), Math.round(r.max * 100)] : [0, 100];
    (document.getElementById(`range-${o.key}-min`) as HTMLInputElement).value = String(ranges[o.key][0]);
    (document.getElementById(`range-${o.key}-max`) as HTMLInputElement).value = String(ranges[o.key][1]);
  }
  extra.minInactiveDays = a.minInactiveDays;
  extra.maxLastWeekMinutes = a.maxLastWeekMinutes;
  (document.getElementById('filter-inactive') as HTMLInputElement).value = a.minInactiveDays === null ? '' : String(a.minInactiveDays);
  (document.getElementById('filter-minutes') as HTMLInputElement).value = a.maxLastWeekMinutes === null ? '' : String(a.maxLastWeekMinutes);
  setPickedClusters(a.clusters ?? []);
  for (const o of OUTCOMES) drawSelection(o.key);
}

async function renderModelCard(): Promise<boolean> {
  const card = await api<ModelCardView>('/model-card');
  const body = document.getElementById('model-card-body')!;
  const fmt = (v: number | null, d = 2) => (v === null ? 'not reported' : v.toFixed(d));
  const pct = (v: number) => `${Math.round(v * 100)}%`;
  const trained = (o: ModelCardOutcome) => (o.trainedAt ? new Date(o.trainedAt).toLocaleDateString() : 'not reported');
  const reliability = (o: ModelCardOutcome) =>
    el('details', { class: 'reliability', 'data-outcome': o.outcome },
      el('summary', {}, `Calibration of the ${o.outcome} predictions on ${o.validationRows ?? 'the'} validation learners`),
      el('table', {}, el('caption', { class: 'sr-only' }, `Reliability of the ${o.outcome} predictions`),
        el('thead', {}, el('tr', {}, ...['Predicted range', 'Mean predicted', 'Observed', 'Learners'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, ...o.reliability.filter((b) => b.count > 0).map((b) => el('tr', {}, el('td', {}, `${pct(b.lower)}–${pct(b.upper)}`), el('td', {}, pct(b.meanPredicted)), el('td', {}, pct(b.observedRate)), el('td', {}, String(b.count)))))));
  body.replaceChildren(
    el('p', { id: 'model-status', 'data-status': card.status }, card.status === 'ready' ? `Predictions from the nightly run of ${card.lastRunDate} for ${card.learners} learners.` : `Not enough data yet. ${card.reason ?? ''}`),
    ...(card.latestActivityAt ? [el('p', { class: 'muted' }, `Latest activity in the data: ${new Date(card.latestActivityAt).toLocaleString()}.`)] : []),
    ...(card.outcomes?.length
      ? [el('table', {}, el('caption', { class: 'sr-only' }, 'Model quality per prediction (validation)'),
          el('thead', {}, el('tr', {}, ...['Prediction', 'Model', 'Trained', 'AUC', 'Brier', 'Calibration error (ECE)'].map((h) => el('th', { scope: 'col' }, h)))),
          el('tbody', {}, ...card.outcomes.map((o) => el('tr', {}, el('td', {}, o.outcome), el('td', {}, o.version), el('td', {}, trained(o)), el('td', {}, fmt(o.auc)), el('td', {}, fmt(o.brier, 3)), el('td', {}, fmt(o.ece, 3)))))),
        ...card.outcomes.filter((o) => o.reliability.length).map(reliability)]
      : []),
    el('p', { class: 'muted' }, 'Predictions are estimates from past learners’ behaviour, not certainties; use them to decide whom to encourage, never to grade.'),
  );
  return card.status === 'ready';
}

async function renderHistory(): Promise<void> {
  const { campaigns } = await api<{ campaigns: CampaignView[] }>('/campaigns');
  const box = document.getElementById('history')!;
  if (!campaigns.length) return void box.replaceChildren(el('p', { class: 'muted' }, 'No campaigns yet.'));
  const action = (c: CampaignView, label: string, path: string, body?: object) => {
    const b = el('button', { type: 'button', class: 'secondary small', 'aria-label': `${label}: ${c.name}` }, label);
    b.addEventListener('click', async () => {
      try {
        await api(`/campaigns/${c.id}/${path}`, { method: 'POST', ...(body ? { body: JSON.stringify(body) } : {}) });
        announce(`${label}: done.`);
        await renderHistory();
      } catch (error) {
        announce((error as Error).message, 'error');
      }
    });
    return b;
  };
  box.replaceChildren(
    el('table', { id: 'campaign-table' },
      el('caption', { class: 'sr-only' }, 'Campaign history'),
      el('thead', {}, el('tr', {}, ...['Campaign', 'Status', 'Channel', 'Rounds', 'Sent', 'Waiting', 'Skipped', 'Failed', 'Actions'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...campaigns.map((c) =>
        el('tr', { 'data-campaign': c.id },
          el('th', { scope: 'row' }, c.name, c.auto ? el('span', { class: 'badge' }, ' automatic') : ''),
          el('td', { class: 'campaign-status' }, c.status),
          el('td', {}, c.channel),
          el('td', {}, String(c.rounds)),
          el('td', { class: 'count-sent' }, String(c.counts.sent ?? 0)),
          el('td', {}, String((c.counts.pending ?? 0) + (c.counts.sending ?? 0))),
          el('td', {}, String(c.counts.skipped ?? 0)),
          el('td', {}, String(c.counts.failed ?? 0)),
          el('td', { class: 'actions' },
            ...(c.status === 'active' ? [action(c, 'Pause', 'pause')] : []),
            ...(c.status === 'paused' ? [action(c, 'Resume', 'resume')] : []),
            ...(c.status !== 'stopped' && c.rounds ? [action(c, 'Resend to new matches', 'resend')] : []),
            ...(c.status !== 'stopped' ? [action(c, c.auto ? 'Turn off automatic' : 'Make automatic', 'auto', { enabled: !c.auto })] : []),
            action(c, 'Duplicate', 'duplicate'),
            ...(c.status !== 'stopped' ? [action(c, 'Stop', 'stop')] : []),
          ),
        ),
      )),
    ),
  );
}

// ---------- start ----------
async function start(): Promise<void> {
  await session.ready;
  const me = await session.fetch('/api/dashboard/me').then((r) => r.json() as Promise<{ courseId: string; courseTitle: string; sharesName: boolean }>);
  base = `/api/dashboard/courses/${me.courseId}`;
  sharesName = me.sharesName;
  renderShell(me.courseTitle);
  const [ready] = await Promise.all([renderModelCard(), renderHistory()]);
  cols = await api<Columns>('/data');
  if (!ready || !cols.n) {
    document.getElementById('select-section')!.replaceChildren(el('h2', {}, 'Choose learners'), el('p', { id: 'not-enough-data' }, 'Not enough data yet: the dashboard fills in after the first nightly run has scored enough learners.'));
    document.getElementById('table-section')!.hidden = true;
    document.getElementById('compose-section')!.hidden = true;
    return;
  }
  const f = await api<{ optedOut: string[]; contacted: string[] }>('/flags');
  flags = { optedOut: new Set(f.optedOut), contacted: new Set(f.contacted) };
  alignClusters(await api<ClusterColumns>('/clusters'));
  setupFilter();
  renderClusterFilter();
  for (const o of OUTCOMES) totals[o.key] = binCounts(o.key);
  for (const o of OUTCOMES) buildChart(o.key, document.getElementById(`chart-${o.key}`)!);
  await renderPresets();
  refresh();
  root.setAttribute('data-ready', 'true');
}

start().catch((error: Error) => {
  root.replaceChildren(el('p', { class: 'status status-error', role: 'alert' }, `The dashboard could not load: ${error.message}`));
});
