import { Types } from 'mongoose';
import { Learner, newPseudonym } from '../storage/models/Learner';
import { ID_FIELD, LearnerDirectory, type LearnerKeyType } from './learnerDirectory';
import { resolvePendingActivity } from './pendingResolver';

/** One roster row: the learner's source ids and what the platform shared about them. */
export interface RosterEntry {
  ids: Partial<Record<LearnerKeyType, string>>;
  name?: string;
  email?: string;
}

/**
 * Makes sure every roster entry is a learner of the course: entries matching an existing learner by
 * any id add their other ids to it, the rest are inserted in bulk. Then activity stored under
 * pending ids is moved onto the learners. Returns how many learners were created.
 */
export async function upsertRoster(courseId: string, entries: RosterEntry[], directory?: LearnerDirectory): Promise<{ created: number; updated: number; resolved: number }> {
  const dir = directory ?? (await LearnerDirectory.load(courseId));
  const course = new Types.ObjectId(courseId);
  const inserts: Array<Record<string, unknown>> = [];
  const updates: Array<{ updateOne: { filter: object; update: object } }> = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const pairs = (Object.entries(entry.ids) as Array<[LearnerKeyType, string | undefined]>).filter(([, v]) => !!v) as Array<[LearnerKeyType, string]>;
    if (!pairs.length) continue;
    const identity = `${pairs[0][0]}:${pairs[0][1]}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    const existing = pairs.map(([type, key]) => dir.find(type, key)).find(Boolean);
    const ids = Object.fromEntries(pairs.map(([type, key]) => [ID_FIELD[type], key]));
    if (existing) {
      const missing = pairs.filter(([type, key]) => dir.find(type, key) !== existing);
      if (missing.length) {
        updates.push({ updateOne: { filter: { _id: new Types.ObjectId(existing) }, update: { $set: Object.fromEntries(missing.map(([t, k]) => [`ids.${ID_FIELD[t]}`, k])) } } });
        dir.addLearner(existing, ids);
      }
      continue;
    }
    const _id = new Types.ObjectId();
    inserts.push({ _id, courseId: course, pseudonym: newPseudonym(), ids, name: entry.name, email: entry.email, roles: ['Learner'], status: 'active', optOut: { nudges: false, messages: false } });
    dir.addLearner(String(_id), ids);
  }
  for (let i = 0; i < inserts.length; i += 2000) await Learner.collection.insertMany(inserts.slice(i, i + 2000), { ordered: false });
  for (let i = 0; i < updates.length; i += 2000) await Learner.collection.bulkWrite(updates.slice(i, i + 2000), { ordered: false });
  const resolved = await resolvePendingActivity(courseId, dir);
  return { created: inserts.length, updated: updates.length, resolved };
}
