// "Connect Canvas messaging" on the instructor dashboard of a Canvas course: shows whether Canvas Inbox sends
// are connected and opens the Canvas OAuth2 consent in a new window (Canvas's login page cannot be framed).

import { keepupSession } from './shared/keepupSession';

interface CanvasStatus {
  available: boolean;
  connected: boolean;
  connectedByYou: boolean;
  renewable: boolean;
}

function statusText(s: CanvasStatus): string {
  if (s.connectedByYou) return `Canvas Inbox messages are sent from your Canvas account${s.renewable ? '; Keepup renews the access on its own' : ''}.`;
  if (s.connected) return 'Canvas Inbox messages are sent from another instructor’s Canvas account. Connect yours to send as yourself.';
  if (!s.available) return 'Canvas Inbox messages are not set up for this Canvas yet (an administrator adds a Canvas API developer key). Email works meanwhile.';
  return 'Connect your Canvas account to send campaigns by Canvas Inbox.';
}

async function mountCanvasConnect(): Promise<void> {
  const api = keepupSession();
  const host = document.getElementById('keepup-dashboard');
  if (!api || !host) return;
  await api.ready;
  const me = (await api.fetch('/api/dashboard/me').then((r) => r.json())) as { courseId: string; platform: string };
  if (me.platform !== 'canvas') return;
  const base = `/api/dashboard/courses/${me.courseId}/canvas`;
  const section = document.createElement('section');
  section.id = 'canvas-connect';
  section.className = 'card';
  section.setAttribute('aria-labelledby', 'canvas-connect-title');
  const title = document.createElement('h2');
  title.id = 'canvas-connect-title';
  title.textContent = 'Canvas Inbox';
  const text = document.createElement('p');
  text.setAttribute('role', 'status');
  text.id = 'canvas-connect-status';
  const button = document.createElement('button');
  button.type = 'button';
  button.id = 'canvas-connect-button';
  button.textContent = 'Connect Canvas messaging';
  section.append(title, text, button);

  const refresh = async (): Promise<CanvasStatus> => {
    const status = (await api.fetch(`${base}/status`).then((r) => r.json())) as CanvasStatus;
    text.textContent = statusText(status);
    button.hidden = !status.available;
    button.textContent = status.connectedByYou ? 'Reconnect Canvas messaging' : 'Connect Canvas messaging';
    return status;
  };
  await refresh();
  // Shown only once the status is known, so the button never appears next to an empty status line.
  host.before(section);

  button.addEventListener('click', async () => {
    const popup = window.open('about:blank', 'keepup-canvas-connect', 'width=720,height=760');
    const res = await api.fetch(`${base}/connect`, { method: 'POST' });
    const body = (await res.json().catch(() => ({}))) as { url?: string; message?: string };
    if (!res.ok || !body.url) {
      popup?.close();
      text.textContent = body.message ?? `Canvas could not be connected (${res.status}).`;
      return;
    }
    if (popup) popup.location.href = body.url;
    else window.open(body.url, '_blank', 'noopener');
    text.textContent = 'Finish in the Canvas window that opened; this page updates when you are done.';
    const until = Date.now() + 10 * 60_000;
    const poll = async () => {
      const status = await refresh();
      if (!status.connectedByYou && Date.now() < until && !popup?.closed) setTimeout(poll, 3000);
    };
    setTimeout(poll, 3000);
  });
}

mountCanvasConnect().catch(() => undefined);
