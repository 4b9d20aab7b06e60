import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { NightlyCourseRunTask } from '../jobs/tasks/NightlyCourseRunTask';
import { closeJobsConnection, configureJobs } from '../jobs/connection';
import { closeQueues } from '../jobs/queues';
import { startDemoExperiment } from '../src/experiments/demo/startDemoExperiment';
import { ingestDemoCourse } from '../src/ingest/demo/demoIngest';
import { describeGeneratedCourse, installInsightsDemo } from '../src/insights/demo/installDemoCourses';
import type { GeneratedCourseJson } from '../src/insights/demo/generatedCourseBlocks';
import { runDateAt } from '../src/scoring/runDate';
import { connectMongo, disconnectMongo } from '../src/storage/mongo';
import { Course } from '../src/storage/models/Course';
import { NightlyRun } from '../src/storage/models/NightlyRun';
import { createRedis } from '../src/storage/redis';
import { cacheDir } from './services/paths';
import { DEMO_COURSE } from './demoData';

export interface PrepareDemoDataOptions {
  mongoUri: string;
  redisUrl: string;
  keepupUrl: string;
  /** Folder holding the generated demo course. */
  courseDir: string;
  log: (text: string) => void;
}

/**
 * Fills the running demo through the product's own paths: the demo course's roster and tracking log
 * are imported and its later xAPI statements pushed to the LRS endpoint over HTTP; the worker runs the
 * nightly pipeline on it (scores, dashboard cache, nudges, insights); a nudge experiment starts with a
 * planted effect. More generated courses are installed before it, so the course-design insights of the
 * demo course have their peers.
 */
export async function prepareDemoData(options: PrepareDemoDataOptions): Promise<void> {
  await connectMongo(options.mongoUri);
  configureJobs({ redisUrl: options.redisUrl });
  const redis = createRedis(options.redisUrl);
  try {
    // The other courses first: the demo course's insights (computed after its nightly run) place it among them in the course-design model.
    options.log('installing generated courses for the insights (about a minute)...');
    const installed = await installInsightsDemo({ dir: cacheDir('demo', 'insights'), finishedCourses: 8, learners: 150, currentLearners: 250 });
    options.log(`insights computed for ${installed.length} more courses`);

    options.log('importing the roster and tracking log, pushing xAPI statements to /xapi/statements...');
    const ingest = await ingestDemoCourse({ dir: options.courseDir, baseUrl: options.keepupUrl, batchSize: 500 });
    options.log(`imported ${ingest.trackingLog.accepted} tracking-log events (${ingest.trackingLog.rejected} rejected), pushed ${ingest.pushed} xAPI statements`);

    // File imports name a course by its key; give it the title, time zone, dates and structure its platform would bring.
    const generated = JSON.parse(await readFile(path.join(options.courseDir, 'course.json'), 'utf8')) as GeneratedCourseJson;
    const courseId = await describeGeneratedCourse(DEMO_COURSE.courseId, { ...generated, title: DEMO_COURSE.title });
    const course = await Course.findById(courseId).lean().orFail();
    const runDate = runDateAt(new Date(), course.timeZone ?? 'UTC');
    options.log('running the nightly pipeline on the worker (pull, aggregate, features, score)...');
    await new NightlyCourseRunTask().schedule({ courseId, runDate, trigger: 'admin' }, { jobId: `demo-run-${courseId}-${runDate}` });
    await waitForRun(courseId, runDate);
    options.log('demo course scored');

    const experiment = await startDemoExperiment({ courseId, redis, prefix: 'keepup' });
    options.log(`nudge experiment running: ${experiment.assigned} learners assigned`);
  } finally {
    await redis.quit().catch(() => undefined);
    await closeQueues();
    await closeJobsConnection();
    await disconnectMongo();
  }
}

/** Waits until the worker finished the course's run for the date (or it failed). */
async function waitForRun(courseId: string, runDate: string, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await NightlyRun.findOne({ courseId, runDate }).lean();
    if (run?.status === 'completed') return;
    if (run?.status === 'failed') throw new Error(`the nightly run of ${courseId} failed; see /admin/runs`);
    if (Date.now() > deadline) throw new Error(`the nightly run of ${courseId} did not finish within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
