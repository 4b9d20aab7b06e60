import type { ActivityCategory, ActivityDetails, ActivityEvent } from '../../domain/activity';
import { courseKeyIn, MapResult, num, parseEventTime, rejected, str } from './common';

type Classifier = (name: string, body: Record<string, unknown> | string | undefined, source: string) => { category: ActivityCategory; details?: ActivityDetails };

const VIDEO_ACTIONS: Record<string, string> = {
  play_video: 'play', 'edx.video.played': 'play',
  pause_video: 'pause', 'edx.video.paused': 'pause',
  seek_video: 'seek', 'edx.video.position.changed': 'seek',
  stop_video: 'stop', 'edx.video.stopped': 'stop',
  load_video: 'load', 'edx.video.loaded': 'load',
  complete_video: 'complete', 'edx.video.completed': 'complete',
  speed_change_video: 'speed_change',
};

const NAVIGATE = new Set(['seq_goto', 'seq_next', 'seq_prev', 'edx.ui.lms.outline.selected', 'edx.ui.lms.link_clicked']);
const ENROLLMENT_PREFIX = 'edx.course.enrollment.';
const GRADE_NAMES = new Set([
  'edx.grades.course.grade_calculated',
  'edx.grades.subsection.grade_calculated',
  'edx.course.grade.passed.first_time',
  'edx.course.grade.now_passed',
  'edx.course.grade.now_failed',
]);

function obj(body: Record<string, unknown> | string | undefined): Record<string, unknown> {
  return body && typeof body === 'object' ? body : {};
}

const video: Classifier = (name, body) => {
  const b = obj(body);
  const action = VIDEO_ACTIONS[name] ?? name.replace(/^edx\.video\./, '');
  return {
    category: 'video',
    details: {
      kind: 'video',
      action,
      position: num(b.currentTime ?? b.current_time ?? b.new_time),
      fromPosition: num(b.old_time),
      duration: num(b.duration),
    },
  };
};

const problem: Classifier = (name, body, source) => {
  const b = obj(body);
  if (name === 'problem_check' && source !== 'browser' && typeof body === 'object') {
    const grade = num(b.grade);
    const max = num(b.max_grade);
    return {
      category: 'problem',
      details: {
        kind: 'problem',
        action: 'attempt',
        success: b.success === 'correct' ? true : b.success === 'incorrect' ? false : undefined,
        score: grade !== undefined && max ? grade / max : undefined,
        attempts: num(b.attempts),
      },
    };
  }
  return { category: 'problem', details: { kind: 'problem', action: name.replace(/^(edx\.problem\.|problem_)/, '') } };
};

const forum: Classifier = (name) => ({ category: 'forum', details: { kind: 'forum', action: name.slice('edx.forum.'.length).replace(/\./g, '_') } });

/** Category of a legacy event whose type is the URL path the server answered. */
function classifyPath(path: string): { category: ActivityCategory; details?: ActivityDetails } {
  if (/\/(course_)?wiki(\/|$)/.test(path)) return { category: 'wiki' };
  if (/\/discussion(\/|$)/.test(path)) return { category: 'forum', details: { kind: 'forum', action: 'viewed' } };
  return { category: 'access' };
}

/** Category and details of a (non-URL) event name. */
export function classifyTrackingEvent(name: string, body: Record<string, unknown> | string | undefined, source: string): { category: ActivityCategory; details?: ActivityDetails } {
  if (name in VIDEO_ACTIONS || name.startsWith('edx.video.') || name.endsWith('_transcript') || name.startsWith('video_')) return video(name, body, source);
  if (name.startsWith('problem_') || name.startsWith('edx.problem.') || name === 'showanswer' || name === 'reset_problem' || name === 'save_problem_success' || name === 'edx.grades.problem.submitted') return problem(name, body, source);
  if (name.startsWith('edx.forum.')) return forum(name, body, source);
  if (NAVIGATE.has(name) || name.startsWith('edx.ui.lms.sequence.')) return { category: 'navigate' };
  if (name === 'page_close') return { category: 'page_close' };
  if (name.startsWith(ENROLLMENT_PREFIX)) return { category: 'enrollment' };
  if (GRADE_NAMES.has(name)) return { category: 'grade' };
  if (name.startsWith('edx.certificate.')) return { category: 'certificate' };
  return { category: 'other', details: { kind: 'other', action: name } };
}

/**
 * Maps one Open edX tracking-log event (already JSON-parsed) to an ActivityEvent.
 * - The event name is `name` when set (newer events), else `event_type`; a name that is a URL path
 *   is a legacy server page event, classified by its path.
 * - Browser events carry `event` as a JSON string (parsed here); problem_check's is a query string.
 * - The learner is `username`, else `context.user_id`, else `event.user_id`; events whose user fields
 *   are present but blank are anonymous (not logged in) and rejected as `anonymous_user`.
 * - The course is `context.course_id`, else the key in the URL path, else `event.course_id`.
 */
export function mapTrackingLog(raw: unknown, now = Date.now()): MapResult<ActivityEvent> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return rejected('not_an_object');
  const r = raw as Record<string, unknown>;
  const context = (r.context && typeof r.context === 'object' ? r.context : {}) as Record<string, unknown>;
  const eventType = typeof r.event_type === 'string' ? r.event_type : '';
  const rawName = typeof r.name === 'string' && r.name !== '' ? r.name : eventType;
  if (!rawName) return rejected('not_an_object');
  let body: Record<string, unknown> | string | undefined;
  if (typeof r.event === 'string') {
    const text = r.event;
    // Only video details are read from browser events' JSON strings: parse those, keep the rest as text.
    if (text.startsWith('{') && (rawName in VIDEO_ACTIONS || rawName.startsWith('edx.video.'))) {
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        body = text;
      }
    } else body = text;
  } else if (r.event && typeof r.event === 'object') body = r.event as Record<string, unknown>;
  const b = obj(body);

  const time = parseEventTime(r.time, now);
  if (!time) return rejected('bad_time');

  let learnerKey = str(r.username);
  let learnerKeyType: ActivityEvent['learnerKeyType'] = 'username';
  if (!learnerKey) {
    learnerKey = str(context.user_id) ?? str(b.user_id);
    learnerKeyType = 'user_id';
  }
  if (!learnerKey) {
    const blank = 'username' in r || 'user_id' in context;
    return rejected(blank ? 'anonymous_user' : 'missing_user');
  }

  const isPath = rawName.startsWith('/');
  const courseId = str(context.course_id) ?? (isPath ? courseKeyIn(rawName) : undefined) ?? str(b.course_id) ?? (typeof context.path === 'string' ? courseKeyIn(context.path) : undefined);
  if (!courseId) return rejected('missing_course');

  const source = typeof r.event_source === 'string' ? r.event_source : 'server';
  const { category, details } = isPath ? classifyPath(rawName) : classifyTrackingEvent(rawName, body, source);
  return {
    ok: true,
    event: {
      platform: 'openedx',
      source: 'tracking-log',
      courseId,
      learnerKey,
      learnerKeyType,
      time,
      category,
      name: isPath ? 'page_view' : rawName,
      objectId: (category === 'video' ? str(b.id) ?? str(b.code) : undefined) ?? str(b.id) ?? str(b.problem_id) ?? str(b.module_id) ?? (isPath ? rawName : undefined),
      sessionId: str(r.session),
      details,
    },
  };
}
