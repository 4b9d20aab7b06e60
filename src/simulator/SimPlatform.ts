import crypto from 'node:crypto';
import { flavourClaims, personClaims, rolesFor, substituteCustom, TOOL_PLATFORM } from './claims';
import { Flavour, seedCourse, SimCourse, SimUser } from './directory';
import { SimKeys } from './SimKeys';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
export const NRPS_SCOPE = 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';
export const AGS_SCOPES = [
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  'https://purl.imsglobal.org/spec/lti-ags/scope/score',
];

/** A tool installed on the simulated platform (a Canvas developer key, an Open edX LTI component, a Moodle tool). */
export interface SimTool {
  clientId: string;
  deploymentId: string;
  name: string;
  loginUrl: string;
  launchUrl: string;
  redirectUris: string[];
  jwksUrl: string;
  customFields: Record<string, string>;
  scopes: string[];
  /** Whether the platform shares name and email with this tool (Canvas privacy level, Open edX PII sharing). */
  sharePii: boolean;
}

/** What the platform encodes in `lti_message_hint`: which launch the login belongs to. */
export interface LaunchHint {
  user: string;
  clientId: string;
  /** Resource link id; absent for deep linking. */
  link?: string;
  deepLink?: boolean;
}

export interface IssuedToken {
  clientId: string;
  scopes: string[];
  expiresAt: number;
  /** The user a token acts for (user-level OAuth2 tokens; absent for LTI service tokens). */
  userId?: string;
}

/**
 * One simulated LMS: issuer, rotating keyset, installed tools, one seeded course, issued access tokens and
 * counters tests read (`stats`). Endpoints live under `<base>/<flavour>`.
 */
export class SimPlatform {
  readonly keys: SimKeys;
  readonly tools = new Map<string, SimTool>();
  readonly course: SimCourse;
  readonly accessTokens = new Map<string, IssuedToken>();
  readonly registrationTokens = new Map<string, number>();
  readonly usedAssertionIds = new Set<string>();
  readonly lineItems: Array<{ id: string; label: string; scoreMaximum: number; resourceId?: string; tag?: string; scores: unknown[] }> = [];
  readonly deepLinkResults: Array<{ clientId: string; items: unknown[]; data?: unknown }> = [];
  readonly stats = { jwksFetches: 0, tokensIssued: 0, nrpsPages: 0, launches: 0 };
  private readonly hintSecret = crypto.randomBytes(32);
  private toolCounter = 0;

  constructor(readonly flavour: Flavour, readonly base: string) {
    this.keys = new SimKeys(flavour);
    this.course = seedCourse(flavour);
  }

  /** The issuer: `<simulator>/<flavour>`. */
  get issuer(): string {
    return `${this.base}/${this.flavour}`;
  }

  get urls() {
    const root = this.issuer;
    return {
      auth: `${root}/auth`,
      token: `${root}/token`,
      jwks: `${root}/jwks`,
      openidConfiguration: `${root}/.well-known/openid-configuration`,
      registration: `${root}/registrations`,
      memberships: `${root}/nrps/${encodeURIComponent(this.course.contextId)}/memberships`,
      lineItems: `${root}/ags/${encodeURIComponent(this.course.contextId)}/lineitems`,
      deepLinkReturn: `${root}/deep_link_return`,
      storage: `${root}/storage`,
    };
  }

  /** Installs a tool; client and deployment ids follow the platform's own formats unless given. */
  addTool(input: Omit<SimTool, 'clientId' | 'deploymentId' | 'name' | 'customFields' | 'scopes' | 'sharePii' | 'redirectUris'> & Partial<SimTool>): SimTool {
    const n = ++this.toolCounter;
    const clientId = input.clientId ?? (this.flavour === 'canvas' ? `1000000000${String(n).padStart(4, '0')}` : this.flavour === 'openedx' ? crypto.randomUUID() : crypto.randomBytes(8).toString('base64url'));
    const deploymentId = input.deploymentId ?? (this.flavour === 'canvas' ? `${n}:${crypto.createHash('sha1').update(clientId).digest('hex')}` : this.flavour === 'openedx' ? '1' : String(n));
    const tool: SimTool = {
      name: 'Keepup',
      customFields: {},
      scopes: [NRPS_SCOPE, ...AGS_SCOPES],
      sharePii: true,
      redirectUris: [input.launchUrl],
      ...input,
      clientId,
      deploymentId,
    };
    this.tools.set(clientId, tool);
    return tool;
  }

  /** A user of the seeded course by key. */
  user(key: string): SimUser | undefined {
    return this.course.users.find((u) => u.key === key);
  }

  /** Signs a launch hint so the authorization endpoint knows which launch a login belongs to without cookies. */
  encodeHint(hint: LaunchHint): string {
    const body = Buffer.from(JSON.stringify(hint)).toString('base64url');
    const mac = crypto.createHmac('sha256', this.hintSecret).update(body).digest('base64url');
    return `${body}.${mac}`;
  }

  /** The hint back, or undefined when it was not signed by this platform. */
  decodeHint(value: string): LaunchHint | undefined {
    const [body, mac] = value.split('.');
    if (!body || !mac) return undefined;
    const expected = crypto.createHmac('sha256', this.hintSecret).update(body).digest('base64url');
    if (mac.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(mac), Buffer.from(expected))) return undefined;
    return JSON.parse(Buffer.from(body, 'base64url').toString()) as LaunchHint;
  }

  /** The OIDC login initiation URL for a launch (what the course page frames). */
  loginInitiationUrl(tool: SimTool, hint: LaunchHint, storageTarget?: string): string {
    const url = new URL(tool.loginUrl);
    url.searchParams.set('iss', this.issuer);
    url.searchParams.set('login_hint', hint.user);
    url.searchParams.set('target_link_uri', tool.launchUrl);
    url.searchParams.set('client_id', tool.clientId);
    url.searchParams.set('lti_deployment_id', tool.deploymentId);
    url.searchParams.set('lti_message_hint', this.encodeHint(hint));
    if (storageTarget) url.searchParams.set('lti_storage_target', storageTarget);
    return url.toString();
  }

  /** The id_token claims of a launch, shaped like this platform's (LTI 1.3 Core, NRPS and AGS claims, flavour extras). */
  launchClaims(tool: SimTool, user: SimUser, hint: LaunchHint, nonce: string): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    const course = this.course;
    const link = course.resourceLinks.find((l) => l.id === hint.link) ?? course.resourceLinks[0];
    const claims: Record<string, unknown> = {
      iss: this.issuer,
      aud: tool.clientId,
      azp: tool.clientId,
      sub: user.sub,
      iat: now,
      exp: now + 300,
      nonce,
      [`${LTI}version`]: '1.3.0',
      [`${LTI}deployment_id`]: tool.deploymentId,
      [`${LTI}roles`]: rolesFor(this.flavour, user.role),
      [`${LTI}context`]: { id: course.contextId, label: course.label, title: course.title, type: ['http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering'] },
      [`${LTI}tool_platform`]: { guid: `${this.flavour}-sim`, ...TOOL_PLATFORM[this.flavour] },
      [`${LTI}launch_presentation`]: { document_target: 'iframe', return_url: `${this.issuer}/course` },
      [`${LTI}custom`]: substituteCustom(this.flavour, { ...tool.customFields, ...(link.custom ?? {}) }, user, course),
      'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice': { context_memberships_url: this.urls.memberships, service_versions: ['2.0'] },
      'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint': { scope: AGS_SCOPES, lineitems: this.urls.lineItems },
      ...(tool.sharePii ? personClaims(this.flavour, user) : {}),
      ...flavourClaims(this.flavour, user, course),
    };
    if (hint.deepLink) {
      claims[`${LTI}message_type`] = 'LtiDeepLinkingRequest';
      claims['https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings'] = {
        deep_link_return_url: this.urls.deepLinkReturn,
        accept_types: ['ltiResourceLink'],
        accept_presentation_document_targets: ['iframe', 'window'],
        accept_multiple: true,
        data: `dl-${crypto.randomBytes(6).toString('hex')}`,
      };
    } else {
      claims[`${LTI}message_type`] = 'LtiResourceLinkRequest';
      claims[`${LTI}target_link_uri`] = tool.launchUrl;
      claims[`${LTI}resource_link`] = { id: link.id, title: link.title };
    }
    return claims;
  }

  /** Issues an opaque access token for a client and scopes (1 hour unless `ttlSeconds`), optionally acting for a user. */
  issueAccessToken(clientId: string, scopes: string[], options: { ttlSeconds?: number; userId?: string } = {}): { token: string; expiresIn: number } {
    const token = crypto.randomBytes(24).toString('base64url');
    const ttl = options.ttlSeconds ?? 3600;
    this.accessTokens.set(token, { clientId, scopes, expiresAt: Date.now() + ttl * 1000, ...(options.userId ? { userId: options.userId } : {}) });
    this.stats.tokensIssued++;
    return { token, expiresIn: ttl };
  }

  /** The access token from an Authorization header if it is valid and carries the scope. */
  checkAccess(header: string | undefined, scope: string): IssuedToken | undefined {
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    const issued = token ? this.accessTokens.get(token) : undefined;
    return issued && issued.expiresAt > Date.now() && issued.scopes.includes(scope) ? issued : undefined;
  }
}
