import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { computeCourseInsights } from '../../src/insights/computeCourseInsights';
import { installInsightsDemo, InstalledDemoCourse } from '../../src/insights/demo/installDemoCourses';
import { readCourseActivity } from '../../src/ingest/activityReader';
import { CourseInsight } from '../../src/storage/models/CourseInsight';
import { LearnerCluster } from '../../src/storage/models/LearnerCluster';
import { useTestDb } from '../support';

const DAY_MS = 86_400_000;

describe('recomputing a course\'s insights (the nightly run computes them again every night)', () => {
  useTestDb();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'insights-rerun-'));
  let courses: InstalledDemoCourse[];

  beforeAll(async () => {
    courses = await installInsightsDemo({ dir, finishedCourses: 8, learners: 80, currentLearners: 200, seed: 'insights-rerun' });
  }, 240_000);

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const membersByCluster = async (courseId: string) => {
    const out: Record<string, number> = {};
    for await (const doc of LearnerCluster.find({ c: courseId }).select({ label: 1 }).lean().cursor()) out[doc.label] = (out[doc.label] ?? 0) + 1;
    return out;
  };

  it('a second and third run with the other courses present finish with the same clusters and learners', async () => {
    const current = courses.find((c) => c.inProgress)!;
    const asOf = new Date(Date.parse('2025-02-03T00:00:00Z') + 5 * 7 * DAY_MS - DAY_MS);
    const first = await membersByCluster(current.courseId);
    for (const runDate of ['2025-03-09', '2025-03-09', '2025-03-10']) {
      const again = await computeCourseInsights(current.courseId, { readActivity: readCourseActivity, asOf, runDate });
      expect(again.learners).toBe(current.summary.learners);
      expect(again.clusters).toBe(current.summary.clusters);
      expect(again.designStatus).toBe('ok');
      expect(await LearnerCluster.countDocuments({ c: current.courseId })).toBe(current.summary.learners);
      expect(await LearnerCluster.countDocuments({ c: current.courseId, runDate: { $ne: runDate } })).toBe(0);
      expect(await membersByCluster(current.courseId)).toEqual(first);
      expect(((await CourseInsight.findById(current.courseId).lean()) as { runDate: string }).runDate).toBe(runDate);
    }
  }, 180_000);
});
