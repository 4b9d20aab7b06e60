import type { RequestHandler } from 'express';
import rateLimit from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { ExposureBatcher, ExposureBatcherOptions } from '../../../experiments/ExposureBatcher';
import { NudgeCacheStore } from '../../../nudges/NudgeCacheStore';
import { RenderedNudgeCache, RenderedNudgeCacheOptions } from './RenderedNudgeCache';

/**
 * The widget's in-process state in one web process: the rendered-nudge cache, the exposure batcher and the
 * per-learner rate limit every widget route shares (300 requests a minute). The web server builds one and closes it
 * on shutdown, after the last request, so every recorded exposure is written.
 */
export class WidgetRuntime {
  readonly nudges: RenderedNudgeCache;
  readonly exposures: ExposureBatcher;
  /** Per (course, learner) of the session; mount after requireSession. */
  readonly limiter: RequestHandler;

  constructor(props: { redis?: Redis; prefix?: string; cache?: RenderedNudgeCacheOptions; exposures?: ExposureBatcherOptions }) {
    this.nudges = new RenderedNudgeCache(new NudgeCacheStore(props.redis, props.prefix ?? 'keepup'), props.cache);
    this.exposures = new ExposureBatcher(props.exposures);
    this.limiter = rateLimit({ windowMs: 60_000, limit: 300, standardHeaders: 'draft-7', legacyHeaders: false, keyGenerator: (req) => `${req.session?.courseId}:${req.session?.learnerId}` });
  }

  /** Stops the cache's version poll and writes the exposures still pending. */
  async close(): Promise<void> {
    this.nudges.stop();
    await this.exposures.close();
  }
}
