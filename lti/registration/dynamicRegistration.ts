import { z } from 'zod';
import { Deployment } from '../../src/storage/models/Deployment';
import { Platform, PlatformDoc, PlatformKind } from '../../src/storage/models/Platform';
import { SCOPE } from '../claims';
import { safeJson } from '../services/ServiceTokenClient';
import type { ToolUrls } from '../toolUrls';
import { CANVAS_CUSTOM_FIELDS, INSTRUCTOR_ROLES, TOOL_DESCRIPTION, TOOL_TITLE } from './canvasConfig';

const PLATFORM_CONFIG = 'https://purl.imsglobal.org/spec/lti-platform-configuration';
const TOOL_CONFIG = 'https://purl.imsglobal.org/spec/lti-tool-configuration';

/** The platform's OpenID configuration as LTI Dynamic Registration 1.0 §3.4 requires it. */
export const openIdConfigurationSchema = z.object({
  issuer: z.string().url(),
  authorization_endpoint: z.string().url(),
  token_endpoint: z.string().url(),
  jwks_uri: z.string().url(),
  registration_endpoint: z.string().url(),
  authorization_server: z.string().optional(),
  scopes_supported: z.array(z.string()).optional(),
  id_token_signing_alg_values_supported: z.array(z.string()).optional(),
  [PLATFORM_CONFIG]: z.object({ product_family_code: z.string(), version: z.string().optional() }).passthrough(),
}).passthrough();
export type OpenIdConfiguration = z.infer<typeof openIdConfigurationSchema>;

/** A registration step failed; the message is shown to the admin in the platform's registration window. */
export class RegistrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistrationError';
  }
}

/** The platform kind from its product family code (`canvas`, `moodle`, `openedx`, anything else → other). */
export function kindFromProduct(code: string): PlatformKind {
  const c = code.toLowerCase();
  if (c.includes('canvas')) return 'canvas';
  if (c.includes('moodle')) return 'moodle';
  if (c.includes('edx')) return 'openedx';
  return 'other';
}

/**
 * The client registration request (Dynamic Registration §3.5): OIDC client metadata plus the LTI tool
 * configuration with our messages, placements and (for Canvas) custom fields and privacy level. Only
 * scopes the platform supports are requested.
 */
export function toolRegistrationRequest(urls: ToolUrls, config: OpenIdConfiguration): Record<string, unknown> {
  const kind = kindFromProduct(config[PLATFORM_CONFIG].product_family_code);
  const wanted = [SCOPE.nrps, SCOPE.agsLineItem, SCOPE.agsResultReadonly, SCOPE.agsScore];
  const scopes = config.scopes_supported ? wanted.filter((s) => config.scopes_supported!.includes(s)) : wanted;
  const custom = kind === 'canvas' ? { ...CANVAS_CUSTOM_FIELDS } : {};
  const toolConfig: Record<string, unknown> = {
    domain: new URL(urls.base).host,
    description: TOOL_DESCRIPTION,
    target_link_uri: urls.launch,
    custom_parameters: custom,
    claims: ['iss', 'sub', 'name', 'given_name', 'family_name', 'email', 'preferred_username'],
    messages: [
      { type: 'LtiResourceLinkRequest', target_link_uri: urls.launch, label: 'Keepup', placements: ['course_navigation'], roles: INSTRUCTOR_ROLES },
      { type: 'LtiDeepLinkingRequest', target_link_uri: urls.launch, label: 'Keepup nudge widget', placements: ['link_selection', 'assignment_selection', 'ContentArea'] },
    ],
  };
  if (kind === 'canvas') toolConfig['https://canvas.instructure.com/lti/privacy_level'] = 'public';
  return {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: urls.login,
    redirect_uris: urls.redirectUris,
    client_name: TOOL_TITLE,
    jwks_uri: urls.jwks,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: scopes.join(' '),
    [TOOL_CONFIG]: toolConfig,
  };
}

async function getJson(url: string, init: RequestInit, what: string): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new RegistrationError(`Keepup could not reach ${what} at ${url}: ${(error as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) throw new RegistrationError(`${what} at ${url} answered HTTP ${res.status}: ${text.slice(0, 300)}`);
  const body = safeJson(text);
  if (body === undefined) throw new RegistrationError(`${what} at ${url} did not return JSON.`);
  return body;
}

/**
 * Runs LTI Dynamic Registration: reads the platform's OpenID configuration (checking the issuer's host
 * matches the configuration URL, except for Canvas whose shared issuer differs by design), posts our client
 * registration with the registration token, and stores the platform and its deployment.
 */
export async function registerDynamically(input: { openidConfigurationUrl: string; registrationToken?: string; urls: ToolUrls }): Promise<{ platform: PlatformDoc; deploymentId?: string }> {
  let configUrl: URL;
  try {
    configUrl = new URL(input.openidConfigurationUrl);
  } catch {
    throw new RegistrationError('openid_configuration is not a URL.');
  }
  const auth: Record<string, string> = input.registrationToken ? { authorization: `Bearer ${input.registrationToken}` } : {};
  const parsed = openIdConfigurationSchema.safeParse(await getJson(configUrl.toString(), { headers: { accept: 'application/json', ...auth } }, "The platform's OpenID configuration"));
  if (!parsed.success) {
    throw new RegistrationError(`The platform's OpenID configuration is incomplete: ${parsed.error.issues.map((i) => i.path.join('.') || 'body').join(', ')}.`);
  }
  const config = parsed.data;
  const kind = kindFromProduct(config[PLATFORM_CONFIG].product_family_code);
  if (kind !== 'canvas' && new URL(config.issuer).host !== configUrl.host) {
    throw new RegistrationError(`The issuer ${config.issuer} does not match the host of the configuration URL (${configUrl.host}).`);
  }
  if (config.id_token_signing_alg_values_supported && !config.id_token_signing_alg_values_supported.includes('RS256')) {
    throw new RegistrationError('The platform does not sign id_tokens with RS256.');
  }
  const registration = await getJson(
    config.registration_endpoint,
    { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...auth }, body: JSON.stringify(toolRegistrationRequest(input.urls, config)) },
    "The platform's registration endpoint",
  );
  const result = z.object({ client_id: z.string().min(1), [TOOL_CONFIG]: z.object({ deployment_id: z.string().optional() }).passthrough().optional() }).passthrough().safeParse(registration);
  if (!result.success) throw new RegistrationError('The platform accepted the registration but returned no client_id.');
  const clientId = result.data.client_id;
  const deploymentId = result.data[TOOL_CONFIG]?.deployment_id;
  const platform = await Platform.findOneAndUpdate(
    { issuer: config.issuer, clientId },
    {
      $set: {
        name: `${kindLabel(kind)} (${new URL(config.issuer).host})`,
        kind,
        authUrl: config.authorization_endpoint,
        tokenUrl: config.token_endpoint,
        authServer: config.authorization_server ?? null,
        jwksUrl: config.jwks_uri,
        status: 'active',
        registeredVia: 'dynamic',
      },
    },
    { upsert: true, returnDocument: 'after' },
  ).lean<PlatformDoc>().orFail();
  if (deploymentId) {
    await Deployment.updateOne({ platformId: platform._id, deploymentId }, { $set: { status: 'active' }, $setOnInsert: { label: 'Dynamic Registration' } }, { upsert: true });
  }
  return { platform, deploymentId };
}

function kindLabel(kind: PlatformKind): string {
  return { canvas: 'Canvas', moodle: 'Moodle', openedx: 'Open edX', other: 'LTI platform' }[kind];
}
