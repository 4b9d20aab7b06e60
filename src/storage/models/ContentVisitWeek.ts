import mongoose, { Schema } from 'mongoose';

/**
 * Visits to one piece of content (an Open edX block, a Canvas asset; the event's `objectId`) in one
 * ISO week of one course, as one import window or batch saw them. Insert-only like activity
 * contributions: `_id` = `<course>|<week, 5 digits>|<contribution key>|<objectId>`, so importing the
 * same file again is a duplicate-key no-op. Readers merge a week's documents per object (union of
 * learners, sum of events); see src/insights/contentVisits.ts.
 */
const contentVisitWeekSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** Course `_id` (hex). */
    c: { type: String, required: true },
    /** ISO week number (`weekOfDay`). */
    w: { type: Number, required: true },
    /** Contribution key (the same as the activity contributions written with it). */
    k: { type: String, required: true },
    /** The content's id as the source gives it. */
    o: { type: String, required: true },
    /** Visit events. */
    n: { type: Number, required: true },
    /** Learner refs that visited (hex `_id`, or `?<keyType>:<key>` while unresolved). */
    l: { type: [String], default: [] },
  },
  { collection: 'content_visits', versionKey: false, _id: false },
);
contentVisitWeekSchema.index({ c: 1, w: 1 });

export const ContentVisitWeek = mongoose.model('ContentVisitWeek', contentVisitWeekSchema);
