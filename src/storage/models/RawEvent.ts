import mongoose, { Schema } from 'mongoose';

/**
 * Optional archive of raw source events (the JSON as received), kept for a course's
 * `rawRetentionDays` and deleted by PurgeRawEventsTask (FerretDB has no TTL indexes).
 */
const rawEventSchema = new Schema(
  {
    /** Course `_id` (hex). */
    c: { type: String, required: true },
    source: { type: String, required: true },
    /** Event time. */
    t: { type: Date, required: true },
    body: { type: String, required: true },
    receivedAt: { type: Date, default: () => new Date() },
  },
  { collection: 'raw_events', versionKey: false },
);
rawEventSchema.index({ c: 1, receivedAt: 1 });

export const RawEvent = mongoose.model('RawEvent', rawEventSchema);
