/** Escapes text for HTML. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A minimal HTML page for the simulator. */
export function page(title: string, body: string, script = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:70rem}iframe.tool{width:100%;height:60rem;border:1px solid #999}
code{background:#f3f3f3;padding:0 .2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}</style>
</head><body>${body}${script ? `<script>${script}</script>` : ''}</body></html>`;
}

/** An HTML page that POSTs a form automatically (how platforms deliver id_tokens: response_mode=form_post). */
export function autoPost(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields).map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('');
  return page('Redirecting', `<form id="auto" method="POST" action="${esc(action)}">${inputs}<noscript><button>Continue</button></noscript></form>`, "document.getElementById('auto').submit();");
}
