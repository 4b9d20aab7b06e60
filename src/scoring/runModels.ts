import { activeVersion, loadPredictor } from '../registry/modelRegistry';
import { installDefaultModels } from '../registry/defaultModels';
import { NightlyRun, type NightlyRunDoc } from '../storage/models/NightlyRun';
import { OUTCOME_ORDER, type OutcomeModels } from './scorePartition';
import type { RunCourse } from './runState';

/**
 * The models a run scores with. The first partition to ask fixes the versions on the run (so every
 * partition, and a resumed run, uses the same ones even if a new model is promoted meanwhile); the shipped
 * defaults are installed on first use.
 */
export async function runModels(run: NightlyRunDoc, course: RunCourse): Promise<OutcomeModels> {
  const fixed = run.modelVersions as Partial<Record<string, string>> | undefined;
  const versions: Record<string, string> = {};
  for (const outcome of OUTCOME_ORDER) {
    if (fixed?.[outcome]) {
      versions[outcome] = fixed[outcome]!;
      continue;
    }
    let active = await activeVersion(outcome, course);
    if (!active) {
      await installDefaultModels();
      active = await activeVersion(outcome, course);
    }
    if (!active) throw new Error(`no ${outcome} model is available`);
    versions[outcome] = active._id;
  }
  if (!fixed?.dropout) {
    await NightlyRun.updateOne({ _id: run._id, 'modelVersions.dropout': { $exists: false } }, { $set: { modelVersions: versions } });
    const stored = (await NightlyRun.findById(run._id, { modelVersions: 1 }).lean())?.modelVersions as Record<string, string> | undefined;
    if (stored?.dropout) Object.assign(versions, stored);
  }
  const out = {} as OutcomeModels;
  for (const outcome of OUTCOME_ORDER) out[outcome] = { version: versions[outcome], predictor: await loadPredictor(versions[outcome]) };
  return out;
}
