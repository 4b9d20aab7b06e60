import type { DailyActivity } from '../../src/domain/activity';
import { OverviewAccumulator, busiestHour, engagementAgainstOutcome } from '../../src/insights/overview/overviewAccumulator';

const START = 20122; // 2025-02-03, a Monday (UTC day number)
const H = 3_600_000;
const day = (d: number, fields: Partial<DailyActivity>): DailyActivity => ({ day: d, counts: {}, videoSeconds: 0, problemsAttempted: 0, problemsCorrect: 0, sessions: 1, timeOnTask: 0, longestSession: 0, ...fields });

describe('overview figures on a hand-computed fixture', () => {
  // Two weeks, as of day 13 (second Sunday). Course time zone New York (UTC-5 in February).
  const window = { startDay: START, weeks: 2, asOfDay: START + 13 };
  const acc = new OverviewAccumulator(window, 'America/New_York');
  // A: week 0 twice and week 1 once; answers in the last 7 days; on track.
  acc.add('A', [
    day(START, { counts: { video: 4, problem: 2 }, hours: { '14': 6 } }),
    day(START + 2, { counts: { forum: 3 }, hours: { '3': 3 } }),
    day(START + 9, { counts: { problem: 5 }, problemsAttempted: 2, hours: { '14': 5 } }),
  ], true);
  // B: week 1 only, active but no answers; no hour counts stored (placed from first/last event).
  acc.add('B', [day(START + 8, { counts: { video: 2 }, firstEventAt: (START + 8) * 86_400_000 + 15 * H, lastEventAt: (START + 8) * 86_400_000 + 17 * H })], false);
  // C: enrolment only (not activity), and one day after the as-of date (ignored).
  acc.add('C', [day(START, { counts: { enrollment: 1 } }), day(START + 20, { counts: { video: 9 } })], false);
  const result = acc.result(5);

  it('counts weekly active learners and the activity mix', () => {
    expect(result.weeklyActive).toEqual([1, 2]);
    expect(result.mix.video).toEqual([4, 2]);
    expect(result.mix.problem).toEqual([2, 5]);
    expect(result.mix.forum).toEqual([3, 0]);
  });

  it('places events by local weekday and hour', () => {
    // 14:00 UTC Monday -> 09:00 Monday in New York; 03:00 UTC Wednesday -> 22:00 Tuesday.
    expect(result.heatmap[0][9]).toBe(6 + 0);
    expect(result.heatmap[1][22]).toBe(3);
    // Day START+9 is a Wednesday: 14:00 UTC -> 09:00 Wednesday.
    expect(result.heatmap[2][9]).toBe(5);
    // B: Tuesday 15:00 and 17:00 UTC -> 10:00 and 12:00 local, one event each.
    expect(result.heatmap[1][10]).toBe(1);
    expect(result.heatmap[1][12]).toBe(1);
    expect(result.heatmapEstimatedShare).toBe(Math.round((2 / 16) * 1000) / 1000);
    expect(busiestHour(result.heatmap)).toEqual({ weekday: 0, hour: 9, events: 6 });
  });

  it('builds the nested funnel', () => {
    expect(result.funnel).toEqual({ enrolled: 5, activeThisWeek: 2, submittingWork: 1, onTrack: 1 });
  });

  it('bins engagement against outcome', () => {
    expect(result.activeDaysByLearner.get('A')).toBe(3);
    const bins = engagementAgainstOutcome([
      { activeDays: 0, completed: false },
      { activeDays: 3, completed: false },
      { activeDays: 4, completed: true },
      { activeDays: 25, completed: true },
    ]);
    expect(bins.map((b) => [b.bin, b.learners, b.completionRate])).toEqual([
      ['0', 1, 0],
      ['1-2', 0, null],
      ['3-5', 2, 0.5],
      ['6-10', 0, null],
      ['11-20', 0, null],
      ['21+', 1, 1],
    ]);
  });

  it('rejects an unknown time zone with a plain message', () => {
    expect(() => new OverviewAccumulator(window, 'Mars/Olympus')).toThrow('"Mars/Olympus" is not an IANA time zone');
  });
});
