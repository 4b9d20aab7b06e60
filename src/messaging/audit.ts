import type { Types } from 'mongoose';
import { AuditEntry } from '../storage/models/AuditEntry';

export interface AuditInput {
  /** A deterministic id makes the entry idempotent (a retried delivery records its send once). */
  id?: Types.ObjectId;
  courseId: Types.ObjectId | string;
  /** `instructor:<sub>`, `learner:<id>` or `system`. */
  actor: string;
  action: string;
  campaignId?: Types.ObjectId | string | null;
  learnerId?: Types.ObjectId | string | null;
  detail?: string;
}

/** Appends one audit entry (who did what to whom, when); an entry with an `id` that exists is kept as is. */
export async function audit({ id, ...entry }: AuditInput): Promise<void> {
  try {
    await AuditEntry.create({ ...(id ? { _id: id } : {}), ...entry, at: new Date() });
  } catch (error) {
    if (!id || (error as { code?: number }).code !== 11000) throw error;
  }
}

/** Appends many entries in one unordered write. */
export async function auditMany(entries: AuditInput[]): Promise<void> {
  if (!entries.length) return;
  const at = new Date();
  await AuditEntry.insertMany(entries.map(({ id, ...e }) => ({ ...(id ? { _id: id } : {}), ...e, at })), { ordered: false });
}
