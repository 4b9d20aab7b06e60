import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../scripts/services/paths';
import { initBackend } from '../models/backend';
import type { Outcome } from '../models/Predictor';
import { deserializePredictor } from '../models/serialize';
import { ModelVersion } from '../storage/models/ModelVersion';
import { registerModel, type RegistrationResult } from './modelRegistry';

export const OUTCOMES: Outcome[] = ['dropout', 'completion', 'certificate'];

/** Folder of the models shipped with Keepup (trained by `scripts/trainDefaultModel.ts` on generated courses). */
export function defaultModelDir(): string {
  return path.join(repoRoot(), 'models', 'default');
}

/** Path of the shipped model file of an outcome. */
export function defaultModelPath(outcome: Outcome, dir = defaultModelDir()): string {
  return path.join(dir, `${outcome}.keepup`);
}

/**
 * Puts the shipped default models into the registry (scope `default`), so a course with no history of
 * its own is scored on its first night. Idempotent: a version already stored is left as it is. A shipped
 * file replaces an older shipped default outright (it was validated when it was trained).
 */
export async function installDefaultModels(dir = defaultModelDir()): Promise<Record<Outcome, RegistrationResult>> {
  await initBackend();
  const out = {} as Record<Outcome, RegistrationResult>;
  for (const outcome of OUTCOMES) {
    const file = defaultModelPath(outcome, dir);
    if (!fs.existsSync(file)) throw new Error(`the default ${outcome} model is missing: ${file} (run scripts/trainDefaultModel.ts)`);
    const buffer = fs.readFileSync(file);
    const predictor = await deserializePredictor(buffer);
    try {
      const { info } = predictor;
      out[outcome] = await registerModel({
        outcome,
        scope: 'default',
        key: 'default',
        buffer,
        architecture: info.kind,
        members: info.members,
        metrics: { auc: info.validation.auc, ece: info.validation.ece, brier: info.validation.brier, rows: info.trainRows },
        trainingWindow: { courses: info.trainCourses, rows: info.trainRows, to: info.trainedAt.slice(0, 10) },
      });
    } finally {
      predictor.dispose();
    }
  }
  return out;
}

/** True when every outcome has an active default version. */
export async function defaultModelsInstalled(): Promise<boolean> {
  const count = await ModelVersion.countDocuments({ scope: 'default', status: 'active' });
  return count >= OUTCOMES.length;
}
