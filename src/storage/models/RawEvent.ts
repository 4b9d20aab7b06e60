import mongoose, { Schema } from 'mongoose';

/**
 * Optional archive of raw source events (the record as received), kept for the course's retention
 * and deleted by PurgeRawEventsTask (FerretDB has no TTL indexes). Insert-only: `_id` is a hash of
 * course, source and body (`rawEventId`), so archiving the same record again is a duplicate-key no-op.
 */
const rawEventSchema = new Schema(
  {
    /** `rawEventId(course, source, body)`. */
    _id: { type: String, required: true },
    /** Course `_id` (hex). */
    c: { type: String, required: true },
    source: { type: String, required: true },
    /** Event time. */
    t: { type: Date, required: true },
    body: { type: String, required: true },
    receivedAt: { type: Date, default: () => new Date() },
  },
  { collection: 'raw_events', versionKey: false, _id: false },
);
rawEventSchema.index({ c: 1, receivedAt: 1 });

export const RawEvent = mongoose.model('RawEvent', rawEventSchema);
