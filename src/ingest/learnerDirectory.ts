import { Types } from 'mongoose';
import type { ActivityEvent } from '../domain/activity';
import { Learner } from '../storage/models/Learner';

export type LearnerKeyType = ActivityEvent['learnerKeyType'];

/** The `Learner.ids` field each source id type is stored under. */
export const ID_FIELD: Record<LearnerKeyType, 'username' | 'userId' | 'anonymousId' | 'canvasUserId' | 'ltiSub' | 'enrollmentId'> = {
  username: 'username',
  user_id: 'userId',
  anonymous_id: 'anonymousId',
  canvas_user_id: 'canvasUserId',
  lti_sub: 'ltiSub',
  enrollment_id: 'enrollmentId',
};

/** The stored reference of a learner not known yet: `?<keyType>:<key>`. */
export function pendingRef(keyType: LearnerKeyType, key: string): string {
  return `?${keyType}:${key}`;
}

/** Splits a pending reference back into its id type and key, or undefined for a resolved one. */
export function parsePendingRef(ref: string): { keyType: LearnerKeyType; key: string } | undefined {
  if (!ref.startsWith('?')) return undefined;
  const colon = ref.indexOf(':');
  const keyType = ref.slice(1, colon) as LearnerKeyType;
  return keyType in ID_FIELD ? { keyType, key: ref.slice(colon + 1) } : undefined;
}

/**
 * Every source id of one course's learners in memory (one small string pair per id), so an import
 * resolves each event's learner without a query. Unknown ids resolve to a pending reference.
 */
export class LearnerDirectory {
  private readonly byKey = new Map<string, string>();

  private constructor(readonly courseId: string) {}

  /** Loads the course's learners (streamed with a cursor). */
  static async load(courseId: string): Promise<LearnerDirectory> {
    const directory = new LearnerDirectory(courseId);
    if (!Types.ObjectId.isValid(courseId)) return directory;
    const cursor = Learner.find({ courseId: new Types.ObjectId(courseId) }, { ids: 1 }).lean().cursor({ batchSize: 5000 });
    for await (const learner of cursor) directory.addLearner(String(learner._id), learner.ids ?? {});
    return directory;
  }

  addLearner(learnerId: string, ids: Partial<Record<(typeof ID_FIELD)[LearnerKeyType], string | null>>): void {
    for (const [keyType, field] of Object.entries(ID_FIELD) as Array<[LearnerKeyType, (typeof ID_FIELD)[LearnerKeyType]]>) {
      const value = ids[field];
      if (value) this.byKey.set(`${keyType}:${value}`, learnerId);
    }
  }

  /** The learner `_id` (hex) for a source id, or undefined when not known. */
  find(keyType: LearnerKeyType, key: string): string | undefined {
    return this.byKey.get(`${keyType}:${key}`);
  }

  /** The learner `_id`, or the pending reference to store the activity under until it is known. */
  resolve(keyType: LearnerKeyType, key: string): { ref: string; pending: boolean } {
    const id = this.byKey.get(`${keyType}:${key}`);
    return id ? { ref: id, pending: false } : { ref: pendingRef(keyType, key), pending: true };
  }
}
