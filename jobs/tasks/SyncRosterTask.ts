import type { Types } from 'mongoose';
import type { Redis } from 'ioredis';
import { KeyStore } from '../../lti/keys/KeyStore';
import { learnerIds, upsertLearner } from '../../lti/identityMapper';
import { keepupRole } from '../../lti/roles';
import { fetchMembers, NrpsMember } from '../../lti/services/nrpsClient';
import { PlatformServiceError, ServiceTokenClient } from '../../lti/services/ServiceTokenClient';
import { KeepupError, NotFoundError, ValidationError } from '../../src/errors';
import { resolvePendingActivity } from '../../src/ingest/pendingResolver';
import { log } from '../../src/log';
import { Course } from '../../src/storage/models/Course';
import { Learner } from '../../src/storage/models/Learner';
import { Platform, PlatformDoc } from '../../src/storage/models/Platform';
import { BaseTask } from '../BaseTask';
import { jobsSettings, queueConnection } from '../connection';

export interface SyncRosterProps {
  /** Our Course _id. */
  courseId: string;
}

export interface SyncRosterResult {
  pages: number;
  members: number;
  learners: number;
  rejected: number;
  removed: number;
  /** Activity events that had arrived before their learner and were moved onto them now. */
  resolvedPending: number;
}

export interface SyncRosterOptions {
  /** Redis for the shared service-token cache; default the jobs connection. */
  redis?: Redis;
  /** Redis key prefix; default the jobs prefix. */
  prefix?: string;
}

/**
 * Syncs a course's learners from the platform with NRPS 2.0: every page (following `rel="next"`), a cached
 * client-credentials token, learners upserted with name and email only when the platform shared them, members
 * marked inactive/removed as the platform says, and learners missing from the roster marked removed. Activity
 * that arrived before its learner was known is then resolved onto the new learners.
 */
export class SyncRosterTask extends BaseTask<SyncRosterProps, SyncRosterResult> {
  readonly jobName = 'lti.syncRoster';
  readonly queue = 'maintenance' as const;

  constructor(private readonly deps: SyncRosterOptions = {}) {
    super();
  }

  async perform({ courseId }: SyncRosterProps): Promise<SyncRosterResult> {
    const course = await Course.findById(courseId).lean();
    if (!course) throw NotFoundError(`Course ${courseId} does not exist`);
    const membershipsUrl = course.lti?.membershipsUrl;
    if (!membershipsUrl || !course.platformId) throw ValidationError(`Course ${courseId} has no NRPS endpoint yet: it is recorded at the first launch from a platform that offers NRPS`);
    const platform = await Platform.findById(course.platformId).lean<PlatformDoc>();
    if (!platform || platform.status !== 'active') throw ValidationError(`The platform of course ${courseId} is not registered or is disabled`);
    const tokens = new ServiceTokenClient(this.deps.redis ?? queueConnection(), new KeyStore(), this.deps.prefix ?? jobsSettings().prefix);
    const result: SyncRosterResult = { pages: 0, members: 0, learners: 0, rejected: 0, removed: 0, resolvedPending: 0 };
    const seen: string[] = [];
    try {
      for await (const page of fetchMembers(platform, membershipsUrl, tokens)) {
        result.pages++;
        result.rejected += page.rejected;
        for (const member of page.members) {
          result.members++;
          if (keepupRole(member.roles) !== 'learner') continue;
          await this.saveLearner(course._id, platform, member);
          seen.push(member.user_id);
          result.learners++;
        }
      }
    } catch (error) {
      if (error instanceof PlatformServiceError && !error.retryable) throw new KeepupError(error.message, 422, 'platform_refused');
      throw error;
    }
    const removed = await Learner.updateMany({ courseId: course._id, 'ids.ltiSub': { $exists: true, $nin: seen }, status: { $ne: 'removed' } }, { $set: { status: 'removed' } });
    result.removed = removed.modifiedCount;
    await Course.updateOne({ _id: course._id }, { $set: { 'lti.rosterSyncedAt': new Date() } });
    result.resolvedPending = await resolvePendingActivity(String(course._id));
    log.info({ courseId, ...result }, 'roster synced');
    return result;
  }

  private async saveLearner(courseId: Types.ObjectId, platform: PlatformDoc, member: NrpsMember): Promise<void> {
    const status = member.status === 'Inactive' ? 'inactive' : member.status === 'Deleted' ? 'removed' : 'active';
    await upsertLearner(courseId, learnerIds(platform.kind, member.user_id, {}, member.preferred_username), { name: member.name, givenName: member.given_name, familyName: member.family_name, email: member.email }, { roles: member.roles, status });
  }
}
