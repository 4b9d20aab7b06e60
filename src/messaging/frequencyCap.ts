import type { Types } from 'mongoose';
import { ContactLedger } from '../storage/models/ContactLedger';

interface LedgerRow {
  _id: Types.ObjectId;
  recent: Date[];
  version: number;
}

/** Per-learner limit on messages across all campaigns. */
export interface FrequencyCap {
  /** Messages allowed per window. Default 2. */
  max: number;
  /** Window length, ms. Default 7 days. */
  windowMs: number;
}

export const DEFAULT_CAP: FrequencyCap = { max: 2, windowMs: 7 * 86_400_000 };

/** Either a slot was taken (deliver now), or the time the next slot frees up. */
export type SlotResult = { ok: true } | { ok: false; freeAt: Date };

/**
 * Takes one delivery slot for a learner if fewer than `cap.max` messages went out in the window.
 * Optimistic concurrency on the ledger's version: of two senders racing for the last slot, one wins.
 */
export async function claimContactSlot(courseId: Types.ObjectId, learnerId: Types.ObjectId, now = new Date(), cap: FrequencyCap = DEFAULT_CAP): Promise<SlotResult> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const ledger = await ContactLedger.findById(learnerId).lean<LedgerRow>();
    const cutoff = now.getTime() - cap.windowMs;
    const recent = (ledger?.recent ?? []).filter((d) => d.getTime() > cutoff).sort((a, b) => a.getTime() - b.getTime());
    if (recent.length >= cap.max) return { ok: false, freeAt: new Date(recent[recent.length - cap.max].getTime() + cap.windowMs) };
    const next = { recent: [...recent, now], lastContactedAt: now };
    if (!ledger) {
      try {
        await ContactLedger.create({ _id: learnerId, courseId, learnerId, ...next, version: 1 });
        return { ok: true };
      } catch (error) {
        if ((error as { code?: number }).code === 11000) continue;
        throw error;
      }
    }
    const res = await ContactLedger.updateOne({ _id: ledger._id, version: ledger.version }, { $set: next, $inc: { version: 1 } });
    if (res.modifiedCount === 1) return { ok: true };
  }
  throw new Error('Could not update the contact ledger: too much contention');
}

/** Gives back a slot taken at `at` (the message was refused for good, so it should not count). */
export async function releaseContactSlot(learnerId: Types.ObjectId, at: Date): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const ledger = await ContactLedger.findById(learnerId).lean<LedgerRow>();
    if (!ledger) return;
    const recent = ledger.recent.filter((d) => d.getTime() !== at.getTime());
    if (recent.length === ledger.recent.length) return;
    const res = await ContactLedger.updateOne({ _id: ledger._id, version: ledger.version }, { $set: { recent }, $inc: { version: 1 } });
    if (res.modifiedCount === 1) return;
  }
}
