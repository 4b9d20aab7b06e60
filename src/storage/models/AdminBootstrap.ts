import mongoose, { InferSchemaType, Schema } from 'mongoose';

/** The first-run bootstrap token (sha256 only), valid until the first admin account exists. One document, `_id: 'bootstrap'`. */
const adminBootstrapSchema = new Schema(
  {
    _id: { type: String, required: true },
    tokenHash: { type: String, required: true },
    usedAt: { type: Date, default: null },
  },
  { timestamps: true, collection: 'adminbootstrap' },
);

export type AdminBootstrapDoc = InferSchemaType<typeof adminBootstrapSchema>;
export const AdminBootstrap = mongoose.model('AdminBootstrap', adminBootstrapSchema);
