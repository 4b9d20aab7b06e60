import type { Types } from 'mongoose';
import { AuditEntry } from '../storage/models/AuditEntry';

export interface AuditInput {
  courseId: Types.ObjectId | string;
  /** `instructor:<sub>`, `learner:<id>` or `system`. */
  actor: string;
  action: string;
  campaignId?: Types.ObjectId | string | null;
  learnerId?: Types.ObjectId | string | null;
  detail?: string;
}

/** Appends one audit entry (who did what to whom, when). */
export async function audit(entry: AuditInput): Promise<void> {
  await AuditEntry.create({ ...entry, at: new Date() });
}

/** Appends many entries in one unordered write. */
export async function auditMany(entries: AuditInput[]): Promise<void> {
  if (!entries.length) return;
  const at = new Date();
  await AuditEntry.insertMany(entries.map((e) => ({ ...e, at })), { ordered: false });
}
