import crypto from 'node:crypto';
import http from 'node:http';
import jwt from 'jsonwebtoken';
import { startSimulator, RunningSimulator } from '../../src/simulator/createSimulator';
import type { SimTool } from '../../src/simulator/SimPlatform';

/** A stand-in tool: its own RSA key published at a JWKS URL, as the simulator must verify tools by their keyset. */
async function startToolKeyset() {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...(publicKey.export({ format: 'jwk' }) as object), kid: 'tool-1', alg: 'RS256', use: 'sig' };
  const server = http.createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { privateKey, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('LMS simulator (platform side of LTI 1.3)', () => {
  let sim: RunningSimulator;
  let keyset: Awaited<ReturnType<typeof startToolKeyset>>;
  let tool: SimTool;

  beforeAll(async () => {
    sim = await startSimulator();
    keyset = await startToolKeyset();
    tool = sim.sim.platforms.canvas.addTool({ loginUrl: 'http://tool.test/login', launchUrl: 'http://tool.test/launch', jwksUrl: keyset.url, customFields: { uid: '$Canvas.user.id', tz: '$Person.address.timezone', unknown: '$Not.a.variable' } });
  });
  afterAll(async () => {
    await sim.close();
    await keyset.close();
  });

  const authUrl = (overrides: Record<string, string | undefined> = {}) => {
    const p = sim.sim.platforms.canvas;
    const params: Record<string, string | undefined> = {
      scope: 'openid', response_type: 'id_token', response_mode: 'form_post', prompt: 'none', client_id: tool.clientId,
      redirect_uri: tool.launchUrl, login_hint: 'learner', state: 's1', nonce: 'n1',
      lti_message_hint: p.encodeHint({ user: 'learner', clientId: tool.clientId, link: p.course.resourceLinks[1].id }), ...overrides,
    };
    const url = new URL(p.urls.auth);
    for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
    return url.toString();
  };
  const assertion = (claims: Record<string, unknown> = {}) =>
    jwt.sign({ iss: tool.clientId, sub: tool.clientId, aud: sim.sim.platforms.canvas.urls.token, jti: crypto.randomUUID(), ...claims }, keyset.privateKey, { algorithm: 'RS256', keyid: 'tool-1', expiresIn: 60 });
  const tokenRequest = (fields: Record<string, string>) =>
    fetch(sim.sim.platforms.canvas.urls.token, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', scope: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly', ...fields }) });

  it('signs a Canvas-shaped id_token with the current key and substitutes custom variables', async () => {
    const html = await (await fetch(authUrl())).text();
    expect(html).toContain('action="http://tool.test/launch"');
    const idToken = /name="id_token" value="([^"]+)"/.exec(html)![1];
    const decoded = jwt.decode(idToken, { complete: true })!;
    expect(decoded.header).toMatchObject({ alg: 'RS256', kid: sim.sim.platforms.canvas.keys.currentKid });
    const claims = decoded.payload as Record<string, unknown>;
    const learner = sim.sim.platforms.canvas.user('learner')!;
    expect(claims).toMatchObject({ iss: `${sim.url}/canvas`, aud: tool.clientId, nonce: 'n1', sub: learner.sub, name: learner.name, email: learner.email });
    expect(claims['https://purl.imsglobal.org/spec/lti/claim/custom']).toEqual({ uid: learner.platformUserId, tz: learner.timeZone, unknown: '$Not.a.variable', keepup_placement: 'widget' });
    expect(claims['https://purl.imsglobal.org/spec/lti/claim/roles']).toContain('http://purl.imsglobal.org/vocab/lis/v2/membership#Learner');
    const jwks = await (await fetch(sim.sim.platforms.canvas.urls.jwks)).json();
    const key = crypto.createPublicKey({ key: jwks.keys.find((k: { kid: string }) => k.kid === decoded.header.kid), format: 'jwk' });
    expect(() => jwt.verify(idToken, key, { algorithms: ['RS256'] })).not.toThrow();
  });

  it.each([
    [{ redirect_uri: 'http://evil.test/launch' }, 'invalid_request: redirect_uri is not registered for this client'],
    [{ response_type: 'code' }, 'unsupported_response_type: response_type must be id_token'],
    [{ nonce: undefined }, 'invalid_request: nonce missing or malformed'],
    [{ scope: 'profile' }, 'invalid_scope: scope must include openid'],
    [{ lti_message_hint: 'forged.hint' }, 'invalid_request: lti_message_hint is missing or was not issued by this platform'],
    [{ login_hint: 'instructor' }, 'login_required: login_hint does not match the launching user'],
  ])('refuses an authorization request with %j', async (overrides, message) => {
    const res = await fetch(authUrl(overrides));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(message);
  });

  it('keeps publishing the previous key after a rotation', async () => {
    const keys = sim.sim.platforms.moodle.keys;
    const before = keys.currentKid;
    const after = keys.rotate();
    expect(keys.jwks().keys.map((k) => k.kid)).toEqual([after, before]);
  });

  it('issues an access token for a valid private_key_jwt assertion, once per jti', async () => {
    const a = assertion();
    const ok = await tokenRequest({ client_assertion: a });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly' });
    const replay = await tokenRequest({ client_assertion: a });
    expect([replay.status, (await replay.json()).error_description]).toEqual([401, 'jti missing or reused']);
  });

  it('refuses assertions with the wrong audience, an unknown client or the wrong grant', async () => {
    const wrongAud = await tokenRequest({ client_assertion: assertion({ aud: 'https://elsewhere.test/token' }) });
    expect([wrongAud.status, (await wrongAud.json()).error]).toEqual([401, 'invalid_client']);
    const unknown = await tokenRequest({ client_assertion: assertion({ iss: 'nobody', sub: 'nobody' }) });
    expect([unknown.status, (await unknown.json()).error]).toEqual([401, 'invalid_client']);
    const grant = await tokenRequest({ client_assertion: assertion(), grant_type: 'password' });
    expect([grant.status, (await grant.json()).error]).toEqual([400, 'unsupported_grant_type']);
  });

  it('pages NRPS memberships with Link rel="next" and requires the NRPS scope', async () => {
    const p = sim.sim.platforms.canvas;
    const { access_token } = await (await tokenRequest({ client_assertion: assertion() })).json();
    const first = await fetch(`${p.urls.memberships}?limit=20`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(first.headers.get('content-type')).toContain('application/vnd.ims.lti-nrps.v2.membershipcontainer+json');
    expect(first.headers.get('link')).toBe(`<${p.urls.memberships}?page=2&limit=20>; rel="next"`);
    expect((await first.json()).members).toHaveLength(20);
    const last = await fetch(`${p.urls.memberships}?page=3&limit=20`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(last.headers.get('link')).toBeNull();
    expect((await last.json()).members).toHaveLength(11);
    expect((await fetch(p.urls.memberships, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
  });

  it('accepts a Deep Linking response only when signed by the tool', async () => {
    const p = sim.sim.platforms.canvas;
    const claims = {
      'https://purl.imsglobal.org/spec/lti/claim/message_type': 'LtiDeepLinkingResponse',
      'https://purl.imsglobal.org/spec/lti/claim/version': '1.3.0',
      'https://purl.imsglobal.org/spec/lti/claim/deployment_id': tool.deploymentId,
      'https://purl.imsglobal.org/spec/lti-dl/claim/content_items': [{ type: 'ltiResourceLink', title: 'Item', url: 'http://tool.test/launch' }],
    };
    const good = jwt.sign(claims, keyset.privateKey, { algorithm: 'RS256', keyid: 'tool-1', issuer: tool.clientId, audience: p.issuer, expiresIn: 60 });
    const ok = await fetch(p.urls.deepLinkReturn, { method: 'POST', body: new URLSearchParams({ JWT: good }) });
    expect(ok.status).toBe(200);
    const forged = jwt.sign(claims, crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, { algorithm: 'RS256', keyid: 'tool-1', issuer: tool.clientId, audience: p.issuer, expiresIn: 60 });
    const bad = await fetch(p.urls.deepLinkReturn, { method: 'POST', body: new URLSearchParams({ JWT: forged }) });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Signature or claims invalid: invalid signature');
  });

  it('refuses a Dynamic Registration without a valid registration token', async () => {
    const res = await fetch(sim.sim.platforms.moodle.urls.registration, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer made-up' }, body: '{}' });
    expect([res.status, (await res.json()).error]).toEqual([401, 'invalid_token']);
  });

  it('serves a platform storage frame that only answers registered tool origins', async () => {
    const html = await (await fetch(sim.sim.platforms.canvas.urls.storage)).text();
    expect(html).toContain('lti.get_data.response');
    expect(html).toContain(JSON.stringify(['http://tool.test']));
  });
});
