import { initBackend } from '../../src/models/backend';
import { KDD_TABLE_SPEC, kddCourseInputs, loadKddDaily } from '../../src/models/KddDailyDataset';
import { buildModelData } from '../../src/models/ModelData';
import { deserializePredictor } from '../../src/models/serialize';
import { trainInWorker } from '../../src/models/trainWorker';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KDD_DAILY_DIR } from '../sharedData';

const DATA = KDD_DAILY_DIR;

describe('trainInWorker', () => {
  it('trains on a worker thread while the event loop keeps running, and returns a loadable model', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kdd-worker-'));
    for (const f of ['course_645.csv', 'course_769.csv', 'labels.csv']) fs.symlinkSync(path.join(DATA, f), path.join(dir, f));
    const courses = kddCourseInputs(loadKddDaily(dir).courses);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const progress: string[] = [];
    const { model, report } = await trainInWorker({ courses, spec: KDD_TABLE_SPEC, options: { kind: 'lr', folds: 2, training: { lr: { epochs: 2 } } } }, (m) => progress.push(m));
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(5);
    expect(report.chosen).toBe('lr');
    expect(progress[0]).toMatch(/^lr: out-of-fold AUC 0\.\d{4} in \d+\.\d s$/);
    await initBackend();
    const predictor = await deserializePredictor(model);
    const probs = await predictor.predict(buildModelData(courses, KDD_TABLE_SPEC));
    expect(probs).toHaveLength(645 + 769);
    expect(probs.every((p) => p > 0 && p < 1)).toBe(true);
    predictor.dispose();
  });
});
