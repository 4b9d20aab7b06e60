import crypto from 'node:crypto';
import { Types } from 'mongoose';
import { AuthenticationError } from '../errors';
import { secrets } from '../storage/secrets';
import { CourseResolver } from './courseResolver';
import { DataConnection, type DataConnectionDoc } from '../storage/models/DataConnection';

export type InboundKind = 'xapi' | 'caliper' | 'canvas-live';
export type OutboundKind = 'canvas-rest' | 'openedx-rest';

function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

export interface IssuedCredentials {
  connectionId: string;
  /** Basic-auth username. */
  key: string;
  /** Basic-auth password; shown once, stored only as a hash. */
  secret: string;
  /** The same credentials as one Bearer token: `<key>.<secret>`. */
  bearer: string;
}

/**
 * Creates an inbound connection (xAPI LRS, Caliper, Canvas Live Events) and issues its credentials.
 * The secret is returned once; only its sha256 is stored.
 */
export async function createInboundConnection(props: {
  kind: InboundKind;
  platform: DataConnectionDoc['platform'];
  name?: string;
  tenant?: string;
  courseId?: string | null;
  jwksUrl?: string;
  jwks?: string;
  /** Keep the raw events received in the raw-event archive (rawArchive.ts). Default false. */
  archiveRaw?: boolean;
}): Promise<IssuedCredentials> {
  const secret = crypto.randomBytes(24).toString('base64url');
  const connection = await DataConnection.create({
    kind: props.kind,
    platform: props.platform,
    name: props.name ?? props.kind,
    tenant: props.tenant ?? 'local',
    courseId: props.courseId ? new Types.ObjectId(props.courseId) : null,
    secretHash: sha256(secret),
    settings: { jwksUrl: props.jwksUrl, jwks: props.jwks, archiveRaw: !!props.archiveRaw },
  });
  return { connectionId: String(connection._id), key: connection.key, secret, bearer: `${connection.key}.${secret}` };
}

/** Creates an outbound (pull) connection; credentials are sealed with KEEPUP_ENCRYPTION_KEY. */
export async function createOutboundConnection(props: {
  kind: OutboundKind;
  platform: DataConnectionDoc['platform'];
  baseUrl: string;
  externalCourseId: string;
  credentials: Record<string, string | number | undefined>;
  name?: string;
  tenant?: string;
  /** Our course `_id`; by default the course with this external id (created when missing). */
  courseId?: string;
}): Promise<string> {
  const tenant = props.tenant ?? 'local';
  const courseId = props.courseId ?? (await new CourseResolver({ platform: props.platform, tenant }).resolve(props.externalCourseId));
  const connection = await DataConnection.create({
    kind: props.kind,
    platform: props.platform,
    name: props.name ?? props.kind,
    tenant,
    courseId: new Types.ObjectId(courseId),
    credentials: secrets().seal(JSON.stringify(props.credentials)),
    settings: { baseUrl: props.baseUrl.replace(/\/+$/, ''), externalCourseId: props.externalCourseId },
  });
  return String(connection._id);
}

/** The decrypted credentials of an outbound connection. */
export function openCredentials<T>(connection: { credentials?: string | null }): T {
  if (!connection.credentials) throw new Error('This connection has no stored credentials');
  return JSON.parse(secrets().open(connection.credentials)) as T;
}

/** Replaces an outbound connection's credentials (after a token refresh). */
export async function storeCredentials(connectionId: Types.ObjectId | string, credentials: object): Promise<void> {
  await DataConnection.updateOne({ _id: connectionId }, { $set: { credentials: secrets().seal(JSON.stringify(credentials)) } });
}

/** Splits a Basic or Bearer Authorization header into key and secret. */
export function parseCredentials(header: string | undefined): { key: string; secret: string } | undefined {
  if (!header) return undefined;
  const [scheme, value = ''] = header.split(/\s+/, 2);
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon > 0 ? { key: decoded.slice(0, colon), secret: decoded.slice(colon + 1) } : undefined;
  }
  if (/^bearer$/i.test(scheme)) {
    const dot = value.indexOf('.');
    return dot > 0 ? { key: value.slice(0, dot), secret: value.slice(dot + 1) } : undefined;
  }
  return undefined;
}

/**
 * The active inbound connection of one of `kinds` these credentials belong to; throws a 401
 * KeepupError (same message whether the key or the secret is wrong).
 */
export async function authenticateInbound(header: string | undefined, kinds: InboundKind[]): Promise<DataConnectionDoc> {
  const credentials = parseCredentials(header);
  if (!credentials) throw AuthenticationError('Send the data connection credentials as HTTP Basic (key:secret) or Bearer (key.secret).');
  const connection = await DataConnection.findOne({ key: credentials.key, status: 'active' }).lean<DataConnectionDoc>();
  const expected = Buffer.from(connection?.secretHash ?? sha256('no connection'), 'hex');
  const given = Buffer.from(sha256(credentials.secret), 'hex');
  if (!connection || !crypto.timingSafeEqual(expected, given) || !kinds.includes(connection.kind as InboundKind)) {
    throw AuthenticationError('These data connection credentials are not valid.');
  }
  await recordInboundUse(connection);
  return connection;
}

/** Least time between two writes of one connection's `lastUsedAt`. */
export const LAST_USED_INTERVAL_MS = 60_000;
/** When this process last wrote each connection's `lastUsedAt` (epoch ms), by connection id. */
const lastUseWritten = new Map<string, number>();

/**
 * Records that an inbound connection was used (`lastUsedAt`), at most once per LAST_USED_INTERVAL_MS:
 * skipped when this process wrote it less than that ago, or the loaded document shows another process
 * did, so an LRS forwarder pushing every second costs one update a minute. Returns whether it wrote.
 */
export async function recordInboundUse(connection: Pick<DataConnectionDoc, '_id' | 'lastUsedAt'>, now = Date.now()): Promise<boolean> {
  const id = String(connection._id);
  const last = Math.max(lastUseWritten.get(id) ?? 0, connection.lastUsedAt ? new Date(connection.lastUsedAt).getTime() : 0);
  if (now - last < LAST_USED_INTERVAL_MS) return false;
  lastUseWritten.set(id, now);
  await DataConnection.updateOne({ _id: connection._id }, { $set: { lastUsedAt: new Date(now) } });
  return true;
}
