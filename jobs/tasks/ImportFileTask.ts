import { BaseTask } from '../BaseTask';
import { importFiles, type FileImportResult, type ImportFormat } from '../../src/ingest/fileImport';
import type { Platform } from '../../src/domain/activity';

export interface ImportFileProps {
  format: ImportFormat;
  /** Files or folders readable by the worker. */
  paths: string[];
  course?: string;
  platform?: Platform;
  /** Archive the raw records of accepted events (see src/ingest/rawArchive.ts). */
  archiveRaw?: boolean;
}

/**
 * Imports activity files in a worker process, so parsing large logs never blocks a web process.
 * Re-running the job is safe: files already imported are counted but not written again, and a
 * partly written file's contributions are skipped as duplicates.
 */
export class ImportFileTask extends BaseTask<ImportFileProps, FileImportResult> {
  readonly jobName = 'ingest.importFile';
  readonly queue = 'ingest' as const;

  async perform(props: ImportFileProps): Promise<FileImportResult> {
    return importFiles(props);
  }
}
