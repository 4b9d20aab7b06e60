import express, { Router } from 'express';
import jwt from 'jsonwebtoken';
import { esc, page } from '../html';
import type { Simulator } from '../Simulator';
import { verifyToolJwt } from '../verifyToolJwt';

const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim/';
const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';

/**
 * The Deep Linking return URL (Deep Linking 2.0 §4.2): verifies the tool's signed LtiDeepLinkingResponse
 * (RS256 with the tool's keyset, iss = client id, aud = platform issuer, deployment id, version) and adds
 * the returned ltiResourceLink items to the course.
 */
export function deepLinkingRoutes(sim: Simulator): Router {
  const router = Router();
  router.post('/:flavour/deep_link_return', express.urlencoded({ extended: false, limit: '256kb' }), async (req, res) => {
    const p = sim.platformOf(req);
    if (!p) return res.status(404).end();
    const fail = (reason: string) => res.status(400).type('html').send(page('Deep Linking refused', `<h1>Deep Linking refused</h1><p class="error">${esc(reason)}</p>`));
    const token = typeof req.body?.JWT === 'string' ? req.body.JWT : '';
    const unverified = jwt.decode(token) as Record<string, unknown> | null;
    const tool = unverified && typeof unverified.iss === 'string' ? p.tools.get(unverified.iss) : undefined;
    if (!tool) return fail('The response is not a JWT from a registered tool (iss must be its client_id).');
    let payload: Record<string, unknown>;
    try {
      payload = await verifyToolJwt(token, tool, p.issuer);
    } catch (error) {
      return fail(`Signature or claims invalid: ${(error as Error).message}`);
    }
    if (payload[`${LTI}message_type`] !== 'LtiDeepLinkingResponse') return fail('message_type must be LtiDeepLinkingResponse');
    if (payload[`${LTI}version`] !== '1.3.0') return fail('version must be 1.3.0');
    if (payload[`${LTI}deployment_id`] !== tool.deploymentId) return fail('deployment_id does not match the launch');
    const items = Array.isArray(payload[`${DL}content_items`]) ? (payload[`${DL}content_items`] as Array<Record<string, unknown>>) : [];
    if (items.some((i) => i.type !== 'ltiResourceLink')) return fail('only ltiResourceLink items are accepted here');
    for (const item of items) {
      p.course.resourceLinks.push({ id: `dl-${p.course.resourceLinks.length + 1}`, title: String(item.title ?? 'Keepup'), custom: (item.custom as Record<string, string>) ?? {} });
    }
    p.deepLinkResults.push({ clientId: tool.clientId, items, data: payload[`${DL}data`] });
    const list = items.map((i) => `<li class="added-item">${esc(i.title)} <code>${esc(JSON.stringify(i.custom ?? {}))}</code></li>`).join('');
    res.type('html').send(page('Items added', `<h1 id="deep-link-done">Added ${items.length} item(s) to ${esc(p.course.title)}</h1><ul>${list}</ul><p>${esc(payload[`${DL}msg`] ?? '')}</p>`));
  });
  return router;
}
