import { SingleBar } from 'cli-progress';
import { Command, Option } from 'commander';
import { loadConfig } from '../../config';
import { importFiles, IMPORT_FORMATS, type ImportFormat } from '../../ingest/fileImport';
import { InputNotFoundError } from '../../ingest/sources/inputFiles';
import { connectMongo, disconnectMongo } from '../../storage/mongo';

interface ImportFlags {
  course?: string;
  platform?: 'openedx' | 'canvas' | 'moodle' | 'kdd';
  dryRun?: boolean;
  json?: boolean;
  archiveRaw?: boolean;
}

/**
 * `keepup import <format> <path...>`: imports activity files into the daily aggregates. Exit 0
 * whenever the import ran (rejects included, they are counted); 1 when it could not run.
 */
export function register(program: Command): void {
  program
    .command('import')
    .description('import activity files (tracking logs, xAPI, Caliper, KDD Cup CSV, rosters) into daily aggregates')
    .addArgument(new Command().createArgument('<format>', 'input format').choices(IMPORT_FORMATS))
    .argument('<path...>', 'files or folders (gzip or plain)')
    .option('--course <id>', 'keep only this platform course id; names the course for sources that carry none')
    .addOption(new Option('--platform <platform>', 'platform the data comes from').choices(['openedx', 'canvas', 'moodle', 'kdd']))
    .option('--dry-run', 'parse and count only, write nothing')
    .option('--json', 'print the summary as one JSON object on the last line')
    .option('--archive-raw', 'also keep the raw records of accepted events in the raw-event archive (always on when KEEPUP_RAW_ARCHIVE_DAYS is set)')
    .action(async (format: ImportFormat, paths: string[], flags: ImportFlags) => {
      const config = loadConfig();
      await connectMongo(config.MONGODB_URI, { attempts: 3 });
      const bar = process.stderr.isTTY && !flags.json ? new SingleBar({ format: 'import [{bar}] {percentage}% {value}/{total} MB {eta_formatted}', stream: process.stderr }) : undefined;
      let started = false;
      try {
        const result = await importFiles({
          format,
          paths,
          course: flags.course,
          platform: flags.platform,
          dryRun: flags.dryRun,
          archiveRaw: flags.archiveRaw,
          onProgress: (done, total) => {
            if (!bar) return;
            if (!started) {
              bar.start(Math.max(1, Math.round(total / 1e6)), 0);
              started = true;
            }
            bar.update(Math.round(done / 1e6));
          },
        });
        bar?.stop();
        const { runId, replayedFiles, written, duplicates, archived, ...summary } = result;
        if (flags.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
        else {
          process.stdout.write(
            `Imported ${summary.accepted} of ${summary.read} records (${summary.rejected} rejected) for ${summary.learners} learners, ${summary.days} learner-days. Run ${runId}.\n` +
              Object.entries(summary.rejectedByReason).map(([reason, n]) => `  rejected ${reason}: ${n}\n`).join('') +
              (replayedFiles.length ? `  ${replayedFiles.length} file(s) were imported before and were not written again.\n` : '') +
              `  ${written} contributions written${duplicates ? `, ${duplicates} already stored` : ''}.\n` +
              (archived ? `  ${archived.written} raw records archived${archived.duplicates ? `, ${archived.duplicates} already archived` : ''}.\n` : ''),
          );
        }
      } catch (error) {
        bar?.stop();
        if (!(error instanceof InputNotFoundError)) throw error;
        process.stderr.write(`keepup import: ${error.message}\n`);
        process.exitCode = 1;
      } finally {
        await disconnectMongo();
      }
    });
}
