import type { Types } from 'mongoose';
import { Course, CourseDoc } from '../src/storage/models/Course';
import { Learner, LearnerDoc } from '../src/storage/models/Learner';
import { platformTenant, type PlatformDoc } from '../src/storage/models/Platform';
import type { ValidatedLaunch } from './launchValidator';

/** Ids a learner is known by in the activity sources, derived from launch or roster claims. */
export interface LearnerIds {
  ltiSub: string;
  canvasUserId?: string;
  username?: string;
  userId?: string;
  anonymousId?: string;
}

/** Personal data, each field only when the platform shared it. */
export interface SharedPerson {
  name?: string;
  givenName?: string;
  familyName?: string;
  email?: string;
}

/** A custom parameter value, or undefined when absent or left unsubstituted by the platform (`$Canvas.user.id`). */
export function customValue(custom: Record<string, string>, name: string): string | undefined {
  const value = custom[name]?.trim();
  return value && !value.startsWith('$') ? value : undefined;
}

/** An IANA time zone from the `timezone` custom field (Canvas `$Person.address.timezone`), or undefined. */
export function timeZoneFrom(custom: Record<string, string>): string | undefined {
  const zone = customValue(custom, 'timezone');
  if (!zone) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

/**
 * Maps an LTI user to the ids the activity sources use: Canvas user id from the `canvas_user_id` custom
 * field; Open edX username (`preferred_username`, sent with PII sharing) and user id (`user_id` custom field
 * when configured) — Open edX's LTI `sub` is its LTI anonymous user id, which is not the external id
 * event-routing-backends puts in xAPI actors, so the two are joined through the username or a roster;
 * Moodle's `sub` is its user id.
 */
export function learnerIds(platformKind: string, sub: string, custom: Record<string, string>, preferredUsername?: string): LearnerIds {
  const ids: LearnerIds = { ltiSub: sub };
  const canvasUserId = customValue(custom, 'canvas_user_id');
  if (canvasUserId) ids.canvasUserId = canvasUserId;
  if (preferredUsername) ids.username = preferredUsername;
  const userId = customValue(custom, 'user_id');
  if (userId) ids.userId = userId;
  if (platformKind === 'moodle' && !ids.userId) ids.userId = sub;
  return ids;
}

/**
 * The course key activity data uses: Canvas's numeric course id (custom `canvas_course_id`) when sent, else the
 * context id (the Open edX course key, the Moodle course id); launches without a context use one course per
 * deployment (`deployment:<id>`).
 */
export function courseExternalId(launch: Pick<ValidatedLaunch, 'custom' | 'context' | 'deploymentId'>): string {
  return customValue(launch.custom, 'canvas_course_id') ?? launch.context?.id ?? `deployment:${launch.deploymentId}`;
}

/** Creates or updates the course a launch belongs to (idempotent; safe under concurrent launches). */
export async function upsertCourse(launch: ValidatedLaunch): Promise<CourseDoc> {
  const platform = launch.platform;
  const set: Record<string, unknown> = { platformId: platform._id, 'lti.deploymentId': launch.deploymentId };
  if (launch.context?.title) set.title = launch.context.title;
  if (launch.nrps) set['lti.membershipsUrl'] = launch.nrps.context_memberships_url;
  if (launch.ags?.lineitems) set['lti.lineItemsUrl'] = launch.ags.lineitems;
  const update: Record<string, unknown> = {
    $set: set,
    $setOnInsert: { platform: courseKind(platform), ...(launch.context?.title ? {} : { title: '' }) },
    ...(launch.context ? { $addToSet: { ltiContextIds: launch.context.id } } : {}),
  };
  const filter = { tenant: platformTenant(platform), externalId: courseExternalId(launch) };
  await adoptImportedCourse(filter.tenant, filter.externalId);
  return retryOnDuplicate(() => Course.findOneAndUpdate(filter, update, { upsert: true, returnDocument: 'after' }).lean<CourseDoc>().orFail());
}

/**
 * Finds the learner by LTI sub, or by any id another source already recorded (so activity imported before
 * the first launch joins up), and records ids, roles and whatever personal data the platform shared.
 */
export async function upsertLearner(courseId: Types.ObjectId, ids: LearnerIds, person: SharedPerson, extra: { roles?: string[]; timeZone?: string; status?: 'active' | 'inactive' | 'removed' } = {}): Promise<LearnerDoc> {
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(ids)) if (value) set[`ids.${key}`] = value;
  for (const [key, value] of Object.entries(person)) if (value) set[key] = value;
  if (extra.roles) set.roles = extra.roles;
  if (extra.timeZone) set.timeZone = extra.timeZone;
  set.status = extra.status ?? 'active';
  const existing = await Learner.findOne({ courseId, 'ids.ltiSub': ids.ltiSub }).select({ _id: 1 }).lean();
  let filter: Record<string, unknown> = { courseId, 'ids.ltiSub': ids.ltiSub };
  if (!existing) {
    const others = (['canvasUserId', 'username', 'userId', 'anonymousId'] as const).filter((k) => ids[k]).map((k) => ({ [`ids.${k}`]: ids[k] }));
    const match = others.length ? await Learner.findOne({ courseId, 'ids.ltiSub': { $exists: false }, $or: others }).select({ _id: 1 }).lean() : null;
    if (match) filter = { _id: match._id };
  }
  return retryOnDuplicate(() =>
    Learner.findOneAndUpdate(filter, { $set: set, $setOnInsert: { enrolledAt: new Date() } }, { upsert: true, returnDocument: 'after' }).lean<LearnerDoc>().orFail(),
  );
}

/**
 * When activity for this course was imported from files before its first launch, the import made a
 * `local` course with the same external id: the first launch adopts it (under the platform's tenant) so
 * the launch and the imported activity meet in one course. The unique (tenant, externalId) index makes
 * a concurrent adoption and upsert safe.
 */
async function adoptImportedCourse(tenant: string, externalId: string): Promise<void> {
  if (tenant === 'local' || (await Course.exists({ tenant, externalId }))) return;
  await Course.updateOne({ tenant: 'local', externalId, platformId: null }, { $set: { tenant } }).catch((error: { code?: number }) => {
    if (error.code !== 11000) throw error;
  });
}

function courseKind(platform: PlatformDoc): 'canvas' | 'openedx' | 'moodle' | 'other' {
  return platform.kind as 'canvas' | 'openedx' | 'moodle' | 'other';
}

async function retryOnDuplicate<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if ((error as { code?: number }).code === 11000) return run();
    throw error;
  }
}
