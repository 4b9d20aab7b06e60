import mongoose, { Schema } from 'mongoose';

/**
 * One contribution to one learner's ISO week in one course: the days of that week it adds, as an
 * array of small items, one compact `DayEntry` per day. A contribution is what one import window, one xAPI batch
 * or one pulled fact added; its `_id` is `<course>|<learner>|<week>|<key>`, so writing the same
 * contribution twice is a duplicate-key no-op (see docs/activity-mapping.md, Idempotency).
 * Readers merge a bucket's contributions by day; `CompactActivityTask` folds them into one compacted
 * document keyed `*<hash of the folded keys>` that lists the keys in `ks`, and readers skip what it covers.
 */
const activityWeekSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** Course `_id` (hex). */
    c: { type: String, required: true },
    /** Learner `_id` (hex), or `?<keyType>:<key>` while the learner is not known yet. */
    l: { type: String, required: true },
    /** ISO week number: floor((utcDay + 3) / 7); the week starts on Monday, day `w * 7 - 3`. */
    w: { type: Number, required: true },
    /** Contribution key (`*<hash>` for a compacted document). */
    k: { type: String, required: true },
    /** True while `l` is an unresolved source id. */
    p: { type: Boolean, default: false },
    /** Contribution keys folded into a compacted (`*…`) document, kept so a late redelivery of one is not counted. */
    ks: { type: [String], default: undefined },
    /** The days: one compact JSON `DayEntry` string per day (`src/ingest/contributionWriter.ts`, packEntry). */
    e: { type: [String], default: [] },
  },
  { collection: 'activity_daily', versionKey: false, _id: false },
);
activityWeekSchema.index({ c: 1, w: 1 });
activityWeekSchema.index({ c: 1, p: 1 });

export const ActivityWeek = mongoose.model('ActivityWeek', activityWeekSchema);
