import type { Redis } from 'ioredis';
import { saveCanvasApiKey } from '../../src/messaging/canvasAuth/canvasApiKeys';
import { CANVAS_CONVERSATIONS_SCOPE } from '../../src/messaging/canvasAuth/canvasTokenEndpoint';
import { createRedis } from '../../src/storage/redis';
import { Deployment } from '../../src/storage/models/Deployment';
import { Platform, platformTenant } from '../../src/storage/models/Platform';
import { registrationInvites } from '../registration/registrationInvites';
import { savePlatform } from '../registration/savePlatform';
import { toolUrls } from '../toolUrls';

/** One registered simulator platform and the links that launch Keepup from it. */
export interface SimulatorRegistration {
  flavour: 'canvas' | 'openedx' | 'moodle';
  via: 'canvas_json' | 'openedx_setup' | 'dynamic';
  issuer: string;
  clientId: string;
  deploymentId: string;
  launchLinks: { instructor: string; learner: string; deepLink: string };
}

interface InstalledValues {
  issuer: string;
  clientId: string;
  deploymentId: string;
  authUrl: string;
  tokenUrl: string;
  jwksUrl: string;
}

async function postForm(url: string, fields: Record<string, string>): Promise<InstalledValues> {
  const res = await fetch(url, { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  return (await res.json()) as InstalledValues;
}

/** Creates a Canvas API developer key for Inbox sends on the simulated Canvas and saves it in Keepup (Admin → Canvas messaging). */
async function connectCanvasMessaging(sim: string, keepupUrl: string, issuer: string, ltiClientId: string): Promise<void> {
  const res = await fetch(`${sim}/canvas/developer_keys/api`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ name: 'Keepup messaging', redirect_uri: `${keepupUrl.replace(/\/+$/, '')}/canvas/oauth/callback`, scopes: CANVAS_CONVERSATIONS_SCOPE }),
  });
  if (!res.ok) throw new Error(`${sim}/canvas/developer_keys/api answered ${res.status}`);
  const key = (await res.json()) as { client_id: string; client_secret: string };
  const platform = await Platform.findOne({ issuer, clientId: ltiClientId }).lean();
  await saveCanvasApiKey({ tenant: platform ? platformTenant(platform) : issuer, apiBase: `${sim}/canvas`, clientId: key.client_id, clientSecret: key.client_secret });
}

function links(simulatorUrl: string, flavour: string, clientId: string) {
  const course = `${simulatorUrl}/${flavour}/course?tool=${encodeURIComponent(clientId)}`;
  return { instructor: `${course}&user=instructor`, learner: `${course}&user=learner`, deepLink: `${course}&user=instructor&deep=1` };
}

/**
 * Registers Keepup with a running LMS simulator the way an admin would, one path per flavour: Canvas by
 * pasting Keepup's JSON configuration URL into a developer key, Open edX by filling the LTI component with
 * the values of Keepup's setup page, Moodle by LTI Dynamic Registration. Needs mongoose connected (Keepup's
 * database) and Redis (the Dynamic Registration invite). Returns launch links for the demo page.
 */
export async function registerSimulatorPlatforms(simulatorUrl: string, keepupUrl: string, options: { redis?: Redis; redisPrefix?: string } = {}): Promise<SimulatorRegistration[]> {
  const urls = toolUrls(keepupUrl);
  const sim = simulatorUrl.replace(/\/+$/, '');
  const results: SimulatorRegistration[] = [];

  const canvas = await postForm(`${sim}/canvas/developer_keys`, { json_url: urls.canvasConfig });
  await savePlatform({ name: 'Canvas (simulator)', kind: 'canvas', ...canvas, deploymentIds: [canvas.deploymentId], registeredVia: 'canvas_json' });
  await connectCanvasMessaging(sim, keepupUrl, canvas.issuer, canvas.clientId);
  results.push({ flavour: 'canvas', via: 'canvas_json', issuer: canvas.issuer, clientId: canvas.clientId, deploymentId: canvas.deploymentId, launchLinks: links(sim, 'canvas', canvas.clientId) });

  const openedx = await postForm(`${sim}/openedx/studio/lti_component`, { lti_version: 'lti_1p3', launch_url: urls.launch, login_url: urls.login, keyset_url: urls.jwks, redirect_uris: urls.redirectUris.join(' '), enable_nrps: '1', pii_sharing: '1' });
  await savePlatform({ name: 'Open edX (simulator)', kind: 'openedx', ...openedx, deploymentIds: [openedx.deploymentId], registeredVia: 'openedx_setup' });
  results.push({ flavour: 'openedx', via: 'openedx_setup', issuer: openedx.issuer, clientId: openedx.clientId, deploymentId: openedx.deploymentId, launchLinks: links(sim, 'openedx', openedx.clientId) });

  const redis = options.redis ?? createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    const invite = await registrationInvites.create(redis, options.redisPrefix ?? 'keepup');
    const init = await fetch(`${sim}/moodle/register-tool?url=${encodeURIComponent(`${urls.register}?invite=${invite}`)}`, { headers: { accept: 'application/json' } });
    const { registrationUrl } = (await init.json()) as { registrationUrl: string };
    const registered = await fetch(registrationUrl);
    if (!registered.ok) throw new Error(`Dynamic Registration failed: ${registered.status} ${(await registered.text()).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 300)}`);
  } finally {
    if (!options.redis) await redis.quit();
  }
  const moodle = await Platform.findOne({ issuer: `${sim}/moodle` }).sort({ createdAt: -1 }).lean();
  if (!moodle) throw new Error('Dynamic Registration with the Moodle simulator stored no platform');
  const deployment = await Deployment.findOne({ platformId: moodle._id }).lean();
  results.push({ flavour: 'moodle', via: 'dynamic', issuer: moodle.issuer, clientId: moodle.clientId, deploymentId: deployment?.deploymentId ?? '', launchLinks: links(sim, 'moodle', moodle.clientId) });
  return results;
}
