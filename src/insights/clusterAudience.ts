import { LearnerCluster } from '../storage/models/LearnerCluster';

/**
 * Learner ids (hex) in one behaviour cluster of a course, from the latest insights computation: the
 * audience filter for campaigns and the stratum for experiments.
 */
export async function learnersInCluster(courseId: string, clusterId: number): Promise<string[]> {
  const docs = await LearnerCluster.find({ c: courseId, k: clusterId }).select({ l: 1 }).lean();
  return docs.map((d) => d.l);
}

/** Each learner's cluster id in a course (learner id hex -> cluster id), for stratifying experiments. */
export async function clusterOfLearners(courseId: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for await (const doc of LearnerCluster.find({ c: courseId }).select({ l: 1, k: 1 }).lean().cursor()) out.set(doc.l, doc.k);
  return out;
}
