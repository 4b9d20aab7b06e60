import type { ActivityCategory, ActivityEvent, DailyActivity } from '../../src/domain/activity';
import { buildCoursePlan, iterateLearners, CoursePlan } from '../../src/generator/coursePlan';
import type { GenerateOptions } from '../../src/generator/options';
import type { SimEvent } from '../../src/generator/simEvents';
import type { Archetype } from '../../src/generator/archetypes';
import { InsightEntryFields, insightFieldsToDaily, recordInsightExtras } from '../../src/insights/dayExtras';

const DAY_MS = 86_400_000;
const SESSION_GAP_MS = 30 * 60_000;

/** One generated learner as the insights read them: daily aggregates plus the planted archetype. */
export interface GeneratedLearnerDays {
  learnerId: string;
  archetype: Archetype;
  days: DailyActivity[];
}

/**
 * Simulates a generated course in memory and aggregates each learner's actions into DailyActivity
 * (with the insight extras), the shape ingestion stores. Test-only: lets the clustering tests run on
 * planted archetypes without writing and importing files.
 */
export function generatedCourseDays(options: Omit<GenerateOptions, 'out'>): { plan: CoursePlan; learners: GeneratedLearnerDays[] } {
  const plan = buildCoursePlan({ ...options, out: '/dev/null' } as GenerateOptions);
  const learners: GeneratedLearnerDays[] = [];
  for (const { learner, sim } of iterateLearners(plan)) {
    const days = new Map<number, DailyActivity>();
    const extras = new Map<number, InsightEntryFields>();
    let lastT = -Infinity;
    let lastSession = '';
    let sessionStartAt = 0;
    for (const e of sim.events) {
      if (e.t >= plan.writeUntil) break;
      const event = toActivityEvent(e, learner.entry.username, plan.course.courseId);
      if (!event) continue;
      const dayNo = Math.floor(e.t / DAY_MS);
      let day = days.get(dayNo);
      if (!day) {
        day = { day: dayNo, counts: {}, videoSeconds: 0, problemsAttempted: 0, problemsCorrect: 0, sessions: 0, timeOnTask: 0, longestSession: 0, firstEventAt: e.t };
        days.set(dayNo, day);
        extras.set(dayNo, {});
      }
      day.counts[event.category] = (day.counts[event.category] ?? 0) + 1;
      if (e.kind === 'video') day.videoSeconds += e.watchedSeconds;
      if (e.kind === 'problem' && e.action === 'check') {
        day.problemsAttempted++;
        if (e.correct) day.problemsCorrect++;
      }
      if (e.session !== lastSession || e.t - lastT > SESSION_GAP_MS) {
        day.sessions++;
        lastSession = e.session;
        sessionStartAt = e.t;
      } else {
        day.timeOnTask += (e.t - lastT) / 1000;
        day.longestSession = Math.max(day.longestSession, (e.t - sessionStartAt) / 1000);
      }
      lastT = e.t;
      day.lastEventAt = e.t;
      recordInsightExtras(extras.get(dayNo)!, event);
    }
    learners.push({ learnerId: learner.entry.username, archetype: learner.entry.archetype, days: [...days.values()].map((d) => ({ ...d, ...insightFieldsToDaily(extras.get(d.day)!) })) });
  }
  return { plan, learners };
}

const CATEGORY: Record<SimEvent['kind'], ActivityCategory | undefined> = {
  enroll: 'enrollment',
  anonymous_view: undefined,
  page_view: 'access',
  nav: 'navigate',
  video: 'video',
  problem: 'problem',
  forum: 'forum',
  wiki: 'wiki',
  bookmark: 'other',
  page_close: 'page_close',
};

function toActivityEvent(e: SimEvent, username: string, courseId: string): ActivityEvent | undefined {
  const category = CATEGORY[e.kind];
  if (!category || (e.kind === 'problem' && e.action === 'check_browser')) return undefined;
  const base = { platform: 'openedx' as const, source: 'tracking-log' as const, courseId, learnerKey: username, learnerKeyType: 'username' as const, time: new Date(e.t), category, name: e.kind, sessionId: e.session };
  if (e.kind === 'video') return { ...base, objectId: e.video.id, details: { kind: 'video', action: e.action, position: e.position, watchedSeconds: e.watchedSeconds } };
  if (e.kind === 'problem') return { ...base, objectId: e.problem.id, details: { kind: 'problem', action: e.action, success: e.correct, attempts: e.attempts } };
  if (e.kind === 'forum') return { ...base, details: { kind: 'forum', action: e.action } };
  return base;
}
