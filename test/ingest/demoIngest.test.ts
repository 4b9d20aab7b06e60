import http from 'node:http';
import { loadConfig } from '../../src/config';
import { ingestDemoCourse } from '../../src/ingest/demo/demoIngest';
import { createApp } from '../../src/web/app';
import { ImportRun } from '../../src/storage/models/ImportRun';
import { XapiStatement } from '../../src/storage/models/XapiStatement';
import { requireEnv, useTestDb } from '../support';
import { generate, tempDir } from './helpers';

describe('demo ingestion hook', () => {
  useTestDb();
  const dir = tempDir('demo');

  it('imports the backfill from the tracking log and pushes the rest as xAPI over HTTP', async () => {
    await generate(dir, { learners: 10, weeks: 2, seed: 9 });
    const app = createApp({ config: loadConfig({ MONGODB_URI: requireEnv('MONGODB_URI') }), checks: { mongo: async () => true, redis: async () => true } });
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const result = await ingestDemoCourse({ dir, baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}` });
      expect(result.pushed).toBeGreaterThan(0);
      expect(result.trackingLog.accepted).toBeGreaterThan(0);
      expect(await XapiStatement.countDocuments({ agg: true })).toBe(result.pushed);
      const formats = (await ImportRun.find({}).lean()).map((r) => `${r.source}:${r.format}`).sort();
      expect(formats).toEqual(['file:roster', 'file:tracking-log', 'push:xapi']);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
