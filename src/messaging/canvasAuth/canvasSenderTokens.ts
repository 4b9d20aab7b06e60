import type { Types } from 'mongoose';
import { Course } from '../../storage/models/Course';
import { CanvasSenderToken, type CanvasSenderTokenDoc } from '../../storage/models/CanvasSenderToken';
import { secrets } from '../../storage/secrets';
import { CanvasInboxClient } from '../channels/CanvasInboxClient';
import { DeliveryError } from '../channels/DeliveryError';
import { canvasApiKeyFor } from './canvasApiKeys';
import { CanvasTokenError, refreshCanvasToken, type CanvasGrant } from './canvasTokenEndpoint';

/** Refresh this long before the access token's stated expiry, so a send never starts with a dying token. */
const EXPIRY_MARGIN_MS = 60_000;

/** Stores what an instructor granted for a course (replacing their earlier grant), sealed. */
export async function storeSenderToken(input: { courseId: Types.ObjectId; userSub: string; apiBase: string; canvasCourseId: string; grant: CanvasGrant }): Promise<void> {
  const { grant } = input;
  await CanvasSenderToken.updateOne(
    { courseId: input.courseId, userSub: input.userSub },
    {
      $set: {
        apiBase: input.apiBase.replace(/\/+$/, ''),
        canvasCourseId: input.canvasCourseId,
        sealedToken: secrets().seal(grant.accessToken),
        sealedRefreshToken: grant.refreshToken ? secrets().seal(grant.refreshToken) : null,
        expiresAt: grant.expiresAt ?? null,
        canvasUserId: grant.canvasUserId ?? null,
      },
    },
    { upsert: true },
  );
}

/**
 * Gets a new access token for a stored grant with its refresh token and stores it; undefined when the grant
 * has no refresh token or no API key is configured. A refused refresh means the instructor must reconnect.
 */
async function refreshStored(stored: CanvasSenderTokenDoc): Promise<string | undefined> {
  if (!stored.sealedRefreshToken) return undefined;
  const course = await Course.findById(stored.courseId).select({ tenant: 1 }).lean();
  const key = course ? await canvasApiKeyFor(course.tenant) : undefined;
  if (!key) return undefined;
  let grant: CanvasGrant;
  try {
    grant = await refreshCanvasToken(key, secrets().open(stored.sealedRefreshToken));
  } catch (error) {
    if (!(error instanceof CanvasTokenError)) throw error;
    throw new DeliveryError(error.permanent ? `Canvas refused to renew the instructor's token (${error.message}): connect Canvas messaging again` : error.message, error.permanent, error.permanent ? 'rejected' : 'unavailable');
  }
  await CanvasSenderToken.updateOne({ _id: stored._id }, { $set: { sealedToken: secrets().seal(grant.accessToken), expiresAt: grant.expiresAt ?? null } });
  return grant.accessToken;
}

/**
 * The Canvas Inbox client for a course: the sending instructor's token when they granted one, else the
 * course's most recently granted one; refreshed first when it is about to expire, and once more if Canvas
 * answers 401. Undefined when nobody connected Canvas messaging for the course.
 */
export async function canvasSenderFor(courseId: Types.ObjectId, senderSub?: string): Promise<{ client: CanvasInboxClient; contextCode: string } | undefined> {
  const own = senderSub ? await CanvasSenderToken.findOne({ courseId, userSub: senderSub }).lean<CanvasSenderTokenDoc>() : null;
  const stored = own ?? (await CanvasSenderToken.findOne({ courseId }).sort({ updatedAt: -1 }).lean<CanvasSenderTokenDoc>());
  if (!stored) return undefined;
  const expiring = stored.expiresAt && stored.expiresAt.getTime() < Date.now() + EXPIRY_MARGIN_MS;
  const token = (expiring ? await refreshStored(stored) : undefined) ?? secrets().open(stored.sealedToken);
  const client = new CanvasInboxClient({ apiBase: stored.apiBase, token, onUnauthorized: () => refreshStored(stored) });
  return { client, contextCode: `course_${stored.canvasCourseId}` };
}
