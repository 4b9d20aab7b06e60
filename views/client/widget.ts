// The learner nudge widget: fetches this learner's nudge with the session token (bearer header, no cookies,
// so it works in iframes with third-party cookies blocked), renders it with "Why am I seeing this?" and the
// opt-out, and reports one exposure per page view (the server keeps one per learner per day).

import { keepupSession, type KeepupSessionApi } from './shared/keepupSession';

interface PresentedNudge {
  placement: 'widget' | 'video';
  message: string | null;
  why: string;
  optedOut: boolean;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string>, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

function render(root: HTMLElement, nudge: PresentedNudge, session: KeepupSessionApi, announce: string | null): void {
  root.replaceChildren();
  root.dataset.state = nudge.optedOut ? 'opted-out' : nudge.message ? 'nudge' : 'empty';
  if (nudge.message) root.append(el('p', { class: 'keepup-nudge-message', 'data-testid': 'nudge-message' }, nudge.message));
  else if (nudge.optedOut) root.append(el('p', { class: 'keepup-nudge-status' }, 'Keepup nudges and messages are off for you in this course.'));
  const whyId = `keepup-why-${nudge.placement}`;
  root.append(el('details', { class: 'keepup-why' }, el('summary', {}, 'Why am I seeing this?'), el('p', { id: whyId }, nudge.why)));
  const button = el('button', { type: 'button', class: 'keepup-optout', 'aria-describedby': whyId }, nudge.optedOut ? 'Turn Keepup nudges and messages back on' : 'Turn off Keepup nudges and messages');
  button.addEventListener('click', () => {
    button.disabled = true;
    void session
      .fetch(`/api/widget/opt-out?placement=${nudge.placement}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ optOut: !nudge.optedOut }) })
      .then((res) => (res.ok ? (res.json() as Promise<PresentedNudge>) : Promise.reject(new Error(String(res.status)))))
      .then(
        (next) => {
          render(root, next, session, next.optedOut ? 'Done: Keepup will not show you nudges or send you messages.' : 'Done: Keepup nudges and messages are back on.');
          (root.querySelector('button') as HTMLButtonElement | null)?.focus();
        },
        () => {
          button.disabled = false;
          status(root, 'Keepup could not save your choice. Please try again.');
        },
      );
  });
  root.append(button);
  root.append(el('p', { class: 'keepup-widget-status', role: 'status' }, announce ?? ''));
}

function status(root: HTMLElement, text: string): void {
  const node = root.querySelector('.keepup-widget-status');
  if (node) node.textContent = text;
}

function start(): void {
  const root = document.getElementById('keepup-widget');
  const session = keepupSession();
  if (!root || !session) return;
  const placement = root.dataset.placement === 'video' ? 'video' : 'widget';
  void session
    .fetch(`/api/widget/nudge?placement=${placement}`)
    .then((res) => (res.ok ? (res.json() as Promise<PresentedNudge>) : Promise.reject(new Error(String(res.status)))))
    .then(
      (nudge) => {
        render(root, nudge, session, null);
        root.setAttribute('aria-busy', 'false');
        if (!nudge.optedOut) {
          void session.fetch('/api/widget/exposures', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ placement }) }).catch(() => undefined);
        }
      },
      () => {
        root.setAttribute('aria-busy', 'false');
        root.dataset.state = 'error';
        root.replaceChildren(el('p', { class: 'keepup-nudge-status', role: 'status' }, 'Keepup could not load right now.'));
      },
    );
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();

export {};
