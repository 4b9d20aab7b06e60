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

/**
 * Buffers documents and writes them with `insertOnce` in batches, keeping up to `inFlight` batches being
 * written while the caller computes the next ones (reads, features and predictions overlap the database's
 * write latency). `flush` waits for everything and rethrows the first write error.
 */
export class InsertOnceWriter {
  inserted = 0;
  duplicates = 0;
  private pending: object[] = [];
  private readonly writes = new Set<Promise<void>>();
  private failure: unknown;

  constructor(
    private readonly collection: Collection,
    private readonly batchSize = 2000,
    private readonly inFlight = 2,
    /** Count what would be written without writing it (`keepup import --dry-run`). */
    private readonly dryRun = false,
  ) {}

  /** Queues documents; resolves once the number of batches in flight is under the limit again. */
  async add(docs: object[]): Promise<void> {
    for (const doc of docs) {
      this.pending.push(doc);
      if (this.pending.length >= this.batchSize) await this.send();
    }
  }

  /** Writes what is queued and waits for every write. */
  async flush(): Promise<void> {
    if (this.pending.length) await this.send();
    await Promise.all(this.writes);
    if (this.failure) throw this.failure;
  }

  private async send(): Promise<void> {
    const docs = this.pending;
    this.pending = [];
    if (this.dryRun) {
      this.inserted += docs.length;
      return;
    }
    while (this.writes.size >= this.inFlight) await Promise.race(this.writes);
    if (this.failure) throw this.failure;
    const write: Promise<void> = insertOnce(this.collection, docs)
      .then((r) => {
        this.inserted += r.inserted;
        this.duplicates += r.duplicates;
      })
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => this.writes.delete(write));
    this.writes.add(write);
  }
}
