import fs from 'node:fs';
import { generateCourse } from '../../src/generator';
import { matchesAudience } from '../../src/messaging/audience';
import { AUDIENCE_PRESETS } from '../../src/messaging/presets';
import { initBackend } from '../../src/models/backend';
import type { Outcome } from '../../src/models/Predictor';
import { deserializePredictor } from '../../src/models/serialize';
import { defaultModelPath, OUTCOMES } from '../../src/registry/defaultModels';
import { loadGeneratedCourse, snapshotInput, type GeneratedLearnerData } from '../../src/scoring/generatedCourseData';
import { dayNumber } from '../../src/domain/activity';
import { tempDir } from '../generator/helpers';

/**
 * The dashboard's presets on a generated course in progress, scored by the shipped default models as the
 * first nightly run would score it: the demo course's shape (400 learners, 8 weeks, 6 elapsed).
 */
describe('audience presets on a generated course scored by the default models', () => {
  const dir = tempDir('presets');
  const asOf = '2025-03-17';
  let scored: Array<GeneratedLearnerData & Record<Outcome, number>>;

  beforeAll(async () => {
    await initBackend();
    await generateCourse({ platform: 'openedx', learners: 400, weeks: 8, seed: 'keepup-demo', start: '2025-02-03', asOf, out: dir, xapi: false });
    const course = await loadGeneratedCourse(dir);
    const asOfDay = dayNumber(new Date(`${asOf}T00:00:00Z`)) - 1;
    const enrolled = course.learners.filter((l) => l.enrolledDay <= asOfDay);
    const probabilities = {} as Record<Outcome, Float64Array>;
    for (const outcome of OUTCOMES) {
      const predictor = await deserializePredictor(fs.readFileSync(defaultModelPath(outcome)));
      probabilities[outcome] = await predictor.predictCourse(snapshotInput(course, asOfDay, outcome));
      predictor.dispose();
    }
    scored = enrolled.map((l, i) => ({ ...l, dropout: probabilities.dropout[i], completion: probabilities.completion[i], certificate: probabilities.certificate[i] }));
  }, 180_000);

  const group = (id: string) => {
    const preset = AUDIENCE_PRESETS.find((p) => p.id === id)!;
    return scored.filter((l) => matchesAudience({ learnerId: undefined as never, dropout: l.dropout, completion: l.completion, certificate: l.certificate }, preset.audience));
  };

  it('"Likely to complete but not earn a certificate" selects learners who keep up but fall short of the passing grade', () => {
    const learners = group('complete-no-certificate');
    expect(learners.length).toBeGreaterThanOrEqual(8);
    for (const l of learners) {
      expect(l.completion).toBeGreaterThanOrEqual(0.6);
      expect(l.certificate).toBeLessThanOrEqual(0.4);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(learners.map((l) => l.completion))).toBeGreaterThan(0.75);
    expect(mean(learners.map((l) => l.certificate))).toBeLessThan(0.25);
    const completed = learners.filter((l) => l.truth.completion).length;
    const passed = learners.filter((l) => l.truth.passed).length;
    expect(completed / learners.length).toBeGreaterThan(0.6);
    expect(passed / learners.length).toBeLessThan(0.15);
  });

  it('keeps the completion and certificate predictions apart (not one score twice)', () => {
    const n = scored.length;
    const mc = scored.reduce((s, l) => s + l.completion, 0) / n;
    const mk = scored.reduce((s, l) => s + l.certificate, 0) / n;
    let cov = 0;
    let vc = 0;
    let vk = 0;
    for (const l of scored) {
      cov += (l.completion - mc) * (l.certificate - mk);
      vc += (l.completion - mc) ** 2;
      vk += (l.certificate - mk) ** 2;
    }
    expect(cov / Math.sqrt(vc * vk)).toBeLessThan(0.93);
    expect(group('strong-certificate').every((l) => l.completion > 0.5)).toBe(true);
  });
});
