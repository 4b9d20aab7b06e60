import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose, { Types } from 'mongoose';
import { dayStart } from '../src/domain/activity';
import { contributionDoc, ContributionWriter } from '../src/ingest/contributionWriter';
import { weekOfDay, type DayEntry } from '../src/ingest/dayEntry';
import { unloadPredictors } from '../src/registry/modelRegistry';
import { loadGeneratedCourse } from '../src/scoring/generatedCourseData';
import { DEFAULT_PARTITION_SIZE } from '../src/scoring/partitionLearners';
import { InsertOnceWriter } from '../src/storage/insertOnce';
import { runCourseNow } from '../src/scoring/runCourseNow';
import { Course } from '../src/storage/models/Course';
import { Learner } from '../src/storage/models/Learner';
import { ActivityWeek } from '../src/storage/models/ActivityWeek';
import { Score } from '../src/storage/models/Score';
import { connectMongo, disconnectMongo } from '../src/storage/mongo';
import { startServices } from '../scripts/services/startServices';

/**
 * `npm run bench:score`: the nightly run of one course with BENCH_ENROLLMENTS (default 100,000) generated
 * enrollments, end to end in this process: read activity, features, population statistics, the three
 * outcome models with median-learner explanations and what-if, and the Score writes. The activity comes
 * from the generator (a pool of BENCH_POOL simulated learners, each reused for many enrollments) and is
 * stored the way ingestion stores it before timing starts. The baseline, measured in the same run, is the
 * features step alone (read + features + feature writes). Last line: one JSON object.
 */
async function main(): Promise<void> {
  const enrollments = Number(process.env.BENCH_ENROLLMENTS ?? 100_000);
  const poolSize = Number(process.env.BENCH_POOL ?? 2_000);
  const partitionSize = Number(process.env.BENCH_PARTITION ?? DEFAULT_PARTITION_SIZE);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keepup-bench-score-'));
  const services = await startServices();
  try {
    const generator = path.join(__dirname, '..', 'src', 'generator');
    const options = { platform: 'openedx', learners: poolSize, weeks: 8, seed: 'bench-score', out: dir, xapi: false, start: '2025-02-03' };
    execFileSync(process.execPath, ['-e', `require(${JSON.stringify(generator)}).generateCourse(${JSON.stringify(options)})`], { stdio: 'inherit' });
    const pool = await loadGeneratedCourse(dir);
    const runDate = new Date(dayStart(pool.startDay + 6 * 7)).toISOString().slice(0, 10);

    await connectMongo(services.mongoUri, { dbName: `bench_score_${Date.now()}` });
    await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
    const setupStart = Date.now();
    const course = await Course.create({ platform: 'openedx', externalId: pool.courseId, title: 'bench:score', startDate: dayStart(pool.startDay) });
    const courseId = course._id.toHexString();
    const writer = new ContributionWriter();
    let learnerDocs: object[] = [];
    for (let i = 0; i < enrollments; i++) {
      const source = pool.learners[i % pool.learners.length];
      const id = new Types.ObjectId();
      learnerDocs.push({ _id: id, courseId: course._id, pseudonym: `L-${id.toHexString().slice(-10)}`, ids: {}, roles: ['Learner'], status: 'active', enrolledAt: dayStart(source.enrolledDay) });
      if (learnerDocs.length === 2000) {
        await Learner.collection.insertMany(learnerDocs as never[], { ordered: false });
        learnerDocs = [];
      }
      const weeks = new Map<number, DayEntry[]>();
      for (const d of source.days) {
        const entry: DayEntry = { d: d.day, v: d.counts.video, p: d.counts.problem, f: d.counts.forum, n: d.counts.navigate, a: d.counts.access, x: d.counts.page_close, vs: d.videoSeconds || undefined, pa: d.problemsAttempted || undefined, pk: d.problemsCorrect || undefined, s: d.sessions || undefined };
        weeks.set(weekOfDay(d.day), [...(weeks.get(weekOfDay(d.day)) ?? []), entry]);
      }
      await writer.add([...weeks].map(([week, entries]) => contributionDoc({ courseId, learnerRef: id.toHexString(), pending: false, week, entries }, 'bench')));
    }
    if (learnerDocs.length) await Learner.collection.insertMany(learnerDocs as never[], { ordered: false });
    await writer.flush();
    const setupSeconds = (Date.now() - setupStart) / 1000;
    process.stderr.write(`stored ${enrollments} enrollments (${writer.written} activity documents) in ${setupSeconds.toFixed(1)} s\n`);

    const rss: number[] = [];
    const startRss = process.memoryUsage().rss;
    let peakRss = startRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    const steps: Record<string, number> = {};
    const started = process.hrtime.bigint();
    const run = await runCourseNow(courseId, runDate, {
      partitionSize,
      onProgress: (message) => {
        if (message.startsWith('score:')) rss.push(Math.round(process.memoryUsage().rss / 1e6));
        process.stderr.write(`${message}\n`);
      },
      onStepDone: (step, seconds) => (steps[step] = Number(seconds.toFixed(2))),
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    clearInterval(sampler);
    const scores = await Score.countDocuments({ courseId, runDate });
    const database = await databaseRates(courseId, Math.min(scores, 10_000));
    await unloadPredictors();
    await mongoose.connection.db?.dropDatabase();
    await disconnectMongo();

    const featuresSeconds = (steps.aggregate ?? 0) + (steps.features ?? 0);
    const figures = {
      bench: 'score',
      enrollments,
      scores,
      status: run.status,
      partitions: run.partitions.length,
      seconds: Number(seconds.toFixed(2)),
      enrollmentsPerSec: Math.round(enrollments / seconds),
      steps,
      baseline: { name: 'features step only (read activity + features + feature writes)', seconds: Number(featuresSeconds.toFixed(2)), enrollmentsPerSec: Math.round(enrollments / featuresSeconds) },
      scoreStepPerSec: Math.round(enrollments / (steps.score ?? seconds)),
      database: {
        ...database,
        note: 'second baseline, measured in the same run: raw FerretDB rates, and the run time they alone imply (one Score insert per enrollment, one read of every activity document)',
        floorSeconds: Number((enrollments / database.scoreInsertsPerSec + writer.written / database.activityReadsPerSec).toFixed(1)),
        floorEnrollmentsPerSec: Math.round(enrollments / (enrollments / database.scoreInsertsPerSec + writer.written / database.activityReadsPerSec)),
      },
      peakRssMB: Math.round(peakRss / 1e6),
      startRssMB: Math.round(startRss / 1e6),
      rssAfterEachScorePartitionMB: rss,
      setupSeconds: Number(setupSeconds.toFixed(1)),
      mongo: services.startedMongo ? 'ferretdb' : 'MONGODB_URI',
    };
    console.log(JSON.stringify(figures));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await services.stop();
  }
}

/**
 * Raw database rates for the second baseline: `insertMany` (unordered, 1,000 per call, two in flight, as the
 * score step writes) of `sample` of the run's own Score documents into an empty collection with the Score
 * indexes, and one unsorted cursor over the course's activity documents (what any features step must read).
 */
async function databaseRates(courseId: string, sample: number): Promise<{ scoreInsertsPerSec: number; activityReadsPerSec: number; activityDocuments: number }> {
  const db = mongoose.connection.db!;
  const docs = await Score.collection.find({}, { projection: { _id: 0 } }).limit(sample).toArray();
  const copy = db.collection('bench_score_copy');
  await copy.createIndex({ courseId: 1, runDate: 1, learnerId: 1 }, { unique: true });
  await copy.createIndex({ courseId: 1, learnerId: 1, runDate: -1 });
  let started = process.hrtime.bigint();
  const writer = new InsertOnceWriter(copy as never, 1000);
  await writer.add(docs);
  await writer.flush();
  const insertSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  started = process.hrtime.bigint();
  let activityDocuments = 0;
  for await (const doc of ActivityWeek.collection.find({ c: courseId }, { projection: { l: 1, e: 1 } }).batchSize(2000)) if (doc) activityDocuments++;
  const readSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { scoreInsertsPerSec: Math.round(docs.length / insertSeconds), activityReadsPerSec: Math.round(activityDocuments / readSeconds), activityDocuments };
}

/** With BENCH_SIZES (e.g. `25000,100000`), runs the bench once per size in a fresh process and prints all runs with their peak RSS. */
function runSizes(sizes: number[]): void {
  const runs = sizes.map((size) => {
    const out = execFileSync(process.execPath, [__filename], { env: { ...process.env, BENCH_SIZES: '', BENCH_ENROLLMENTS: String(size) }, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
    return JSON.parse(out.toString().trim().split('\n').pop()!) as { enrollments: number; enrollmentsPerSec: number; peakRssMB: number };
  });
  const summary = runs.map((r) => ({ enrollments: r.enrollments, enrollmentsPerSec: r.enrollmentsPerSec, peakRssMB: r.peakRssMB }));
  console.log(JSON.stringify({ bench: 'score', sizes: summary, peakRssGrowthMB: runs[runs.length - 1].peakRssMB - runs[0].peakRssMB, runs }));
}

const sizes = (process.env.BENCH_SIZES ?? '').split(',').filter(Boolean).map(Number);
(sizes.length ? Promise.resolve().then(() => runSizes(sizes)) : main()).catch((error) => {
  console.error(error);
  process.exit(1);
});
