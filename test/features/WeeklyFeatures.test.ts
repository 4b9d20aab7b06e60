import { dailyActivity, type DailyActivity } from '../../src/domain/activity';
import { activitySequence, featureNames, learnerFeatures, type FeatureSpec } from '../../src/features/WeeklyFeatures';

const day = (d: number, counts: DailyActivity['counts']): DailyActivity => dailyActivity(d, { counts });

const spec: FeatureSpec = { channels: ['video', 'problem'], weeks: 2 };
// Window days 100..109 (indices 0..9); active on indices 1 (2 videos), 2 (3 problems), 6 (1 video, 1 problem).
const learner = [day(101, { video: 2 }), day(102, { problem: 3 }), day(106, { video: 1, problem: 1 }), day(120, { video: 9 })];
const window = { start: 100, end: 109 };

describe('learnerFeatures', () => {
  it('computes every feature of a hand-made learner', () => {
    const names = featureNames(spec);
    const values = learnerFeatures(learner, window, spec);
    const byName = Object.fromEntries(names.map((n, i) => [n, values[i]]));
    const expected: Record<string, number> = {
      video_total: Math.log1p(3),
      video_last7: Math.log1p(1),
      video_days: 2,
      video_recency: 3,
      video_share: 3 / 7,
      problem_total: Math.log1p(4),
      problem_last7: Math.log1p(1),
      problem_days: 2,
      problem_recency: 3,
      problem_share: 4 / 7,
      week0_events: Math.log1p(2),
      week0_active: 1,
      week1_events: Math.log1p(5),
      week1_active: 2,
      total_events: Math.log1p(7),
      active_days: 3,
      active_last3: 0,
      active_last14: 3,
      recency: 3,
      first_seen: 1,
      active_ratio_since_first: 1 / 3,
      max_gap: 3,
      mean_gap: 3,
      streaks: 2,
      longest_streak: 2,
      trend: Math.log1p(2) - Math.log1p((5 * 7) / 3),
      events_per_active_day: Math.log1p(7 / 3),
      last_active_events: Math.log1p(2),
      inactive: 0,
    };
    expect(Object.keys(byName)).toEqual(Object.keys(expected));
    for (const [name, value] of Object.entries(expected)) expect([name, byName[name]]).toEqual([name, expect.closeTo(value, 10)]);
  });

  it('gives an inactive learner the window length as recency and first_seen', () => {
    const byName = Object.fromEntries(featureNames(spec).map((n, i) => [n, learnerFeatures([], window, spec)[i]]));
    expect([byName.recency, byName.first_seen, byName.max_gap, byName.inactive, byName.video_recency]).toEqual([10, 10, 10, 1, 10]);
  });

  it('does not count days before a late enrolment window', () => {
    const late = learnerFeatures(learner, { start: 104, end: 109 }, spec);
    const byName = Object.fromEntries(featureNames(spec).map((n, i) => [n, late[i]]));
    expect([byName.active_days, byName.first_seen, byName.recency, byName.total_events]).toEqual([1, 2, 3, Math.log1p(2)]);
  });
});

describe('activitySequence', () => {
  it('sums periods oldest first, log-scaled, with active-day counts', () => {
    const sequence = Array.from(activitySequence(learner, window, spec, 3, 3));
    const expected = [
      [Math.log1p(2), Math.log1p(3), Math.log1p(5), 2],
      [Math.log1p(1), Math.log1p(1), Math.log1p(2), 1],
      [0, 0, 0, 0],
    ].flat();
    sequence.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 10));
  });
});
