import express, { Router } from 'express';
import { z } from 'zod';
import { autoPost, esc, page } from '../html';
import type { Simulator } from '../Simulator';
import { AGS_SCOPES, NRPS_SCOPE } from '../SimPlatform';

const authSchema = z.object({
  scope: z.string(),
  response_type: z.string(),
  response_mode: z.string(),
  client_id: z.string(),
  redirect_uri: z.string(),
  login_hint: z.string(),
  state: z.string().min(1),
  nonce: z.string().min(1),
  prompt: z.string().optional(),
  lti_message_hint: z.string().optional(),
});

/**
 * Platform OpenID endpoints: `/.well-known/openid-configuration` (with the LTI platform configuration
 * Dynamic Registration reads), `/jwks` (rotating keyset, fetches counted), and `/auth`, the OIDC
 * authorization endpoint that checks the request as LTI 1.3 Core §5.1.1.2 requires and form-POSTs a signed id_token.
 */
export function oidcRoutes(sim: Simulator): Router {
  const router = Router();
  router.get('/:flavour/.well-known/openid-configuration', (req, res) => {
    const p = sim.platformOf(req);
    if (!p) return res.status(404).end();
    res.json({
      issuer: p.issuer,
      authorization_endpoint: p.urls.auth,
      token_endpoint: p.urls.token,
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['RS256'],
      jwks_uri: p.urls.jwks,
      registration_endpoint: p.urls.registration,
      scopes_supported: ['openid', NRPS_SCOPE, ...AGS_SCOPES],
      response_types_supported: ['id_token'],
      subject_types_supported: ['public', 'pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      claims_supported: ['sub', 'iss', 'name', 'given_name', 'family_name', 'email'],
      'https://purl.imsglobal.org/spec/lti-platform-configuration': {
        product_family_code: p.flavour,
        version: '1.0',
        messages_supported: [{ type: 'LtiResourceLinkRequest' }, { type: 'LtiDeepLinkingRequest' }],
      },
    });
  });

  router.get('/:flavour/jwks', (req, res) => {
    const p = sim.platformOf(req);
    if (!p) return res.status(404).end();
    p.stats.jwksFetches++;
    res.json(p.keys.jwks());
  });

  const authorize = (req: express.Request, res: express.Response) => {
    const p = sim.platformOf(req);
    if (!p) return res.status(404).end();
    const fail = (reason: string) => res.status(400).type('html').send(page('Authorization refused', `<h1>Authorization refused</h1><p class="error">${esc(reason)}</p>`));
    const parsed = authSchema.safeParse({ ...req.query, ...(req.body ?? {}) });
    if (!parsed.success) return fail(`invalid_request: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')} missing or malformed`);
    const q = parsed.data;
    if (!q.scope.split(' ').includes('openid')) return fail('invalid_scope: scope must include openid');
    if (q.response_type !== 'id_token') return fail('unsupported_response_type: response_type must be id_token');
    if (q.response_mode !== 'form_post') return fail('invalid_request: response_mode must be form_post');
    if (q.prompt !== undefined && q.prompt !== 'none') return fail('invalid_request: prompt must be none');
    const tool = p.tools.get(q.client_id);
    if (!tool) return fail('unauthorized_client: unknown client_id');
    if (!tool.redirectUris.includes(q.redirect_uri)) return fail('invalid_request: redirect_uri is not registered for this client');
    const hint = q.lti_message_hint ? p.decodeHint(q.lti_message_hint) : undefined;
    if (!hint || hint.clientId !== tool.clientId) return fail('invalid_request: lti_message_hint is missing or was not issued by this platform');
    if (hint.user !== q.login_hint) return fail('login_required: login_hint does not match the launching user');
    const user = p.user(hint.user);
    if (!user) return fail('login_required: unknown user');
    p.stats.launches++;
    const idToken = p.keys.sign(p.launchClaims(tool, user, hint, q.nonce));
    res.type('html').send(autoPost(q.redirect_uri, { id_token: idToken, state: q.state }));
  };
  router.get('/:flavour/auth', authorize);
  router.post('/:flavour/auth', express.urlencoded({ extended: false }), authorize);
  return router;
}
