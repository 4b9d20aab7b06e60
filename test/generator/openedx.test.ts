import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { generateCourse, GeneratedCourseSummary, trackingLogLines, writeTrackingLog } from '../../src/generator';
import { readLines } from './helpers';
import { readJsonLines, tempDir } from './helpers';

const OPTIONS = { platform: 'openedx' as const, learners: 80, weeks: 4, seed: 7 };
const VIDEO_TYPES = new Set(['load_video', 'play_video', 'pause_video', 'seek_video', 'stop_video', 'edx.video.loaded', 'edx.video.played', 'edx.video.paused', 'edx.video.position.changed', 'edx.video.stopped']);

/** Category of an event type per docs/generator.md, written out independently of the generator's table. */
function category(eventType: string): string {
  if (eventType.startsWith('/')) return eventType.includes('/wiki/') ? 'wiki' : 'access';
  if (VIDEO_TYPES.has(eventType)) return 'video';
  if (eventType === 'problem_check' || eventType === 'showanswer') return 'problem';
  if (eventType.startsWith('edx.forum.')) return 'forum';
  if (eventType.startsWith('edx.ui.lms.') || eventType.startsWith('seq_')) return 'navigate';
  if (eventType === 'page_close') return 'page_close';
  if (eventType === 'edx.course.enrollment.activated') return 'enrollment';
  return 'other';
}

/** Recomputes truth_daily rows from tracking-log lines alone. */
function recomputeDaily(lines: Array<Record<string, any>>): Map<string, Record<string, any>> {
  const rows = new Map<string, Record<string, any>>();
  const seenSessions = new Set<string>();
  const open = new Map<string, number>();
  for (const e of lines) {
    if (e.username === '') continue;
    const t = Date.parse(e.time);
    const day = Math.floor(t / 86_400_000);
    const key = `${e.username}|${day}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { counts: {}, videoSeconds: 0, problemsAttempted: 0, problemsCorrect: 0, sessions: 0 }));
    const cat = category(e.event_type);
    row.counts[cat] = (row.counts[cat] ?? 0) + 1;
    if (!seenSessions.has(`${e.username}|${e.session}`)) {
      seenSessions.add(`${e.username}|${e.session}`);
      row.sessions++;
    }
    if (e.event_type === 'problem_check' && e.event_source === 'server') {
      row.problemsAttempted++;
      if (e.event.success === 'correct') row.problemsCorrect++;
    }
    if (VIDEO_TYPES.has(e.event_type)) {
      const data = typeof e.event === 'string' ? JSON.parse(e.event) : e.event;
      const videoKey = `${e.username}|${e.session}|${data.id}`;
      const name = e.event_type.replace('edx.video.', '');
      if (name === 'play_video' || name === 'played') open.set(videoKey, data.currentTime);
      else if (name === 'seek_video' || name === 'position.changed') {
        row.videoSeconds += data.old_time - (open.get(videoKey) ?? data.old_time);
        open.set(videoKey, data.new_time);
      } else if (name !== 'load_video' && name !== 'loaded') {
        row.videoSeconds += data.currentTime - (open.get(videoKey) ?? data.currentTime);
        open.delete(videoKey);
      }
    }
  }
  return rows;
}

describe('generateCourse (openedx)', () => {
  const dir = tempDir('openedx');
  const first = path.join(dir, 'a');
  let summary: GeneratedCourseSummary;
  let tracking: Array<Record<string, any>>;

  beforeAll(async () => {
    summary = await generateCourse({ ...OPTIONS, out: first });
    tracking = readJsonLines(path.join(first, 'tracking.log.gz'));
  });

  it('writes byte-identical files for the same seed, and different ones for another seed', async () => {
    const again = path.join(dir, 'b');
    const other = path.join(dir, 'c');
    await generateCourse({ ...OPTIONS, out: again });
    await generateCourse({ ...OPTIONS, seed: 8, out: other });
    const files = readdirSync(first).sort();
    expect(files).toEqual(['course.json', 'roster.jsonl', 'tracking.log.gz', 'truth.jsonl', 'truth_daily.jsonl.gz', 'xapi.jsonl.gz']);
    for (const file of files) expect(readFileSync(path.join(again, file)).equals(readFileSync(path.join(first, file)))).toBe(true);
    expect(readFileSync(path.join(other, 'tracking.log.gz')).equals(readFileSync(path.join(first, 'tracking.log.gz')))).toBe(false);
    expect(summary.files['tracking.log.gz']).toBe(tracking.length);
  });

  it('writes tracking-log lines with the documented fields; browser events carry event as a string', () => {
    const roster = readJsonLines(path.join(first, 'roster.jsonl'));
    const usernames = new Set(roster.map((r) => r.username));
    let browser = 0;
    for (const e of tracking) {
      expect(Object.keys(e)).toEqual(expect.arrayContaining(['username', 'event_type', 'event_source', 'time', 'context', 'event', 'session', 'page', 'agent', 'host', 'ip']));
      expect(e.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/);
      expect(e.context.course_id).toBe(summary.courseId);
      expect(e.context.org_id).toBe('KeepupX');
      expect(['browser', 'server', 'mobile']).toContain(e.event_source);
      if (e.username === '') {
        expect(e.context.user_id).toBe('');
        expect(e.event_type).toMatch(/^\/courses\/.+\/about$/);
        continue;
      }
      expect(usernames.has(e.username)).toBe(true);
      expect(typeof e.context.user_id).toBe('number');
      if (!e.event_type.startsWith('/')) expect(e.name).toBe(e.event_type);
      if (e.event_source === 'browser') {
        browser++;
        expect(typeof e.event).toBe('string');
        if (e.event_type !== 'page_close' && e.event_type !== 'problem_check') expect(() => JSON.parse(e.event)).not.toThrow();
      }
    }
    expect(browser).toBeGreaterThan(tracking.length / 4);
    expect(summary.anonymousEvents).toBe(tracking.filter((e) => e.username === '').length);
    expect(summary.anonymousEvents).toBeGreaterThan(0);
  });

  it('shapes video, problem_check, forum and navigation events as Open edX does', () => {
    const play = tracking.find((e) => e.event_type === 'play_video');
    expect(JSON.parse(play!.event)).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), code: expect.any(String), currentTime: expect.any(Number), duration: expect.any(Number) });
    const seek = tracking.find((e) => e.event_type === 'seek_video');
    expect(JSON.parse(seek!.event)).toMatchObject({ old_time: expect.any(Number), new_time: expect.any(Number), type: 'onSlideSeek' });
    const check = tracking.find((e) => e.event_type === 'problem_check' && e.event_source === 'server')!;
    expect(check.event).toMatchObject({ success: expect.stringMatching(/^(correct|incorrect)$/), attempts: expect.any(Number), grade: expect.any(Number), max_grade: expect.any(Number), problem_id: expect.stringMatching(/^block-v1:KeepupX\+.+\+type@problem\+block@[0-9a-f]{32}$/) });
    expect(check.context.module.usage_key).toBe(check.event.problem_id);
    const next = tracking.find((e) => e.event_type === 'edx.ui.lms.sequence.next_selected')!;
    expect(JSON.parse(next.event)).toMatchObject({ current_tab: expect.any(Number), target_tab: expect.any(Number), id: expect.stringContaining('type@sequential') });
    expect(tracking.some((e) => e.event_type.startsWith('edx.forum.'))).toBe(true);
    expect(tracking.some((e) => e.event_type === 'page_close')).toBe(true);
    expect(tracking.some((e) => /^\/courses\/.+\/courseware\/[0-9a-f]{32}\/[0-9a-f]{32}\/$/.test(e.event_type))).toBe(true);
  });

  it('writes truth_daily rows equal to the aggregates recomputed from the tracking log', () => {
    const expected = recomputeDaily(tracking);
    const daily = readJsonLines(path.join(first, 'truth_daily.jsonl.gz'));
    expect(daily.length).toBe(expected.size);
    for (const row of daily) {
      const want = expected.get(`${row.username}|${row.day}`);
      expect(want).toBeDefined();
      expect(row.date).toBe(new Date(row.day * 86_400_000).toISOString().slice(0, 10));
      expect(row.counts).toEqual(want!.counts);
      expect(row.sessions).toBe(want!.sessions);
      expect(row.problemsAttempted).toBe(want!.problemsAttempted);
      expect(row.problemsCorrect).toBe(want!.problemsCorrect);
      expect(row.videoSeconds).toBeCloseTo(want!.videoSeconds, 2);
    }
    const truth = readJsonLines(path.join(first, 'truth.jsonl'));
    const perUser = new Map<string, number>();
    for (const row of daily) perUser.set(row.username, (perUser.get(row.username) ?? 0) + Object.values(row.counts as Record<string, number>).reduce((a, b) => a + b, 0));
    for (const t of truth) expect(t.events).toBe(perUser.get(t.username) ?? 0);
  });

  it('writes xAPI statements shaped as event-routing-backends emits them', () => {
    const statements = readJsonLines(path.join(first, 'xapi.jsonl.gz'));
    const roster = readJsonLines(path.join(first, 'roster.jsonl'));
    const anonymousIds = new Set(roster.map((r) => r.anonymousId));
    const course = JSON.parse(readFileSync(path.join(first, 'course.json'), 'utf8'));
    const ids = new Set<string>();
    for (const s of statements) {
      expect(s.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      ids.add(s.id);
      expect(s.actor).toEqual({ objectType: 'Agent', account: { homePage: course.lmsUrl, name: expect.any(String) } });
      expect(anonymousIds.has(s.actor.account.name)).toBe(true);
      expect(s.version).toBe('1.0.3');
      expect(s.context.contextActivities.parent[0]).toMatchObject({ id: `${course.lmsUrl}/course/${course.courseId}`, definition: { type: 'http://adlnet.gov/expapi/activities/course' } });
      expect(s.object.id.startsWith(course.lmsUrl)).toBe(true);
      expect(s.verb.id).toMatch(/^https?:\/\//);
    }
    expect(ids.size).toBe(statements.length);
    const videoLines = tracking.filter((e) => VIDEO_TYPES.has(e.event_type)).length;
    expect(statements.filter((s) => s.object.definition.type === 'https://w3id.org/xapi/video/activity-type/video').length).toBe(videoLines);
    const played = statements.find((s) => s.verb.id === 'https://w3id.org/xapi/video/verbs/played')!;
    expect(played.result.extensions['https://w3id.org/xapi/video/extensions/time']).toEqual(expect.any(Number));
    const evaluated = statements.filter((s) => s.verb.id === 'https://w3id.org/xapi/acrossx/verbs/evaluated');
    expect(evaluated.length).toBe(tracking.filter((e) => e.event_type === 'problem_check' && e.event_source === 'server').length);
    expect(evaluated[0].result).toMatchObject({ success: expect.any(Boolean), score: { min: 0, max: expect.any(Number), raw: expect.any(Number), scaled: expect.any(Number) } });
  });

  it('describes the course with its structure and design features', () => {
    const course = JSON.parse(readFileSync(path.join(first, 'course.json'), 'utf8'));
    expect(course).toMatchObject({ platform: 'openedx', courseId: summary.courseId, weeks: 4, start: '2025-02-03T00:00:00.000Z', end: '2025-03-03T00:00:00.000Z' });
    expect(course.design).toEqual({ preset: expect.any(String), videoShare: expect.any(Number), gradedShare: expect.any(Number), interactiveShare: expect.any(Number), problemsPerUnit: expect.any(Number), deadlineCadence: expect.stringMatching(/^(weekly|biweekly|end)$/), certificateOffered: expect.any(Boolean), passingGrade: expect.any(Number), medianVideoSeconds: expect.any(Number) });
    expect(course.chapters).toHaveLength(4);
    expect(course.totals.gradedProblems).toBeGreaterThan(0);
    expect(course.outcomes.dropoutCutoff).toBe('2025-02-22T00:00:00.000Z');
  });

  it('writes only activity before --as-of while outcomes still cover the whole course', async () => {
    const partial = path.join(dir, 'asof');
    await generateCourse({ ...OPTIONS, out: partial, asOf: '2025-02-17' });
    const lines = readJsonLines(path.join(partial, 'tracking.log.gz'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((e) => Date.parse(e.time) < Date.parse('2025-02-17T00:00:00Z'))).toBe(true);
    expect(lines).toEqual(tracking.filter((e) => Date.parse(e.time) < Date.parse('2025-02-17T00:00:00Z')));
    expect(readFileSync(path.join(partial, 'truth.jsonl'), 'utf8')).toBe(readFileSync(path.join(first, 'truth.jsonl'), 'utf8'));
  });

  it('streams the same tracking-log lines, stopping after exactly the number asked for', async () => {
    const fileLines = readLines(path.join(first, 'tracking.log.gz'));
    expect([...trackingLogLines(OPTIONS)]).toEqual(fileLines);
    expect([...trackingLogLines(OPTIONS, 1234)]).toEqual(fileLines.slice(0, 1234));
    const bench = path.join(dir, 'bench.log.gz');
    const written = await writeTrackingLog(bench, { weeks: 4, seed: 7 }, 5000);
    expect(written.lines).toBe(5000);
    expect(readLines(bench)).toHaveLength(5000);
  });
});
