import { Course } from '../storage/models/Course';
import { RawEvent } from '../storage/models/RawEvent';

/** Archives raw events (as received) for a course, when its connection keeps them. */
export async function archiveRawEvents(courseId: string, source: string, events: Array<{ time: Date; body: unknown }>): Promise<void> {
  if (!events.length) return;
  await RawEvent.collection.insertMany(events.map((e) => ({ c: courseId, source, t: e.time, body: typeof e.body === 'string' ? e.body : JSON.stringify(e.body), receivedAt: new Date() })));
}

/** Deletes archived raw events older than each course's retention (`rawRetentionDays`, default 90). Returns how many. */
export async function purgeRawEvents(now = new Date()): Promise<number> {
  let purged = 0;
  const courseIds: string[] = await RawEvent.distinct('c');
  for (const courseId of courseIds) {
    const course = await Course.findById(courseId, { rawRetentionDays: 1 }).lean().catch(() => null);
    const days = course?.rawRetentionDays ?? 90;
    const cutoff = new Date(now.getTime() - days * 86_400_000);
    purged += (await RawEvent.deleteMany({ c: courseId, receivedAt: { $lt: cutoff } })).deletedCount ?? 0;
  }
  return purged;
}
