import mongoose, { InferSchemaType, Schema, Types } from 'mongoose';

/** A deployment id a platform registration may launch with; launches with any other deployment id are refused. */
const deploymentSchema = new Schema(
  {
    platformId: { type: Schema.Types.ObjectId, required: true },
    deploymentId: { type: String, required: true },
    label: { type: String, default: '' },
    status: { type: String, enum: ['active', 'disabled'], default: 'active' },
  },
  { timestamps: true, collection: 'deployments' },
);
deploymentSchema.index({ platformId: 1, deploymentId: 1 }, { unique: true });

export type DeploymentDoc = InferSchemaType<typeof deploymentSchema> & { _id: Types.ObjectId };
export const Deployment = mongoose.model('Deployment', deploymentSchema);
