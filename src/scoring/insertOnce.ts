import type { Collection } from 'mongoose';

const DUPLICATE_KEY = 11000;

/**
 * Inserts documents unordered and treats duplicate-key errors as "already stored": under a unique index
 * this makes a retried or resumed batch a no-op for the rows it wrote before (FerretDB has no transactions,
 * and its upserts cost a round trip each, so insert-once is both the idempotency and the fast path).
 * Returns how many were new. Any other write error is thrown.
 */
export async function insertOnce(collection: Collection, docs: object[]): Promise<{ inserted: number; duplicates: number }> {
  if (docs.length === 0) return { inserted: 0, duplicates: 0 };
  try {
    const result = await collection.insertMany(docs as never[], { ordered: false });
    return { inserted: result.insertedCount, duplicates: 0 };
  } catch (error) {
    const e = error as { writeErrors?: Array<{ code: number }> | { code: number }; code?: number };
    const writeErrors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : e.code === DUPLICATE_KEY ? [{ code: DUPLICATE_KEY }] : undefined;
    if (!writeErrors || writeErrors.some((w) => w.code !== DUPLICATE_KEY)) throw error;
    return { inserted: docs.length - writeErrors.length, duplicates: writeErrors.length };
  }
}
