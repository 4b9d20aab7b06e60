import { dayNumber, type ActivityEvent, type ActivitySource, type Platform } from '../domain/activity';
import { ContentVisitWeek } from '../storage/models/ContentVisitWeek';
import { ContentVisitCounter } from './contentVisitCounter';
import { ContributionWriter, contributionDoc } from './contributionWriter';
import { CourseResolver } from './courseResolver';
import { DayAggregator } from './dayAggregator';
import { weekOfDay, type DayEntry } from './dayEntry';
import { ImportStats, type RejectReason } from './importStats';
import { LearnerDirectory, type LearnerKeyType } from './learnerDirectory';
import { RawArchiveWriter } from './rawArchive';

export interface IngestSessionOptions {
  source: ActivitySource;
  platform: Platform;
  /** Only events of this platform course id are kept; others are rejected as `other_course`. */
  courseFilter?: string;
  /** Course id for events that carry none. */
  defaultCourse?: string;
  /** Parse and count only; nothing is written. Default false. */
  dryRun?: boolean;
  /** Learner-days held in memory before the window is written out (smaller windows let writes overlap parsing). Default 25,000. */
  windowLearnerDays?: number;
  /** Tenant new courses are created under. Default `local`. */
  tenant?: string;
  /** Archive the raw record of every accepted event (see rawArchive.ts). Ignored on a dry run. Default false. */
  archiveRaw?: boolean;
}

/**
 * Where normalized events go: resolves course and learner, folds events into day entries over a
 * bounded window, and writes each window as contributions keyed `<contribution prefix>w<window>`.
 * Shared by every file format, the push endpoints and the pull connectors.
 */
export class IngestSession {
  readonly stats = new ImportStats();
  readonly courses: CourseResolver;
  readonly courseIds = new Set<string>();
  private readonly directories = new Map<string, LearnerDirectory>();
  private readonly aggregator = new DayAggregator();
  private readonly writer: ContributionWriter;
  /** Visits per (course, ISO week, objectId), written with each window (insights: most and least visited content). */
  private readonly visits = new ContentVisitCounter();
  private readonly visitWriter: ContributionWriter;
  private prefix = 'k';
  private window = 0;
  private writing = true;
  private readonly windowLimit: number;
  /** Raw-event archive, when on. */
  private readonly archive?: RawArchiveWriter;

  constructor(readonly options: IngestSessionOptions) {
    this.courses = new CourseResolver({ platform: options.platform, tenant: options.tenant, dryRun: options.dryRun });
    this.writer = new ContributionWriter({ dryRun: options.dryRun });
    this.visitWriter = new ContributionWriter({ dryRun: options.dryRun, collection: ContentVisitWeek.collection });
    this.windowLimit = options.windowLearnerDays ?? 25_000;
    if (options.archiveRaw && !options.dryRun) this.archive = new RawArchiveWriter(options.source);
  }

  /** True when `add` stores the raw records it is given (callers skip building one otherwise). */
  get archiving(): boolean {
    return !!this.archive && this.writing;
  }

  /** Raw records archived, and those already archived (a replay); undefined when the archive is off. */
  get archived(): { written: number; duplicates: number } | undefined {
    return this.archive?.counts;
  }

  /** Contribution documents written so far, and those that were already stored (replays). */
  get written(): { written: number; duplicates: number } {
    return { written: this.writer.written, duplicates: this.writer.duplicates };
  }

  /**
   * Starts a new contribution (a file, a batch): writes out the current window, then keys what
   * follows `<prefix>w<n>`. With `write: false` events are counted but not stored (a replayed file).
   */
  async beginContribution(prefix: string, write = true): Promise<void> {
    await this.flushWindow();
    this.prefix = prefix;
    this.window = 0;
    this.writing = write;
  }

  /** Counts a record that could not be used. */
  reject(reason: RejectReason, count = 1): void {
    this.stats.reject(reason, count);
  }

  /**
   * Adds one event; returns a promise only when it had to wait (new course, full window, archive
   * behind). `raw`, the record as received, is archived when the event is accepted and the archive is on.
   */
  add(event: ActivityEvent, raw?: unknown): void | Promise<void> {
    const externalCourse = event.courseId || this.options.defaultCourse;
    if (!externalCourse) return this.stats.reject('missing_course');
    if (this.options.courseFilter && externalCourse !== this.options.courseFilter) return this.stats.reject('other_course');
    const courseId = this.courses.cached(externalCourse);
    const directory = courseId ? this.directories.get(courseId) : undefined;
    if (!courseId || !directory) return this.addSlow(event, externalCourse, raw);
    const { ref, pending } = directory.resolve(event.learnerKeyType, event.learnerKey);
    if (!this.writing) {
      this.stats.accept(event.category, event.name, `${courseId}|${ref}`, dayNumber(event.time));
      return;
    }
    this.stats.accept(event.category, event.name);
    this.aggregator.add(event, courseId, ref, pending);
    this.visits.add(event, courseId, ref);
    const started = this.aggregator.started;
    if (started.length) {
      for (const { learner, day } of started) this.stats.noteDay(learner, day);
      started.length = 0;
    }
    const archiving = this.archive && raw !== undefined ? this.archive.add(courseId, event.time, raw) : undefined;
    if (this.aggregator.size >= this.windowLimit) return archiving ? archiving.then(() => this.flushWindow()) : this.flushWindow();
    return archiving;
  }

  /** Adds a whole learner-day of counts (daily-count sources). */
  async addDay(externalCourse: string, keyType: LearnerKeyType, key: string, entry: DayEntry, byCategory: Array<[ActivityEvent['category'], number]>): Promise<void> {
    const courseId = await this.course(externalCourse);
    const { ref, pending } = this.directories.get(courseId)!.resolve(keyType, key);
    this.stats.acceptDay(`${courseId}|${ref}`, entry.d, byCategory);
    if (!this.writing || !byCategory.some(([, n]) => n > 0)) return;
    this.aggregator.addDay(courseId, ref, pending, entry);
    this.aggregator.started.length = 0;
    if (this.aggregator.size >= this.windowLimit) await this.flushWindow();
  }

  /**
   * Stores one pulled fact (an enrollment, a submission attempt, a day of page views) as its own
   * contribution keyed by `factKey`, so pulling the same fact again adds nothing.
   */
  async addFact(externalCourse: string, keyType: LearnerKeyType, key: string, entry: DayEntry, factKey: string, category: ActivityEvent['category'], name: string, count = 1): Promise<void> {
    const courseId = await this.course(externalCourse);
    const { ref, pending } = this.directories.get(courseId)!.resolve(keyType, key);
    this.stats.read += count;
    this.stats.accept(category, name, `${courseId}|${ref}`, entry.d, count);
    if (!this.writing) return;
    await this.writer.add([contributionDoc({ courseId, learnerRef: ref, pending, week: weekOfDay(entry.d), entries: [entry] }, factKey)]);
  }

  /** Resolves (and caches) a platform course id and its learner directory. */
  async course(externalCourse: string): Promise<string> {
    const courseId = await this.courses.resolve(externalCourse);
    if (!this.directories.has(courseId)) this.directories.set(courseId, await LearnerDirectory.load(courseId));
    this.courseIds.add(courseId);
    return courseId;
  }

  /** The directory of a course resolved before (to register learners created during the import). */
  directory(courseId: string): LearnerDirectory | undefined {
    return this.directories.get(courseId);
  }

  private async addSlow(event: ActivityEvent, externalCourse: string, raw: unknown): Promise<void> {
    await this.course(externalCourse);
    await this.add(event, raw);
  }

  /** Writes the current window out as contributions. */
  async flushWindow(): Promise<void> {
    if (this.aggregator.size === 0) return;
    const key = `${this.prefix}w${this.window++}`;
    await this.writer.add(this.aggregator.drain().map((week) => contributionDoc(week, key)));
    await this.visitWriter.add(this.visits.drain(key));
  }

  /** Writes everything so far and waits for the database (before a pull saves its cursor). */
  async checkpoint(): Promise<void> {
    await this.finish();
  }

  /** Writes everything (the raw archive included) and waits for the database. */
  async finish(): Promise<void> {
    await this.flushWindow();
    await this.writer.flush();
    await this.visitWriter.flush();
    await this.archive?.flush();
  }
}
