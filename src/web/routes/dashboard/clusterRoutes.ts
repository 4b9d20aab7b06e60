import zlib from 'node:zlib';
import express, { Router } from 'express';
import { courseClusters } from '../../../insights/clusterAudience';
import { LearnerCluster } from '../../../storage/models/LearnerCluster';
import type { ClusterColumns } from '../../dto/dashboardColumns';
import { courseIdOf, loadCourse } from './courseAccess';

/**
 * The course's behaviour clusters for the dashboard's cluster filter: the clusters of the latest
 * clustering (label, description, size, dropout rate) and, as columns, each clustered learner's id and
 * the index of their cluster in `clusters`. Learners not clustered yet are absent.
 */
export function dashboardClusterRoutes(auth: express.RequestHandler): Router {
  const router = Router();

  router.get('/api/dashboard/courses/:courseId/clusters', auth, async (req, res) => {
    const courseId = courseIdOf(req);
    await loadCourse(courseId);
    const { runDate, clusters } = await courseClusters(String(courseId));
    const index = new Map(clusters.map((c, i) => [c.label, i]));
    const learnerId: string[] = [];
    const cluster: number[] = [];
    if (clusters.length) {
      for await (const doc of LearnerCluster.find({ c: String(courseId) }).select({ _id: 0, l: 1, label: 1 }).lean().cursor({ batchSize: 5000 })) {
        const i = index.get(doc.label);
        if (i === undefined) continue;
        learnerId.push(doc.l);
        cluster.push(i);
      }
    }
    const columns: ClusterColumns = { runDate, clusters, learnerId, cluster };
    const body = JSON.stringify(columns);
    res.setHeader('cache-control', 'private, no-cache');
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) && body.length > 4096) {
      res.setHeader('content-encoding', 'gzip');
      return res.type('application/json').send(zlib.gzipSync(body));
    }
    res.type('application/json').send(body);
  });

  return router;
}
