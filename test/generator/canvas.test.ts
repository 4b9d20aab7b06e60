import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { generateCourse } from '../../src/generator';
import { readJsonLines, tempDir } from './helpers';

/** Category of a Canvas live event per docs/generator.md. */
function category(e: { metadata: { event_name: string }; body: Record<string, any> }): string {
  switch (e.metadata.event_name) {
    case 'enrollment_created':
      return 'enrollment';
    case 'submission_created':
      return 'problem';
    case 'discussion_topic_created':
    case 'discussion_entry_created':
      return 'forum';
    default:
      return { attachment: 'video', 'quizzes:quiz': 'problem', discussion_topic: 'forum' }[e.body.asset_type as string] ?? (e.body.asset_subtype === 'modules' ? 'navigate' : 'access');
  }
}

describe('generateCourse (canvas)', () => {
  const dir = tempDir('canvas');

  it('writes Canvas live events, REST objects and truth that agree with each other', async () => {
    const summary = await generateCourse({ platform: 'canvas', learners: 60, weeks: 3, seed: 'canvas', out: dir });
    expect(readdirSync(path.join(dir, 'canvas')).sort()).toEqual(['analytics_student_summaries.json', 'assignments.json', 'enrollments.json', 'live_events.jsonl.gz', 'submissions.jsonl.gz']);
    const live = readJsonLines(path.join(dir, 'canvas/live_events.jsonl.gz'));
    const roster = readJsonLines(path.join(dir, 'roster.jsonl'));
    const byCanvasId = new Map(roster.map((r) => [String(r.canvasUserId), r]));
    for (const e of live) {
      expect(e.metadata).toMatchObject({ producer: 'canvas', context_type: 'Course', context_id: String(summary.canvasCourseId), event_time: expect.stringMatching(/Z$/) });
      expect(byCanvasId.has(e.metadata.user_id)).toBe(true);
    }

    const rows = new Map<string, { counts: Record<string, number>; sessions: number; problemsAttempted: number }>();
    const sessions = new Set<string>();
    for (const e of live) {
      const key = `${e.metadata.user_id}|${Math.floor(Date.parse(e.metadata.event_time) / 86_400_000)}`;
      const row = rows.get(key) ?? { counts: {}, sessions: 0, problemsAttempted: 0 };
      rows.set(key, row);
      const cat = category(e);
      row.counts[cat] = (row.counts[cat] ?? 0) + 1;
      if (e.metadata.event_name === 'submission_created') row.problemsAttempted++;
      if (!sessions.has(e.metadata.session_id)) {
        sessions.add(e.metadata.session_id);
        row.sessions++;
      }
    }
    const daily = readJsonLines(path.join(dir, 'truth_daily.jsonl.gz'));
    expect(daily.length).toBe(rows.size);
    for (const row of daily) {
      const want = rows.get(`${row.canvasUserId}|${row.day}`)!;
      expect(row.counts).toEqual(want.counts);
      expect(row.sessions).toBe(want.sessions);
      expect(row.problemsAttempted).toBe(want.problemsAttempted);
      expect(row.videoSeconds).toBe(0);
    }

    const assignments = JSON.parse(readFileSync(path.join(dir, 'canvas/assignments.json'), 'utf8'));
    const submissions = readJsonLines(path.join(dir, 'canvas/submissions.jsonl.gz'));
    expect(submissions.length).toBe(assignments.length * 60);
    const assignmentIds = new Set(assignments.map((a: { id: number }) => a.id));
    for (const s of submissions) {
      expect(assignmentIds.has(s.assignment_id)).toBe(true);
      expect(['graded', 'unsubmitted']).toContain(s.workflow_state);
      if (s.workflow_state === 'graded') expect(s).toMatchObject({ submitted_at: expect.any(String), score: expect.any(Number), attempt: expect.any(Number), late: expect.any(Boolean) });
    }
    const created = live.filter((e) => e.metadata.event_name === 'submission_created');
    expect(submissions.reduce((n, s) => n + (s.attempt ?? 0), 0)).toBe(created.length);

    const enrollments = JSON.parse(readFileSync(path.join(dir, 'canvas/enrollments.json'), 'utf8'));
    expect(enrollments).toHaveLength(60);
    const truth = readJsonLines(path.join(dir, 'truth.jsonl'));
    enrollments.forEach((e: Record<string, any>, i: number) => {
      expect(e).toMatchObject({ user_id: roster[i].canvasUserId, course_id: summary.canvasCourseId, type: 'StudentEnrollment', enrollment_state: 'active', total_activity_time: expect.any(Number) });
      expect(e.grades.final_score).toBeCloseTo(truth[i].finalGrade * 100, 0);
      const last = live.filter((l) => l.metadata.user_id === String(e.user_id)).pop();
      expect(e.last_activity_at).toBe(last ? last.metadata.event_time : null);
    });
    const summaries = JSON.parse(readFileSync(path.join(dir, 'canvas/analytics_student_summaries.json'), 'utf8'));
    expect(summaries[0]).toEqual({ id: roster[0].canvasUserId, page_views: expect.any(Number), page_views_level: expect.any(Number), participations: expect.any(Number), participations_level: expect.any(Number), tardiness_breakdown: { total: assignments.length, on_time: expect.any(Number), late: expect.any(Number), missing: expect.any(Number), floating: 0 } });
  });

  it('refuses --as-of for Canvas with a clear message', async () => {
    await expect(generateCourse({ platform: 'canvas', learners: 2, weeks: 2, seed: 1, out: path.join(dir, 'x'), asOf: '2025-02-10' })).rejects.toThrow('asOf is only supported for the openedx platform');
  });
});
