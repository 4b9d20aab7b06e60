import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { importFiles } from '../src/ingest/fileImport';
import { readLines } from '../src/ingest/sources/lineReader';
import { connectMongo, disconnectMongo } from '../src/storage/mongo';
import { ActivityWeek } from '../src/storage/models/ActivityWeek';
import { Course } from '../src/storage/models/Course';
import { ImportRun } from '../src/storage/models/ImportRun';
import { Learner } from '../src/storage/models/Learner';
import { startServices } from '../scripts/services/startServices';

/**
 * `npm run bench:ingest`: imports a 1,000,000-event Open edX tracking log (written by the generator
 * in a child process, so its memory does not count) into MongoDB/FerretDB started here, and measures
 * in the same run the parse-only baseline on the same file: gunzip + split lines + JSON.parse.
 * Last line: one JSON object with both rates, their ratio and peak RSS.
 */
async function main(): Promise<void> {
  const events = Number(process.env.BENCH_EVENTS ?? 1_000_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keepup-bench-ingest-'));
  const file = path.join(dir, 'tracking.log.gz');
  const services = await startServices();
  try {
    const generator = path.join(__dirname, '..', 'src', 'generator');
    const started = Date.now();
    const written = JSON.parse(
      execFileSync(process.execPath, ['-e', `require(${JSON.stringify(generator)}).writeTrackingLog(${JSON.stringify(file)}, { weeks: 10, seed: 3 }, ${events}).then((r) => console.log(JSON.stringify(r)))`], { encoding: 'utf8' }),
    ) as { lines: number; learners: number };
    process.stderr.write(`generated ${written.lines} lines for ${written.learners} learners in ${((Date.now() - started) / 1000).toFixed(1)} s (${(fs.statSync(file).size / 1e6).toFixed(1)} MB gzip)\n`);

    let parsed = 0;
    const parseStart = process.hrtime.bigint();
    for await (const item of readLines(file)) if ('line' in item && JSON.parse(item.line)) parsed++;
    const parseSeconds = Number(process.hrtime.bigint() - parseStart) / 1e9;

    await connectMongo(services.mongoUri, { dbName: `bench_ingest_${Date.now()}` });
    await Promise.all([ActivityWeek, ImportRun, Course, Learner].map((m) => m.init()));
    const importStart = process.hrtime.bigint();
    const result = await importFiles({ format: 'tracking-log', paths: [file] });
    const importSeconds = Number(process.hrtime.bigint() - importStart) / 1e9;
    const documents = await ActivityWeek.estimatedDocumentCount();
    await mongoose.connection.db?.dropDatabase();
    await disconnectMongo();

    const eventsPerSec = Math.round(result.read / importSeconds);
    const parseOnlyPerSec = Math.round(parsed / parseSeconds);
    const figures = {
      bench: 'ingest',
      events: result.read,
      accepted: result.accepted,
      rejected: result.rejected,
      learners: result.learners,
      learnerDays: result.days,
      documents,
      importSeconds: Number(importSeconds.toFixed(2)),
      eventsPerSec,
      parseOnlySeconds: Number(parseSeconds.toFixed(2)),
      parseOnlyPerSec,
      ratio: Number((eventsPerSec / parseOnlyPerSec).toFixed(3)),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      mongo: services.startedMongo ? 'ferretdb' : 'MONGODB_URI',
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await services.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`bench:ingest failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
