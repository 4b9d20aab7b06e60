import { BaseTask } from '../BaseTask';
import { aggregatePendingStatements } from '../../src/ingest/pushIngest';
import { purgeRawEvents } from '../../src/ingest/rawArchive';

/**
 * Daily ingestion upkeep: deletes archived raw events older than each course's `rawRetentionDays`
 * (FerretDB has no TTL indexes) and re-aggregates xAPI statements a crash left unaggregated.
 */
export class PurgeRawEventsTask extends BaseTask<Record<string, never>, { purged: number; batches: number }> {
  readonly jobName = 'ingest.purgeRawEvents';
  readonly queue = 'maintenance' as const;

  async perform(): Promise<{ purged: number; batches: number }> {
    const purged = await purgeRawEvents();
    const batches = await aggregatePendingStatements();
    return { purged, batches };
  }
}
