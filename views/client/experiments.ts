// Experiments pages and the link to them. Navigation posts the session token in a form body (never a URL, no
// cookie needed inside an LMS iframe); actions call the JSON API with the bearer header.

import { keepupSession } from './shared/keepupSession';

/** Opens a Keepup page by POSTing the session token to it. */
function openPage(path: string): void {
  const s = keepupSession();
  if (!s) return;
  void s.ready.then(({ token }) => {
    const form = document.createElement('form');
    form.method = 'post';
    form.action = path;
    form.hidden = true;
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = 'token';
    input.value = token;
    form.append(input);
    document.body.append(form);
    form.submit();
  });
}

function say(text: string): void {
  const node = document.querySelector('[data-testid="page-status"]');
  if (node) node.textContent = text;
}

async function call(url: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
  const res = await keepupSession()!.fetch(url, init);
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) throw new Error(String(body.message ?? `Request failed (${res.status}).`));
  return body;
}

function courseId(): string {
  return (document.querySelector('[data-course-id]') as HTMLElement | null)?.dataset.courseId ?? '';
}

async function download(file: string): Promise<void> {
  const root = document.querySelector('[data-experiment-id]') as HTMLElement;
  const res = await keepupSession()!.fetch(`/api/courses/${courseId()}/experiments/${root.dataset.experimentId}/${file}`);
  if (!res.ok) throw new Error(`Download failed (${res.status}).`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `experiment-${root.dataset.experimentId}-${file}`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  say(`Downloaded ${file}.`);
}

function formBody(form: HTMLFormElement): Record<string, unknown> {
  const data = new FormData(form);
  const arms = Array.from(form.querySelectorAll<HTMLInputElement>('input[name="arm"]:checked')).map((box) => {
    const weight = Number((form.querySelector(`#weight-${box.value}`) as HTMLInputElement).value);
    const arm: Record<string, unknown> = { key: box.value, label: box.dataset.label, strategy: box.dataset.strategy, weight };
    const neutral = String(data.get('neutralMessage') ?? '').trim();
    if (box.dataset.strategy === 'control' && neutral) arm.neutralMessage = neutral;
    return arm;
  });
  return { name: String(data.get('name') ?? ''), arms, holdout: Number(data.get('holdout') ?? 0) / 100, stratifyByDropout: data.get('stratify') === 'on', stratifyByCluster: data.get('stratifyCluster') === 'on' };
}

function start(): void {
  document.addEventListener('click', (event) => {
    const target = event.target as HTMLElement;
    const link = target.closest<HTMLElement>('[data-keepup-post]');
    if (link) {
      event.preventDefault();
      openPage(link.dataset.keepupPost!);
      return;
    }
    const button = target.closest<HTMLButtonElement>('button[data-action], button[data-download]');
    if (!button) return;
    button.disabled = true;
    const done = (text: string) => {
      say(text);
      button.disabled = false;
    };
    if (button.dataset.download) {
      download(button.dataset.download).then(() => (button.disabled = false), (e: Error) => done(e.message));
      return;
    }
    const action = button.dataset.action!;
    const id = button.dataset.experimentId!;
    say(action === 'outcomes' ? 'Computing outcomes…' : `${action === 'start' ? 'Starting' : 'Stopping'} the experiment…`);
    call(`/api/courses/${courseId()}/experiments/${id}/${action}`, { method: 'POST' }).then(
      () => openPage(document.querySelector('.keepup-experiment-results') ? `/experiments/${id}` : '/experiments'),
      (e: Error) => done(e.message),
    );
  });

  const form = document.getElementById('experiment-form') as HTMLFormElement | null;
  form?.addEventListener('submit', (event) => {
    event.preventDefault();
    say('Creating the experiment…');
    call(`/api/courses/${courseId()}/experiments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(formBody(form)) }).then(
      () => openPage('/experiments'),
      (e: Error) => say(e.message),
    );
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();

export {};
