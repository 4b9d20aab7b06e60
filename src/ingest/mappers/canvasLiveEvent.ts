import type { ActivityCategory, ActivityDetails, ActivityEvent } from '../../domain/activity';
import { canvasLocalId, MapResult, num, parseEventTime, rejected, str } from './common';

/** Events whose learner is in the body (the metadata user is the teacher or the system). */
const BODY_USER = new Set(['grade_change', 'submission_created', 'submission_updated', 'enrollment_created', 'enrollment_updated', 'quiz_submitted']);

/** Category and details of a Canvas-format Live Event. */
export function classifyCanvasEvent(name: string, body: Record<string, unknown>): { category: ActivityCategory; details?: ActivityDetails } {
  switch (name) {
    case 'asset_accessed': {
      const asset = String(body.asset_type ?? '');
      if (asset === 'discussion_topic') return { category: 'forum', details: { kind: 'forum', action: 'viewed' } };
      if (asset === 'quizzes:quiz' || asset === 'quiz' || asset === 'assignment') return { category: 'problem', details: { kind: 'problem', action: 'viewed' } };
      if (asset === 'attachment' && /\.(mp4|m4v|mov|webm|mkv)$/i.test(String(body.filename ?? body.display_name ?? body.asset_name ?? ''))) return { category: 'video', details: { kind: 'video', action: 'load' } };
      if (asset === 'course' && body.asset_subtype === 'modules') return { category: 'navigate' };
      return { category: 'access' };
    }
    case 'logged_in':
      return { category: 'access' };
    case 'logged_out':
      return { category: 'page_close' };
    case 'submission_created':
    case 'quiz_submitted':
      return { category: 'problem', details: { kind: 'problem', action: 'attempt' } };
    case 'submission_updated':
      return { category: 'problem', details: { kind: 'problem', action: 'updated' } };
    case 'discussion_topic_created':
      return { category: 'forum', details: { kind: 'forum', action: 'thread_created' } };
    case 'discussion_entry_created':
    case 'discussion_entry_submitted':
      return { category: 'forum', details: { kind: 'forum', action: 'response_created' } };
    case 'wiki_page_created':
    case 'wiki_page_updated':
      return { category: 'wiki' };
    case 'enrollment_created':
    case 'enrollment_updated':
      return { category: 'enrollment' };
    case 'grade_change': {
      const score = num(body.score);
      const max = num(body.points_possible);
      return { category: 'grade', details: score !== undefined && max ? { kind: 'problem', action: 'graded', score: score / max } : undefined };
    }
    default:
      return { category: 'other', details: { kind: 'other', action: name } };
  }
}

/** True when a payload is a Canvas-format Live Event (`{ metadata, body }`). */
export function isCanvasLiveEvent(payload: unknown): payload is { metadata: Record<string, unknown>; body: Record<string, unknown> } {
  const p = payload as Record<string, unknown> | null;
  return !!p && typeof p === 'object' && !!p.metadata && typeof p.metadata === 'object';
}

/** Maps a Canvas-format Live Event; ids are converted from global to local Canvas ids. */
export function mapCanvasLiveEvent(payload: unknown, now?: number): MapResult<ActivityEvent> {
  if (!isCanvasLiveEvent(payload)) return rejected('not_an_object');
  const metadata = payload.metadata;
  const body = (payload.body && typeof payload.body === 'object' ? payload.body : {}) as Record<string, unknown>;
  const name = str(metadata.event_name);
  if (!name) return rejected('invalid_statement', 'metadata.event_name is missing');
  const time = parseEventTime(metadata.event_time, now);
  if (!time) return rejected('bad_time');
  const userId = canvasLocalId(BODY_USER.has(name) ? (body.student_id ?? body.user_id ?? metadata.user_id) : (metadata.user_id ?? body.user_id));
  if (!userId) return rejected('missing_user');
  const contextIsCourse = metadata.context_type === 'Course';
  const courseId = canvasLocalId(contextIsCourse ? metadata.context_id : (body.course_id ?? body.context_id));
  if (!courseId) return rejected('missing_course');
  const { category, details } = classifyCanvasEvent(name, body);
  return {
    ok: true,
    event: {
      platform: 'canvas',
      source: 'canvas-live',
      courseId,
      learnerKey: userId,
      learnerKeyType: 'canvas_user_id',
      time,
      category,
      name,
      objectId: str(body.asset_id) ?? str(body.submission_id) ?? str(body.assignment_id),
      sessionId: str(metadata.session_id),
      details,
      eventId: str(metadata.request_id) ? `${metadata.request_id}:${name}` : undefined,
    },
  };
}
