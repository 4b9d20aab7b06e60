import mongoose, { Schema } from 'mongoose';

/**
 * xAPI statements received by the LRS endpoint, keyed by statement id (the unique `_id` is what
 * makes a repeated statement count once). `h` is a hash of the statement as received, to tell a
 * harmless resend from a conflicting one; `b` the aggregation batch, `agg` whether its activity
 * has been written (a sweep re-aggregates batches left unmarked by a crash).
 */
const xapiStatementSchema = new Schema(
  {
    _id: { type: String, required: true },
    connectionId: { type: Schema.Types.ObjectId, required: true },
    h: { type: String, required: true },
    b: { type: String, required: true },
    agg: { type: Boolean, default: false },
    statement: { type: Schema.Types.Mixed, required: true },
    stored: { type: Date, default: () => new Date() },
  },
  { collection: 'xapi_statements', versionKey: false, _id: false },
);
xapiStatementSchema.index({ agg: 1, stored: 1 });

export const XapiStatement = mongoose.model('XapiStatement', xapiStatementSchema);
