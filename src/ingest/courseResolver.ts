import type { Platform } from '../domain/activity';
import { Course } from '../storage/models/Course';

/**
 * Maps a platform course id (`course-v1:Org+X+Run`, Canvas course id, KDD course) to our Course
 * `_id`, creating a file-import course (tenant `local`) the first time one is seen. Cached per import.
 */
export class CourseResolver {
  private readonly cache = new Map<string, string>();

  constructor(private readonly options: { platform: Platform; tenant?: string; dryRun?: boolean }) {}

  /** The cached `_id` when this external id was resolved before, else undefined. */
  cached(externalId: string): string | undefined {
    return this.cache.get(externalId);
  }

  async resolve(externalId: string): Promise<string> {
    const hit = this.cache.get(externalId);
    if (hit) return hit;
    const tenant = this.options.tenant ?? 'local';
    let course = await Course.findOne({ externalId, tenant }, { _id: 1 }).lean();
    course ??= await Course.findOne({ externalId }, { _id: 1 }).lean();
    let id: string;
    if (course) id = String(course._id);
    else if (this.options.dryRun) id = `dry:${externalId}`;
    else {
      const created = await Course.findOneAndUpdate(
        { tenant, externalId },
        { $setOnInsert: { tenant, externalId, platform: this.options.platform, title: externalId } },
        { upsert: true, returnDocument: 'after' },
      ).lean();
      id = String(created!._id);
    }
    this.cache.set(externalId, id);
    return id;
  }
}
