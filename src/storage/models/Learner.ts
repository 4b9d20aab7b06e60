import crypto from 'node:crypto';
import mongoose, { InferSchemaType, Schema, Types } from 'mongoose';

/**
 * A learner in one course. `ids` holds every id the sources use for this person, so
 * activity from any source resolves to the same learner. Name and email are stored only
 * when the platform shared them; dashboards show `pseudonym` unless names are asked for.
 */
const learnerSchema = new Schema(
  {
    courseId: { type: Schema.Types.ObjectId, required: true },
    pseudonym: { type: String, required: true, default: () => newPseudonym() },
    ids: {
      ltiSub: { type: String },
      username: { type: String },
      userId: { type: String },
      anonymousId: { type: String },
      canvasUserId: { type: String },
      enrollmentId: { type: String },
    },
    name: { type: String },
    givenName: { type: String },
    familyName: { type: String },
    email: { type: String },
    timeZone: { type: String },
    roles: { type: [String], default: [] },
    status: { type: String, enum: ['active', 'inactive', 'removed'], default: 'active' },
    enrolledAt: { type: Date },
    optOut: {
      nudges: { type: Boolean, default: false },
      messages: { type: Boolean, default: false },
      at: { type: Date },
    },
  },
  { timestamps: true, collection: 'learners' },
);
learnerSchema.index({ courseId: 1, pseudonym: 1 }, { unique: true });
learnerSchema.index({ courseId: 1, 'ids.ltiSub': 1 });
learnerSchema.index({ courseId: 1, 'ids.username': 1 });
learnerSchema.index({ courseId: 1, 'ids.userId': 1 });
learnerSchema.index({ courseId: 1, 'ids.anonymousId': 1 });
learnerSchema.index({ courseId: 1, 'ids.canvasUserId': 1 });
learnerSchema.index({ courseId: 1, 'ids.enrollmentId': 1 });

/** A random pseudonymous id such as `L-3f9a0c2b71de` (48 bits: no collisions in practice at millions of learners). */
export function newPseudonym(): string {
  return `L-${crypto.randomBytes(6).toString('hex')}`;
}

export type LearnerDoc = InferSchemaType<typeof learnerSchema> & { _id: Types.ObjectId };
export const Learner = mongoose.model('Learner', learnerSchema);
