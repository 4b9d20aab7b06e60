import mongoose, { InferSchemaType, Schema, Types } from 'mongoose';

/** An administrator of this Keepup installation (registers platforms). Passwords are scrypt hashes. */
const adminUserSchema = new Schema(
  {
    email: { type: String, required: true, unique: true, lowercase: true, trim: true },
    passwordHash: { type: String, required: true },
    disabled: { type: Boolean, default: false },
    lastLoginAt: { type: Date, default: null },
  },
  { timestamps: true, collection: 'adminusers' },
);

export type AdminUserDoc = InferSchemaType<typeof adminUserSchema> & { _id: Types.ObjectId };
export const AdminUser = mongoose.model('AdminUser', adminUserSchema);
