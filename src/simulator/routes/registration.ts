import crypto from 'node:crypto';
import express, { Router } from 'express';
import { z } from 'zod';
import { esc, page } from '../html';
import type { Simulator } from '../Simulator';
import type { SimPlatform, SimTool } from '../SimPlatform';

const TOOL_CONFIG = 'https://purl.imsglobal.org/spec/lti-tool-configuration';

const registrationSchema = z.object({
  application_type: z.literal('web'),
  response_types: z.array(z.string()).refine((r) => r.includes('id_token'), 'must include id_token'),
  grant_types: z.array(z.string()).refine((g) => g.includes('implicit') && g.includes('client_credentials'), 'must include implicit and client_credentials'),
  initiate_login_uri: z.string().url(),
  redirect_uris: z.array(z.string().url()).min(1),
  client_name: z.string().min(1),
  jwks_uri: z.string().url(),
  token_endpoint_auth_method: z.literal('private_key_jwt'),
  scope: z.string().optional(),
  [TOOL_CONFIG]: z.object({
    domain: z.string().min(1),
    target_link_uri: z.string().url(),
    custom_parameters: z.record(z.string(), z.string()).optional(),
    claims: z.array(z.string()).optional(),
    messages: z.array(z.object({ type: z.string() }).passthrough()).optional(),
  }).passthrough(),
}).passthrough();

const canvasJsonSchema = z.object({
  title: z.string().min(1),
  oidc_initiation_url: z.string().url(),
  target_link_uri: z.string().url(),
  public_jwk_url: z.string().url(),
  scopes: z.array(z.string()).default([]),
  custom_fields: z.record(z.string(), z.string()).default({}),
  extensions: z.array(z.object({ platform: z.string(), privacy_level: z.string().optional() }).passthrough()).default([]),
}).passthrough();

/** What the admin of the simulated platform hands to the tool's admin after installing it manually. */
function installedValues(p: SimPlatform, tool: SimTool) {
  return { issuer: p.issuer, clientId: tool.clientId, deploymentId: tool.deploymentId, authUrl: p.urls.auth, tokenUrl: p.urls.token, jwksUrl: p.urls.jwks };
}

function valuesPage(p: SimPlatform, tool: SimTool, heading: string): string {
  const v = installedValues(p, tool);
  const rows = [
    ['Issuer', v.issuer],
    ['Client ID', v.clientId],
    ['Deployment ID', v.deploymentId],
    ['OIDC authorization (login) URL', v.authUrl],
    ['Access token URL', v.tokenUrl],
    ['Keyset URL', v.jwksUrl],
  ].map(([k, val]) => `<tr><th>${esc(k)}</th><td><code data-field="${esc(k)}">${esc(val)}</code></td></tr>`).join('');
  return page(heading, `<h1>${esc(heading)}</h1><p>Enter these values in the tool's admin area.</p><table>${rows}</table>`);
}

/**
 * Ways to install a tool: LTI Dynamic Registration (initiation page framing the tool's registration URL with
 * `openid_configuration` and a one-time `registration_token`; the registration endpoint), Canvas's developer
 * key from a JSON configuration URL, and the Open edX LTI component settings form.
 */
export function registrationRoutes(sim: Simulator): Router {
  const router = Router();
  router.get('/:flavour/register-tool', (req, res) => {
    const p = sim.platformOf(req);
    if (!p) return res.status(404).end();
    const toolUrl = typeof req.query.url === 'string' ? req.query.url : '';
    if (!toolUrl) {
      return res.type('html').send(page('Register an LTI tool', `<h1>Register an LTI Advantage tool (${esc(p.flavour)})</h1><form method="GET"><label>Tool registration URL <input name="url" size="80"></label><button>Register</button></form>`));
    }
    const token = crypto.randomBytes(18).toString('base64url');
    p.registrationTokens.set(token, Date.now() + 3600_000);
    const target = new URL(toolUrl);
    target.searchParams.set('openid_configuration', p.urls.openidConfiguration);
    target.searchParams.set('registration_token', token);
    if (req.accepts(['html', 'json']) === 'json') return res.json({ registrationUrl: target.toString(), registrationToken: token });
    res.type('html').send(page('Registering tool', `<h1>Registering tool</h1><p id="status">Waiting for the tool…</p><iframe class="tool" name="registration" src="${esc(target.toString())}"></iframe>`,
      "window.addEventListener('message',function(e){if(e.data&&e.data.subject==='org.imsglobal.lti.close'){document.body.setAttribute('data-closed','1');document.getElementById('status').textContent='Registration finished: the tool closed the window.';}});"));
  });

  router.post('/:flavour/registrations', express.json({ limit: '64kb' }), (req, res) => {
    const p = sim.platformOf(req);
    if (!p) return res.status(404).end();
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const expires = token ? p.registrationTokens.get(token) : undefined;
    if (!token || !expires || expires < Date.now()) return res.status(401).json({ error: 'invalid_token', error_description: 'registration token missing, unknown or expired' });
    const body = registrationSchema.safeParse(req.body);
    if (!body.success) return res.status(400).json({ error: 'invalid_client_metadata', error_description: body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    p.registrationTokens.delete(token);
    const config = body.data[TOOL_CONFIG];
    const tool = p.addTool({
      name: body.data.client_name,
      loginUrl: body.data.initiate_login_uri,
      launchUrl: config.target_link_uri,
      redirectUris: body.data.redirect_uris,
      jwksUrl: body.data.jwks_uri,
      customFields: config.custom_parameters ?? {},
      scopes: (body.data.scope ?? '').split(' ').filter(Boolean),
    });
    res.json({ ...body.data, client_id: tool.clientId, [TOOL_CONFIG]: { ...config, deployment_id: tool.deploymentId } });
  });

  router.get('/canvas/developer_keys', (_req, res) => {
    res.type('html').send(page('Developer keys', '<h1>Canvas (simulated): new LTI key</h1><form method="POST"><label>JSON URL <input name="json_url" size="80"></label><button>Save</button></form>'));
  });
  router.post('/canvas/developer_keys', express.urlencoded({ extended: false }), async (req, res) => {
    const p = sim.platforms.canvas;
    const fail = (reason: string) => res.status(400).type('html').send(page('Developer key error', `<p class="error">${esc(reason)}</p>`));
    let json: unknown;
    try {
      const r = await fetch(String(req.body?.json_url ?? ''), { signal: AbortSignal.timeout(5000) });
      json = await r.json();
    } catch (error) {
      return fail(`Could not load the JSON configuration: ${(error as Error).message}`);
    }
    const config = canvasJsonSchema.safeParse(json);
    if (!config.success) return fail(`Invalid configuration: ${config.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    const canvasExt = config.data.extensions.find((e) => e.platform === 'canvas.instructure.com');
    const tool = p.addTool({
      name: config.data.title,
      loginUrl: config.data.oidc_initiation_url,
      launchUrl: config.data.target_link_uri,
      jwksUrl: config.data.public_jwk_url,
      customFields: config.data.custom_fields,
      scopes: config.data.scopes,
      sharePii: canvasExt?.privacy_level === 'public',
    });
    if (req.accepts(['html', 'json']) === 'json') return res.json(installedValues(p, tool));
    res.type('html').send(valuesPage(p, tool, 'Developer key created and installed'));
  });

  router.get('/openedx/studio/lti_component', (_req, res) => {
    res.type('html').send(page('LTI component', `<h1>Open edX (simulated): LTI consumer component</h1><form method="POST">
<p><label>LTI version <select name="lti_version"><option value="lti_1p3">LTI 1.3</option></select></label></p>
<p><label>Tool launch URL <input name="launch_url" size="70"></label></p>
<p><label>Tool initiate login URL <input name="login_url" size="70"></label></p>
<p><label>Tool public key mode <select name="key_mode"><option value="keyset_url">Keyset URL</option></select></label> <label>Tool keyset URL <input name="keyset_url" size="70"></label></p>
<p><label>Redirect URIs <input name="redirect_uris" size="70" placeholder="defaults to the launch URL"></label></p>
<p><label><input type="checkbox" name="enable_nrps" value="1" checked> Enable LTI NRPS</label> <label><input type="checkbox" name="pii_sharing" value="1" checked> Request username and email (PII sharing)</label></p>
<button>Save</button></form>`));
  });
  router.post('/openedx/studio/lti_component', express.urlencoded({ extended: false }), (req, res) => {
    const p = sim.platforms.openedx;
    const body = z.object({ launch_url: z.string().url(), login_url: z.string().url(), keyset_url: z.string().url(), redirect_uris: z.string().optional(), pii_sharing: z.string().optional(), enable_nrps: z.string().optional() }).safeParse(req.body);
    if (!body.success) return res.status(400).type('html').send(page('LTI component error', `<p class="error">Fill in ${esc(body.error.issues.map((i) => i.path.join('.')).join(', '))}</p>`));
    const redirects = (body.data.redirect_uris ?? '').split(/[\s,]+/).filter(Boolean);
    const tool = p.addTool({
      loginUrl: body.data.login_url,
      launchUrl: body.data.launch_url,
      jwksUrl: body.data.keyset_url,
      redirectUris: redirects.length ? redirects : [body.data.launch_url],
      sharePii: body.data.pii_sharing === '1',
      scopes: body.data.enable_nrps === '1' ? ['https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly'] : [],
    });
    if (req.accepts(['html', 'json']) === 'json') return res.json(installedValues(p, tool));
    res.type('html').send(valuesPage(p, tool, 'LTI component saved'));
  });
  return router;
}
