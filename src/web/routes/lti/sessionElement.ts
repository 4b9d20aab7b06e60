/** Escapes text for an HTML attribute value. */
export function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&#39;');
}

/**
 * The element every launched page carries for `/lti/static/session.js`: the session token (in the page, never in a
 * URL), its lifetime and how to confirm the browser (`cookie`, or a platform-storage read-back). Rendered as
 * escaped HTML so the templates stay minimal integration points.
 */
export function sessionElement(data: Record<string, string | number | undefined>): string {
  const attrs = Object.entries(data)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `data-${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}="${escapeAttr(String(v))}"`)
    .join(' ');
  return `<div id="keepup-session" hidden ${attrs}></div><script src="/lti/static/platformStorage.js"></script><script src="/lti/static/session.js"></script>`;
}
