import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { Deployment } from '../src/storage/models/Deployment';
import { Platform, PlatformDoc } from '../src/storage/models/Platform';
import { CLAIM, LTI_CLAIM_PREFIX, MESSAGE_TYPES, MessageType, optionalClaims, ContextClaim, DeepLinkingSettings, NrpsClaim, AgsClaim } from './claims';
import { LaunchError } from './LaunchError';
import { hashBrowserId, LoginState, LoginStateStore } from './LoginStateStore';
import type { PlatformKeysets } from './PlatformKeysets';
import { keepupRole, KeepupRole } from './roles';

/** Allowed clock difference between the platform and Keepup for `exp` and `iat`, seconds. */
export const CLOCK_TOLERANCE_SECONDS = 30;

export interface LaunchInput {
  idToken?: unknown;
  state?: unknown;
  /** Value of the browser-binding cookie, when the browser sent it. */
  browserId?: string;
}

/** How the launch was tied to the browser that started the login. */
export type BrowserBinding =
  | { kind: 'cookie' }
  /** Cookie absent (third-party cookies blocked): the launched page must read `state_<state>` back from the platform's storage frame before it uses its session. */
  | { kind: 'platform-storage'; storageTarget: string; platformOrigin: string; state: string; nonce: string };

/** A launch that passed every check, with the claims Keepup uses. */
export interface ValidatedLaunch {
  platform: PlatformDoc;
  deploymentId: string;
  messageType: MessageType;
  sub: string;
  roles: string[];
  role: KeepupRole;
  context?: ContextClaim;
  resourceLinkId?: string;
  targetLinkUri?: string;
  custom: Record<string, string>;
  nrps?: NrpsClaim;
  ags?: AgsClaim;
  deepLinking?: DeepLinkingSettings;
  person: { name?: string; givenName?: string; familyName?: string; email?: string; preferredUsername?: string };
  binding: BrowserBinding;
  claims: Record<string, unknown>;
}

export interface LaunchValidatorDeps {
  logins: LoginStateStore;
  keysets: PlatformKeysets;
}

/**
 * Validates an LTI 1.3 launch (OIDC authentication response) as the LTI 1.3 Core and Security Framework
 * require, in this order: state (issued by us, single use, same browser), token format and header (RS256,
 * kid), registration (iss + aud/azp), signature against the platform keyset, exp/iat with a small skew,
 * LTI claims, nonce (issued by us, single use, for this login), deployment. Throws LaunchError on the first failure.
 */
export async function validateLaunch(input: LaunchInput, deps: LaunchValidatorDeps): Promise<ValidatedLaunch> {
  if (typeof input.idToken !== 'string' || typeof input.state !== 'string' || !input.idToken || !input.state) {
    throw new LaunchError('missing_parameters', 'The launch did not include an id_token and a state.', 'The platform must POST id_token and state to the launch URL (response_mode=form_post).', 400);
  }
  const state = input.state;
  const login = await deps.logins.takeState(state);
  if (!login) {
    throw new LaunchError('state_unknown', 'The login state is unknown, expired or already used.', 'Launches must start at the Keepup login URL and finish within 10 minutes; a launch cannot be reused. Ask the user to open Keepup again from the course.');
  }
  const binding = bindBrowser(login, state, input.browserId);

  const token = input.idToken;
  const decoded = token.split('.').length === 3 ? jwt.decode(token, { complete: true }) : null;
  if (!decoded || typeof decoded.payload !== 'object' || decoded.payload === null) {
    throw new LaunchError('not_a_jwt', 'The id_token is not a JWT.', 'The platform must send a signed JWT (JWS compact serialization) as id_token.', 400);
  }
  const { alg, kid } = decoded.header;
  if (alg !== 'RS256') {
    throw new LaunchError('alg_not_allowed', `The id_token is signed with ${alg || 'no algorithm'}; only RS256 is accepted.`, 'LTI 1.3 requires RS256 signatures with the platform key published in its keyset.');
  }
  if (!kid) {
    throw new LaunchError('missing_kid', 'The id_token header has no kid (key id).', "The platform must name its signing key in the JWT header so Keepup can find it in the platform's keyset.");
  }
  const payload = decoded.payload as Record<string, unknown>;
  const platform = await findPlatform(payload);
  if (String(platform._id) !== login.platformId) {
    throw new LaunchError('issuer_mismatch', 'The id_token comes from a different registration than the login.', `The login was started for ${login.iss} (client ${login.clientId}) but the token names ${platform.issuer} (client ${platform.clientId}).`);
  }
  const key = await deps.keysets.keyFor(platform.jwksUrl, kid);
  try {
    jwt.verify(token, key, { algorithms: ['RS256'], issuer: platform.issuer, audience: platform.clientId, clockTolerance: CLOCK_TOLERANCE_SECONDS });
  } catch (error) {
    throw verifyError(error as Error, platform);
  }
  const now = Math.floor(Date.now() / 1000);
  if (typeof payload.exp !== 'number') throw missingClaim('exp');
  if (typeof payload.iat !== 'number') throw missingClaim('iat');
  if (payload.iat > now + CLOCK_TOLERANCE_SECONDS) {
    throw new LaunchError('issued_in_future', 'The id_token was issued in the future (iat).', "The platform's clock is ahead of Keepup's by more than 30 seconds; check NTP on both servers.");
  }
  checkAzp(payload, platform);

  const claims = readLtiClaims(payload);

  if (typeof payload.nonce !== 'string' || !payload.nonce) throw missingClaim('nonce');
  const nonce = await deps.logins.consumeNonce(payload.nonce);
  if (nonce.status === 'replayed') {
    throw new LaunchError('nonce_replayed', 'This launch was already used (replayed nonce).', 'Each id_token can be used once. If users see this, the browser resubmitted the launch; ask them to open Keepup again from the course.');
  }
  if (nonce.status === 'unknown') {
    throw new LaunchError('nonce_unknown', 'The nonce in the id_token was not issued by Keepup.', 'The platform must copy the nonce Keepup sent in the authentication request into the id_token.');
  }
  if (nonce.state !== state) {
    throw new LaunchError('nonce_mismatch', 'The nonce in the id_token belongs to a different login.', 'The platform must return the state and nonce of the same authentication request.');
  }

  const deployment = await Deployment.findOne({ platformId: platform._id, deploymentId: claims.deploymentId, status: 'active' }).lean();
  if (!deployment) {
    throw new LaunchError('unknown_deployment', `Deployment "${claims.deploymentId}" is not registered for this platform.`, `Add deployment id "${claims.deploymentId}" to the registration of ${platform.issuer} (client ${platform.clientId}) in the Keepup admin area, if this deployment is expected.`, 403);
  }
  const boundBinding: BrowserBinding = binding.kind === 'cookie' ? binding : { ...binding, nonce: payload.nonce };
  return { ...claims, platform, binding: boundBinding, claims: payload };
}

function bindBrowser(login: LoginState, state: string, browserId: string | undefined): BrowserBinding {
  if (browserId) {
    if (hashBrowserId(browserId) === login.browserHash) return { kind: 'cookie' };
    throw new LaunchError('state_other_browser', 'The launch came from a different browser than the one that started the login.', 'The login and the launch must happen in the same browser. If this repeats, check for proxies or extensions that alter cookies.', 403);
  }
  if (login.storageTarget) return { kind: 'platform-storage', storageTarget: login.storageTarget, platformOrigin: login.platformOrigin, state, nonce: login.nonce };
  throw new LaunchError('state_cookie_missing', "The browser did not send Keepup's login cookie, so the launch cannot be tied to the browser that started it.", 'The browser blocks third-party cookies and the platform did not offer LTI platform storage (lti_storage_target). Enable platform storage on the platform, or open Keepup in a new window.', 403);
}

async function findPlatform(payload: Record<string, unknown>): Promise<PlatformDoc> {
  const iss = typeof payload.iss === 'string' ? payload.iss : '';
  if (!iss) throw missingClaim('iss');
  const audiences = Array.isArray(payload.aud) ? payload.aud.filter((a): a is string => typeof a === 'string') : typeof payload.aud === 'string' ? [payload.aud] : [];
  if (!audiences.length) throw missingClaim('aud');
  const azp = typeof payload.azp === 'string' ? payload.azp : undefined;
  const candidates = azp ? [azp] : audiences;
  const platform = await Platform.findOne({ issuer: iss, clientId: { $in: candidates } }).lean<PlatformDoc>();
  if (!platform) {
    throw new LaunchError('unknown_platform', 'This platform is not registered with Keepup.', `No registration for issuer ${iss} and client id ${candidates.join(', ')}. Register it in the Keepup admin area.`, 403);
  }
  if (platform.status !== 'active') {
    throw new LaunchError('platform_disabled', 'This platform registration is disabled.', `An admin disabled ${platform.name} (${iss}, client ${platform.clientId}) in Keepup; enable it in the admin area.`, 403);
  }
  return platform;
}

function checkAzp(payload: Record<string, unknown>, platform: PlatformDoc): void {
  const multiple = Array.isArray(payload.aud) && payload.aud.length > 1;
  if (payload.azp !== undefined && payload.azp !== platform.clientId) {
    throw new LaunchError('azp_mismatch', 'The id_token azp (authorized party) is not Keepup\'s client id.', `azp must be ${platform.clientId}.`);
  }
  if (multiple && payload.azp === undefined) {
    throw new LaunchError('azp_mismatch', 'The id_token has several audiences but no azp claim.', `With several audiences the platform must name Keepup's client id (${platform.clientId}) in azp.`);
  }
}

function verifyError(error: Error, platform: PlatformDoc): LaunchError {
  if (error.name === 'TokenExpiredError') {
    return new LaunchError('expired', 'The id_token has expired.', "Launches must arrive before the token's exp; check the clocks of the platform and Keepup (NTP) and that users are not resubmitting old pages.");
  }
  if (error.name === 'NotBeforeError') return new LaunchError('issued_in_future', 'The id_token is not valid yet (nbf).', "The platform's clock is ahead of Keepup's; check NTP on both servers.");
  if (/audience/.test(error.message)) return new LaunchError('audience_mismatch', "The id_token audience is not Keepup's client id.", `aud must contain ${platform.clientId}.`);
  if (/issuer/.test(error.message)) return new LaunchError('issuer_mismatch', 'The id_token issuer does not match the registration.', `iss must be ${platform.issuer}.`);
  return new LaunchError('bad_signature', 'The id_token signature does not verify against the platform keyset.', `Check that the keyset URL registered for this platform (${platform.jwksUrl}) is the one the platform signs with.`);
}

function missingClaim(name: string): LaunchError {
  return new LaunchError('missing_claim', `The id_token has no ${name} claim.`, `The platform must send the ${name} claim (LTI 1.3 Core); check the platform's LTI configuration.`, 400);
}

type LtiClaims = Omit<ValidatedLaunch, 'platform' | 'binding' | 'claims'>;

function readLtiClaims(payload: Record<string, unknown>): LtiClaims {
  if (!Object.keys(payload).some((k) => k.startsWith(LTI_CLAIM_PREFIX))) {
    throw new LaunchError('no_lti_claims', 'The id_token carries no LTI claims.', 'The platform sent an OpenID token without the LTI 1.3 claims (version, message_type, deployment_id, roles).', 400);
  }
  const version = payload[CLAIM.version];
  if (version === undefined) throw missingClaim('version');
  if (version !== '1.3.0') throw new LaunchError('wrong_version', `The LTI version is "${String(version)}"; Keepup accepts 1.3.0.`, 'Configure the platform for LTI 1.3.', 400);
  const messageType = payload[CLAIM.messageType];
  if (messageType === undefined) throw missingClaim('message_type');
  if (!MESSAGE_TYPES.includes(messageType as MessageType)) {
    throw new LaunchError('unsupported_message_type', `Keepup does not handle ${String(messageType)} messages.`, 'Keepup accepts LtiResourceLinkRequest and LtiDeepLinkingRequest.', 400);
  }
  const roles = payload[CLAIM.roles];
  if (roles === undefined) throw missingClaim('roles');
  if (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string')) throw invalidClaim('roles', 'an array of strings');
  const deploymentId = payload[CLAIM.deploymentId];
  if (deploymentId === undefined || deploymentId === '') throw missingClaim('deployment_id');
  if (typeof deploymentId !== 'string' || deploymentId.length > 255) throw invalidClaim('deployment_id', 'a string of at most 255 characters');
  if (typeof payload.sub !== 'string' || !payload.sub) throw missingClaim('sub');
  if (payload.sub.length > 255) throw invalidClaim('sub', 'at most 255 characters');

  let resourceLinkId: string | undefined;
  let deepLinking: DeepLinkingSettings | undefined;
  if (messageType === 'LtiResourceLinkRequest') {
    const link = optionalClaims.resourceLink.safeParse(payload[CLAIM.resourceLink]);
    if (!link.success) throw missingClaim('resource_link.id');
    resourceLinkId = link.data.id;
    if (typeof payload[CLAIM.targetLinkUri] !== 'string') throw missingClaim('target_link_uri');
  } else {
    const settings = optionalClaims.deepLinkingSettings.safeParse(payload[CLAIM.deepLinkingSettings]);
    if (!settings.success) throw missingClaim('deep_linking_settings');
    deepLinking = settings.data;
  }
  const context = parseOptional(optionalClaims.context, payload[CLAIM.context], 'context');
  const customRaw = parseOptional(optionalClaims.custom, payload[CLAIM.custom], 'custom') ?? {};
  const custom = Object.fromEntries(Object.entries(customRaw).filter(([, v]) => typeof v === 'string' || typeof v === 'number').map(([k, v]) => [k, String(v)]));
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return {
    deploymentId,
    messageType: messageType as MessageType,
    sub: payload.sub,
    roles: roles as string[],
    role: keepupRole(roles as string[]),
    context,
    resourceLinkId,
    targetLinkUri: str(payload[CLAIM.targetLinkUri]),
    custom,
    nrps: optionalClaims.nrps.safeParse(payload[CLAIM.nrps]).data,
    ags: optionalClaims.ags.safeParse(payload[CLAIM.ags]).data,
    deepLinking,
    person: {
      name: str(payload.name),
      givenName: str(payload.given_name),
      familyName: str(payload.family_name),
      email: str(payload.email),
      preferredUsername: str(payload.preferred_username),
    },
  };
}

function parseOptional<T>(schema: z.ZodType<T>, value: unknown, name: string): T | undefined {
  if (value === undefined) return undefined;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidClaim(name, 'the shape LTI 1.3 Core defines');
  return parsed.data;
}

function invalidClaim(name: string, expected: string): LaunchError {
  return new LaunchError('invalid_claim', `The ${name} claim is malformed.`, `The ${name} claim must be ${expected}.`, 400);
}
