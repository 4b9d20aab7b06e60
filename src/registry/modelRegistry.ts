import crypto from 'node:crypto';
import { initBackend } from '../models/backend';
import type { Outcome, Predictor } from '../models/Predictor';
import type { ReliabilityBin } from '../models/metrics';
import { deserializePredictor, readModelRecord } from '../models/serialize';
import { ModelVersion, type ModelVersionDoc } from '../storage/models/ModelVersion';

/** Where a model applies: the shipped default, every course of a platform, or one course. */
export interface ModelScope {
  scope: 'default' | 'platform' | 'course';
  /** `default`, the platform name, or the course `_id` (hex). */
  key: string;
}

/** A candidate for the registry. */
export interface ModelCandidate extends ModelScope {
  outcome: Outcome;
  buffer: Buffer;
  architecture: string;
  members?: string[];
  /** Validation figures of the candidate (out-of-fold, calibrated). */
  metrics: { auc: number; ece?: number; brier?: number; rows?: number };
  trainingWindow?: { from?: string; to?: string; courses?: string[]; rows?: number };
  /**
   * AUC of the version it would replace, measured on the candidate's own validation rows. Omit when there
   * is nothing comparable (no active version in this scope, or the shipped default being installed).
   */
  incumbentAuc?: number;
}

/** What `register` decided. */
export interface RegistrationResult {
  version: string;
  promoted: boolean;
  reason: string;
}

/**
 * Adds a candidate version and applies the promotion rule: it becomes the active version of its
 * (outcome, scope) only if it does at least as well on validation as the active one it would replace
 * (AUC on the same validation rows, ties going to the newcomer); otherwise it is kept as `rejected`.
 * Activating is two idempotent writes (retire others, then activate), so a crash in between leaves
 * no active version, and `activeVersion` falls back to the next wider scope until the retry finishes.
 */
export async function registerModel(candidate: ModelCandidate): Promise<RegistrationResult> {
  const sha256 = crypto.createHash('sha256').update(candidate.buffer).digest('hex');
  const version = `${candidate.outcome}-${candidate.scope}-${candidate.scope === 'default' ? 'default' : candidate.key.slice(-8)}-${sha256.slice(0, 12)}`;
  const active = await ModelVersion.findOne({ outcome: candidate.outcome, scope: candidate.scope, scopeKey: candidate.key, status: 'active' }, { buffer: 0 }).lean<ModelVersionDoc>();
  let promoted = true;
  let reason = active ? 'replaces the active version' : 'first version in this scope';
  if (active && active._id === version) return { version, promoted: true, reason: 'already the active version' };
  if (active && candidate.incumbentAuc !== undefined) {
    promoted = candidate.metrics.auc >= candidate.incumbentAuc;
    reason = promoted
      ? `validation AUC ${candidate.metrics.auc.toFixed(4)} >= active ${candidate.incumbentAuc.toFixed(4)}`
      : `validation AUC ${candidate.metrics.auc.toFixed(4)} < active ${candidate.incumbentAuc.toFixed(4)}`;
  }
  await upsertVersion(
    { _id: version },
    {
      $setOnInsert: {
        outcome: candidate.outcome,
        scope: candidate.scope,
        scopeKey: candidate.key,
        architecture: candidate.architecture,
        members: candidate.members ?? [],
        buffer: candidate.buffer,
        sha256,
        metrics: candidate.metrics,
        comparedWith: active ? { version: active._id, auc: candidate.incumbentAuc } : undefined,
        trainingWindow: candidate.trainingWindow ?? {},
        createdAt: new Date(),
      },
      $set: { status: promoted ? 'active' : 'rejected', reason, ...storedRecord(candidate.buffer) },
    },
  );
  if (promoted) {
    await ModelVersion.updateMany({ outcome: candidate.outcome, scope: candidate.scope, scopeKey: candidate.key, status: 'active', _id: { $ne: version } }, { $set: { status: 'retired' } });
  }
  return { version, promoted, reason };
}

/**
 * The active version for an outcome in a course: the course's own model, else its platform's, else the
 * shipped default. Returns undefined when there is none at all (call `installDefaultModels` first).
 */
export async function activeVersion(outcome: Outcome, course: { courseId: string; platform?: string }): Promise<ModelVersionDoc | undefined> {
  const scopes: ModelScope[] = [{ scope: 'course', key: course.courseId }, ...(course.platform ? [{ scope: 'platform' as const, key: course.platform }] : []), { scope: 'default', key: 'default' }];
  for (const s of scopes) {
    const doc = await ModelVersion.findOne({ outcome, scope: s.scope, scopeKey: s.key, status: 'active' }, { buffer: 0 }).lean<ModelVersionDoc>();
    if (doc) return doc;
  }
  return undefined;
}

/**
 * The stored versions (without their buffers) for a model card. A version registered before versions kept
 * their reliability diagram gets it from its own buffer here, stored once.
 */
export async function modelVersionsFor(versions: string[]): Promise<ModelVersionDoc[]> {
  if (!versions.length) return [];
  const docs = await ModelVersion.find({ _id: { $in: versions } }, { buffer: 0 }).lean<ModelVersionDoc[]>();
  for (const doc of docs) {
    if (doc.reliability?.length) continue;
    const stored = await ModelVersion.findById(doc._id, { buffer: 1 }).lean<{ buffer: unknown }>();
    if (!stored) continue;
    const record = storedRecord(toBuffer(stored.buffer));
    await ModelVersion.updateOne({ _id: doc._id }, { $set: record });
    Object.assign(doc, record);
  }
  return docs;
}

/** The reliability diagram and training time a model buffer carries, for the model card. */
function storedRecord(buffer: Buffer): { reliability: ReliabilityBin[]; trainedAt: Date } {
  const { info, calibration } = readModelRecord(buffer);
  return { reliability: calibration.reliability, trainedAt: new Date(info.trainedAt) };
}

/** Upserts a version; two processes registering the same version at once race on the insert, and the loser retries as an update. */
async function upsertVersion(filter: { _id: string }, update: Record<string, unknown>): Promise<void> {
  try {
    await ModelVersion.updateOne(filter, update, { upsert: true });
  } catch (error) {
    if ((error as { code?: number }).code !== 11000) throw error;
    await ModelVersion.updateOne(filter, update);
  }
}

const loaded = new Map<string, Promise<Predictor>>();

/** Loads (once per process) the predictor of a stored version. */
export function loadPredictor(version: string): Promise<Predictor> {
  let predictor = loaded.get(version);
  if (!predictor) {
    predictor = (async () => {
      await initBackend();
      const doc = await ModelVersion.findById(version, { buffer: 1 }).lean<{ buffer: { buffer?: ArrayBuffer } | Buffer }>();
      if (!doc) throw new Error(`model version ${version} is not in the registry`);
      return deserializePredictor(toBuffer(doc.buffer));
    })();
    predictor.catch(() => loaded.delete(version));
    loaded.set(version, predictor);
  }
  return predictor;
}

/** Frees every cached predictor (tests, shutdown). */
export async function unloadPredictors(): Promise<void> {
  const all = [...loaded.values()];
  loaded.clear();
  for (const p of all) (await p.catch(() => undefined))?.dispose();
}

/** A stored binary as a Node Buffer (lean documents give a BSON Binary). */
export function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  const binary = value as { buffer?: Uint8Array | ArrayBuffer; value?: (asRaw: boolean) => Uint8Array };
  if (binary.buffer instanceof Uint8Array) return Buffer.from(binary.buffer.buffer, binary.buffer.byteOffset, binary.buffer.byteLength);
  if (binary.buffer instanceof ArrayBuffer) return Buffer.from(binary.buffer);
  throw new Error('stored model is not binary data');
}
