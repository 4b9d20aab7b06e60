import { dayNumber } from '../../../domain/activity';
import type { ExposedContent } from '../../../experiments/ExposureBatcher';
import { log } from '../../../log';
import type { WidgetContent } from '../../../nudges/nudgeContent';
import type { NudgeCacheStore } from '../../../nudges/NudgeCacheStore';
import { PLACEMENTS, Placement } from '../../../nudges/strategies';
import { LruCache } from './LruCache';
import { presentNudge } from './presentNudge';

/** The widget API's JSON answer for one placement, with its length in bytes. */
export interface RenderedAnswer {
  body: string;
  bytes: number;
}

/** One learner's API answer for each placement, rendered once, and what exposure logging needs of their content (null when none was built). */
export interface RenderedNudge {
  exposure: ExposedContent | null;
  answers: Record<Placement, RenderedAnswer>;
}

export interface RenderedNudgeCacheOptions {
  /** Most learners kept (least recently used go first); about 1.8 KB each (measured). Default 20,000 (about 36 MB). */
  maxEntries?: number;
  /** How often the cache versions of the courses held are re-read from Redis, ms. Default 2,000. */
  versionPollMs?: number;
  /** Clock (tests). Default Date.now. */
  now?: () => number;
}

/**
 * The widget's in-process cache: each learner's rendered nudge, filed under (course, learner, UTC day, course cache
 * version), so a widget request that hits it makes no Redis or MongoDB call. A miss reads NudgeCacheStore (one Redis
 * round trip for the content and the course's version). Writers of a course's content raise its version
 * (NudgeCacheStore.bumpVersion: after every nightly refresh, experiment start or stop, and opt-out); this process
 * re-reads the versions of the courses it holds every `versionPollMs` and from then on files and finds entries under
 * the new one, so older entries are never served again and age out of the LRU. The day in the key bounds any entry's
 * life to its day. Without Redis there are no versions, so nothing is held and every request reads MongoDB.
 */
export class RenderedNudgeCache {
  private readonly lru: LruCache<string, RenderedNudge>;
  private readonly versions = new Map<string, number>();
  private readonly now: () => number;
  private readonly pollMs: number;
  private timer: NodeJS.Timeout | undefined;
  /** Hits and misses since start (the bench reports them). */
  readonly stats = { hits: 0, misses: 0 };

  constructor(
    private readonly store: NudgeCacheStore,
    options: RenderedNudgeCacheOptions = {},
  ) {
    this.lru = new LruCache(options.maxEntries ?? 20_000);
    this.pollMs = options.versionPollMs ?? 2_000;
    this.now = options.now ?? Date.now;
  }

  private key(courseId: string, learnerId: string, version: number): string {
    return `${courseId}:${learnerId}:${dayNumber(this.now())}:${version}`;
  }

  /** The learner's rendered nudge (the "nothing yet" answer when no content was built for them). */
  async get(courseId: string, learnerId: string): Promise<RenderedNudge> {
    const known = this.versions.get(courseId);
    if (known !== undefined) {
      const hit = this.lru.get(this.key(courseId, learnerId, known));
      if (hit) {
        this.stats.hits++;
        return hit;
      }
    }
    this.stats.misses++;
    const { version, content } = await this.store.getVersioned(courseId, learnerId);
    const rendered = render(content);
    if (!this.store.hasVersions) return rendered;
    const current = this.versions.get(courseId);
    if (current === undefined || version > current) this.versions.set(courseId, version);
    this.lru.set(this.key(courseId, learnerId, version), rendered);
    this.startPolling();
    return rendered;
  }

  /** Drops the learner's entry in this process (after this process rewrote their content, e.g. an opt-out). */
  forget(courseId: string, learnerId: string): void {
    const version = this.versions.get(courseId);
    if (version !== undefined) this.lru.delete(this.key(courseId, learnerId, version));
  }

  /**
   * Re-reads the cache version of every course held (one MGET). A version that went down (Redis lost the
   * counter, or this reply crossed a newer one a miss already saw) empties the whole cache: always correct.
   */
  async pollVersions(): Promise<void> {
    const courses = [...this.versions.keys()];
    const versions = await this.store.versions(courses);
    courses.forEach((courseId, i) => {
      const current = this.versions.get(courseId)!;
      if (versions[i] < current) this.lru.clear();
      if (versions[i] !== current) this.versions.set(courseId, versions[i]);
    });
  }

  private startPolling(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.pollVersions().catch((error: Error) => log.warn({ err: error.message }, 'nudge cache version poll failed'));
    }, this.pollMs);
    this.timer.unref();
  }

  /** Stops the version poll. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  get size(): number {
    return this.lru.size;
  }
}

function render(content: WidgetContent | null): RenderedNudge {
  const answers = {} as Record<Placement, RenderedAnswer>;
  for (const placement of PLACEMENTS) {
    const body = JSON.stringify(presentNudge(content, placement));
    answers[placement] = { body, bytes: Buffer.byteLength(body) };
  }
  const exposure = content && { experimentId: content.experimentId, arm: content.arm, strategy: content.strategy, optedOut: content.optedOut, messages: content.messages };
  return { exposure, answers };
}
