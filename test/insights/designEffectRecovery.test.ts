import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateCourse } from '../../src/generator';
import type { GenerateOptions } from '../../src/generator/options';
import { GeneratedCourseJson, generatedCourseBlocks } from '../../src/insights/demo/generatedCourseBlocks';
import { CompletionModel, CourseCompletionRow, featureImportance, fitCompletionModel, MIN_COURSES, whatIf } from '../../src/insights/design/completionModel';
import { outlineFromOpenEdxBlocks } from '../../src/insights/design/courseOutline';
import { designFeatures } from '../../src/insights/design/designFeatures';

/** Planted: interactivity raises every learner's engagement (log multiplier 3 per unit of interactive share); nothing else does. */
const PLANTED: GenerateOptions['designEffect'] = { channel: 'engagement', interactiveShare: -3 };
const COURSES = 14;
const WEEKS = 8;

/**
 * Generates one small course with the planted design effect and returns it as the course model sees
 * a course: design features from its outline (rendered as Open edX course blocks), completion from
 * the generator's ground truth.
 */
async function generatedRow(dir: string, seed: string, learners: number, levers: { interactiveShare: number; videoShare: number }): Promise<CourseCompletionRow> {
  const out = path.join(dir, seed);
  const summary = await generateCourse({
    platform: 'openedx',
    learners,
    weeks: WEEKS,
    seed,
    out,
    design: 'balanced',
    designOverrides: { ...levers, deadlineCadence: 'weekly', certificateOffered: true },
    designEffect: PLANTED,
    xapi: false,
  });
  const course = JSON.parse(await readFile(path.join(out, 'course.json'), 'utf8')) as GeneratedCourseJson;
  await rm(out, { recursive: true, force: true });
  const features = designFeatures(outlineFromOpenEdxBlocks(generatedCourseBlocks(course)), { weeks: course.weeks, certificateOffered: course.design.certificateOffered });
  return { courseId: seed, title: course.title, features, learners, completed: Math.round(summary.rates.completion * learners) };
}

describe('course design model on generated courses with a planted design effect', () => {
  let dir: string;
  let rows: CourseCompletionRow[];
  let model: CompletionModel;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'keepup-design-'));
    rows = [];
    // Interactive and video shares spread over their ranges in two unrelated orders, so they are not collinear.
    for (let i = 0; i < COURSES; i++) {
      const interactiveShare = 0.05 + (0.6 * ((i * 5) % COURSES)) / (COURSES - 1);
      const videoShare = 0.25 + (0.65 * ((i * 3) % COURSES)) / (COURSES - 1);
      rows.push(await generatedRow(dir, `design-${i}`, 150, { interactiveShare, videoShare }));
    }
    model = fitCompletionModel(rows);
  }, 240_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('has enough courses for the model', () => {
    expect(COURSES).toBeGreaterThanOrEqual(MIN_COURSES);
    expect(model.status).toBe('ok');
    expect(model.features).toContain('interactiveShare');
  });

  it('recovers the planted feature: positive weight, ranked first, interval clear of zero; the unplanted video share stays small', () => {
    const importance = featureImportance(model);
    expect(importance[0].feature).toBe('interactiveShare');
    expect(importance[0].effectPp).toBeGreaterThan(0);
    expect(importance[0].clear).toBe(true);
    const video = importance.find((f) => f.feature === 'videoShare')!;
    expect(Math.abs(video.effectPp)).toBeLessThan(0.35 * importance[0].effectPp);
    expect(video.clear).toBe(false);
  });

  it('moves the what-if in the planted direction, with roughly the size the generator produces', async () => {
    const average = rows[0].features;
    const up = whatIf(model, { ...average, interactiveShare: 0.2 }, { ...average, interactiveShare: 0.5 });
    expect(up.changePp).toBeGreaterThan(0);
    expect(up.intervalPp[0]).toBeGreaterThan(0);
    const down = whatIf(model, { ...average, interactiveShare: 0.5 }, { ...average, interactiveShare: 0.2 });
    expect(down.changePp).toBeLessThan(0);

    // The size the generator produces: the same courses (same seeds) built at two interactive shares.
    let modelled = 0;
    let simulated = 0;
    for (const seed of ['reference-a', 'reference-b']) {
      const low = await generatedRow(dir, seed, 300, { interactiveShare: 0.2, videoShare: 0.55 });
      const high = await generatedRow(dir, seed, 300, { interactiveShare: 0.5, videoShare: 0.55 });
      simulated += (100 * (high.completed - low.completed)) / 300;
      modelled += whatIf(model, low.features, { ...low.features, interactiveShare: high.features.interactiveShare }).changePp;
    }
    expect(simulated).toBeGreaterThan(0);
    expect(modelled / simulated).toBeGreaterThan(0.35);
    expect(modelled / simulated).toBeLessThan(2);
  }, 120_000);
});
