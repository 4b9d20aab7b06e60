import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend } from '../../src/models/backend';
import { KDD_TABLE_SPEC, kddCourseInputs, loadKddDaily } from '../../src/models/KddDailyDataset';
import { buildModelData, selectCourses } from '../../src/models/ModelData';
import { deserializePredictor, ModelFormatError, serializePredictor } from '../../src/models/serialize';
import { trainPredictor } from '../../src/models/trainer';
import { KDD_DAILY_DIR } from '../sharedData';

const DATA = KDD_DAILY_DIR;

/** A folder of symlinks to a few small courses plus the labels. */
function subsetDir(courses: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kdd-'));
  for (const c of [...courses.map((id) => `course_${id}.csv`), 'labels.csv']) fs.symlinkSync(path.join(DATA, c), path.join(dir, c));
  return dir;
}

describe('model serialization', () => {
  it('round-trips an ensemble of every architecture to one Buffer with identical predictions', async () => {
    await initBackend();
    const { courses } = loadKddDaily(subsetDir(['645', '769', '898']));
    const data = buildModelData(kddCourseInputs(courses), KDD_TABLE_SPEC);
    const train = selectCourses(data, ['645', '769']);
    const short = { epochs: 1 };
    const { predictor, report } = await trainPredictor(train, KDD_TABLE_SPEC, {
      kind: 'ensemble',
      folds: 2,
      training: { lr: short, mlp: short, lstm: short, cfin: short },
    });
    const test = selectCourses(data, ['898']);
    const before = await predictor.predict(test);
    const buffer = await serializePredictor(predictor);
    expect(buffer).toBeInstanceOf(Buffer);
    const restored = await deserializePredictor(buffer);
    const after = await restored.predict(test);
    expect(Array.from(after)).toEqual(Array.from(before));
    expect(restored.info.members).toEqual(report.members);
    expect(restored.calibration).toEqual(predictor.calibration);
    expect(restored.calibration.reliability).toHaveLength(15);
    expect(restored.info.trainCourses.sort()).toEqual(['645', '769']);
    const course898 = kddCourseInputs(courses).find((c) => c.courseId === '898')!;
    expect(Array.from(await restored.predictCourse(course898))).toEqual(Array.from(after));
    predictor.dispose();
    restored.dispose();
  });

  it('rejects a buffer that is not a model', async () => {
    await expect(deserializePredictor(Buffer.from('hello world'))).rejects.toThrow(ModelFormatError);
  });
});
