import { CourseInsight } from '../storage/models/CourseInsight';
import { LearnerCluster } from '../storage/models/LearnerCluster';

/** A behaviour cluster of a course's latest clustering, as an audience filter or a stratum offers it. */
export interface CourseClusterOption {
  label: string;
  description: string;
  size: number;
  dropoutRate: number;
}

/** The clusters of a course's latest insights computation (largest first); empty before the first one. */
export async function courseClusters(courseId: string): Promise<{ runDate: string | null; clusters: CourseClusterOption[] }> {
  const insight = await CourseInsight.findById(courseId).select({ runDate: 1, clusters: 1 }).lean();
  const clusters = (insight?.clusters as { clusters?: Array<{ label: string; description: string; size: number; dropoutRate: number }> } | undefined)?.clusters ?? [];
  return { runDate: insight?.runDate ?? null, clusters: clusters.map((c) => ({ label: c.label, description: c.description, size: c.size, dropoutRate: c.dropoutRate })) };
}

/** Learner ids (hex) in one behaviour cluster (by id) of the course's latest clustering. */
export async function learnersInCluster(courseId: string, clusterId: number): Promise<string[]> {
  const docs = await LearnerCluster.find({ c: courseId, k: clusterId }).select({ l: 1 }).lean();
  return docs.map((d) => d.l);
}

/**
 * Learner ids (hex) whose cluster in the course's latest clustering has one of `labels`: the campaign
 * audience filter. Read at each use, so a learner who moves to another cluster moves with it.
 */
export async function learnersInClusters(courseId: string, labels: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  if (!labels.length) return out;
  for await (const doc of LearnerCluster.find({ c: courseId, label: { $in: [...labels] } }).select({ l: 1 }).lean().cursor({ batchSize: 5000 })) out.add(doc.l);
  return out;
}

/**
 * Each learner's cluster label (learner id hex -> label), for experiment strata: the given learners
 * only (read by `_id`), or every clustered learner of the course.
 */
export async function clusterLabelsOf(courseId: string, learnerIds?: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const filter = learnerIds ? { _id: { $in: learnerIds.map((l) => `${courseId}|${l}`) } } : { c: courseId };
  for await (const doc of LearnerCluster.find(filter).select({ l: 1, label: 1 }).lean().cursor({ batchSize: 5000 })) out.set(doc.l, doc.label);
  return out;
}
