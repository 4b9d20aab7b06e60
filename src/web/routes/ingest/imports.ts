import { Router } from 'express';
import { z } from 'zod';
import { recentImportRuns } from '../../../ingest/importRunsView';
import { requireAdmin } from '../../auth/adminSession';
import type { AppDeps } from '../../app';

const query = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

/** `GET /admin/imports`: recent import runs with their counts (admins only; JSON). */
export function importRunRoutes(_deps: AppDeps): Router {
  const router = Router();
  router.get('/admin/imports', requireAdmin, async (req, res) => {
    const { limit } = query.parse(req.query);
    res.json({ runs: await recentImportRuns(limit) });
  });
  return router;
}
