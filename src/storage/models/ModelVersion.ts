import mongoose, { InferSchemaType, Schema } from 'mongoose';

/**
 * A versioned, trained model for one outcome (`models`): the serialized predictor (one buffer: topology,
 * weights, calibration), its scope (the shipped default, a platform, or one course), architecture,
 * training window and validation metrics. At most one `active` version per (outcome, scope); the registry
 * promotes a candidate only when it does at least as well on validation as the version it would replace.
 */
const modelVersionSchema = new Schema(
  {
    _id: { type: String, required: true },
    outcome: { type: String, enum: ['dropout', 'completion', 'certificate'], required: true },
    scope: { type: String, enum: ['default', 'platform', 'course'], required: true },
    /** `default`, the platform name, or the course `_id`. */
    scopeKey: { type: String, required: true },
    status: { type: String, enum: ['active', 'retired', 'rejected'], required: true },
    architecture: { type: String, required: true },
    members: { type: [String], default: [] },
    buffer: { type: Buffer, required: true },
    sha256: { type: String, required: true },
    /** Validation figures the promotion rule compares (out-of-fold, calibrated). */
    metrics: { auc: Number, ece: Number, brier: Number, rows: Number },
    /** Reliability diagram of the calibrated probabilities on the validation rows (read from the stored model). */
    reliability: {
      type: [new Schema({ lower: { type: Number, required: true }, upper: { type: Number, required: true }, count: { type: Number, required: true }, meanPredicted: { type: Number, required: true }, observedRate: { type: Number, required: true } }, { _id: false })],
      default: undefined,
    },
    /** When the stored model was trained (read from the stored model). */
    trainedAt: { type: Date },
    /** AUC of the version it was compared with, on the same validation rows (null when there was none). */
    comparedWith: { version: String, auc: Number },
    trainingWindow: { from: String, to: String, courses: [String], rows: Number },
    reason: { type: String },
    createdAt: { type: Date, default: () => new Date() },
  },
  { collection: 'models', versionKey: false, _id: false },
);
modelVersionSchema.index({ outcome: 1, scope: 1, scopeKey: 1, status: 1 });

export type ModelVersionDoc = InferSchemaType<typeof modelVersionSchema> & { _id: string };
export const ModelVersion = mongoose.model('ModelVersion', modelVersionSchema);
