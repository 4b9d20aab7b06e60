import express, { Router } from 'express';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import type { Simulator } from '../Simulator';
import { AGS_SCOPES, NRPS_SCOPE } from '../SimPlatform';
import { verifyToolJwt } from '../verifyToolJwt';

const tokenRequestSchema = z.object({
  grant_type: z.literal('client_credentials'),
  client_assertion_type: z.literal('urn:ietf:params:oauth:client-assertion-type:jwt-bearer'),
  client_assertion: z.string().min(1),
  scope: z.string().min(1),
});

/**
 * LTI Advantage services: the OAuth2 token endpoint (client_credentials with a `private_key_jwt` assertion
 * verified against the tool's registered JWKS URL, single-use jti), NRPS 2.0 memberships with
 * `Link: rel="next"` paging, and AGS 2.0 line items and scores.
 */
export function serviceRoutes(sim: Simulator): Router {
  const router = Router();
  router.post('/:flavour/token', express.urlencoded({ extended: false }), async (req, res) => {
    const p = sim.platformOf(req);
    if (!p) return res.status(404).end();
    const parsed = tokenRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      const unsupported = req.body?.grant_type && req.body.grant_type !== 'client_credentials';
      return res.status(400).json({ error: unsupported ? 'unsupported_grant_type' : 'invalid_request', error_description: parsed.error.issues.map((i) => i.path.join('.')).join(', ') });
    }
    const unverified = jwt.decode(parsed.data.client_assertion) as Record<string, unknown> | null;
    const tool = unverified && typeof unverified.iss === 'string' ? p.tools.get(unverified.iss) : undefined;
    if (!tool || unverified?.sub !== tool.clientId) return res.status(401).json({ error: 'invalid_client', error_description: 'iss and sub must be a registered client_id' });
    let assertion: Record<string, unknown>;
    try {
      assertion = await verifyToolJwt(parsed.data.client_assertion, tool, p.urls.token);
    } catch (error) {
      return res.status(401).json({ error: 'invalid_client', error_description: (error as Error).message });
    }
    const jti = typeof assertion.jti === 'string' ? assertion.jti : '';
    if (!jti || p.usedAssertionIds.has(jti)) return res.status(401).json({ error: 'invalid_client', error_description: 'jti missing or reused' });
    p.usedAssertionIds.add(jti);
    const requested = parsed.data.scope.split(' ').filter(Boolean);
    const granted = requested.filter((s) => tool.scopes.includes(s));
    if (!granted.length) return res.status(400).json({ error: 'invalid_scope', error_description: 'none of the requested scopes is allowed for this client' });
    const issued = p.issueAccessToken(tool.clientId, granted);
    res.json({ access_token: issued.token, token_type: 'Bearer', expires_in: issued.expiresIn, scope: granted.join(' ') });
  });

  router.get('/:flavour/nrps/:contextId/memberships', (req, res) => {
    const p = sim.platformOf(req);
    if (!p) return res.status(404).end();
    const access = p.checkAccess(req.headers.authorization, NRPS_SCOPE);
    if (!access) return res.status(401).json({ error: 'unauthorized', error_description: 'a valid bearer token with the NRPS scope is required' });
    if (req.params.contextId !== p.course.contextId) return res.status(404).json({ error: 'not_found' });
    const tool = p.tools.get(access.clientId)!;
    const limit = Math.min(Math.max(Number(req.query.limit) || 20, 1), 100);
    const pageNo = Math.max(Number(req.query.page) || 1, 1);
    const users = p.course.users;
    const slice = users.slice((pageNo - 1) * limit, pageNo * limit);
    p.stats.nrpsPages++;
    if (pageNo * limit < users.length) {
      const next = new URL(p.urls.memberships);
      next.searchParams.set('page', String(pageNo + 1));
      next.searchParams.set('limit', String(limit));
      res.setHeader('link', `<${next.toString()}>; rel="next"`);
    }
    res.type('application/vnd.ims.lti-nrps.v2.membershipcontainer+json').send(JSON.stringify({
      id: req.originalUrl,
      context: { id: p.course.contextId, label: p.course.label, title: p.course.title },
      members: slice.map((u) => ({
        status: u.status,
        user_id: u.sub,
        roles: rolesForMember(u.role),
        ...(tool.sharePii && u.name ? { name: u.name, given_name: u.givenName, family_name: u.familyName } : {}),
        ...(tool.sharePii && u.email ? { email: u.email } : {}),
        ...(p.flavour === 'canvas' ? { lti11_legacy_user_id: `legacy-${u.platformUserId}` } : {}),
      })),
    }));
  });

  router.get('/:flavour/ags/:contextId/lineitems', (req, res) => {
    const p = sim.platformOf(req);
    if (!p) return res.status(404).end();
    if (!p.checkAccess(req.headers.authorization, AGS_SCOPES[0])) return res.status(401).json({ error: 'unauthorized' });
    res.type('application/vnd.ims.lis.v2.lineitemcontainer+json').send(JSON.stringify(p.lineItems.map(({ scores: _s, ...item }) => item)));
  });

  router.post('/:flavour/ags/:contextId/lineitems', express.json({ type: ['application/json', 'application/vnd.ims.lis.v2.lineitem+json'] }), (req, res) => {
    const p = sim.platformOf(req);
    if (!p) return res.status(404).end();
    if (!p.checkAccess(req.headers.authorization, AGS_SCOPES[0])) return res.status(401).json({ error: 'unauthorized' });
    const body = z.object({ label: z.string().min(1), scoreMaximum: z.number().positive(), resourceId: z.string().optional(), tag: z.string().optional() }).safeParse(req.body);
    if (!body.success) return res.status(400).json({ error: 'invalid_request' });
    const item = { id: `${p.urls.lineItems}/${p.lineItems.length + 1}`, ...body.data, scores: [] as unknown[] };
    p.lineItems.push(item);
    const { scores: _s, ...shown } = item;
    res.status(201).type('application/vnd.ims.lis.v2.lineitem+json').send(JSON.stringify(shown));
  });

  router.post('/:flavour/ags/:contextId/lineitems/:n/scores', express.json({ type: ['application/json', 'application/vnd.ims.lis.v1.score+json'] }), (req, res) => {
    const p = sim.platformOf(req);
    if (!p) return res.status(404).end();
    if (!p.checkAccess(req.headers.authorization, AGS_SCOPES[3])) return res.status(401).json({ error: 'unauthorized' });
    const item = p.lineItems[Number(req.params.n) - 1];
    if (!item) return res.status(404).json({ error: 'not_found' });
    const score = z.object({ userId: z.string(), timestamp: z.string(), activityProgress: z.string(), gradingProgress: z.string(), scoreGiven: z.number().optional(), scoreMaximum: z.number().optional() }).safeParse(req.body);
    if (!score.success) return res.status(400).json({ error: 'invalid_request' });
    item.scores.push(score.data);
    res.status(204).end();
  });
  return router;
}

function rolesForMember(role: string): string[] {
  const m = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';
  return role === 'learner' ? [`${m}Learner`] : role === 'ta' ? ['http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant'] : [`${m}Instructor`];
}
