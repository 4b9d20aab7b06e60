import type { ActivityCategory, ActivityDetails, ActivityEvent, Platform } from '../../domain/activity';
import { canvasLocalId, courseKeyIn, durationSeconds, MapResult, num, parseEventTime, rejected, str } from './common';

type Entity = Record<string, unknown> | string | undefined;

function id(entity: Entity): string | undefined {
  if (typeof entity === 'string') return entity;
  return entity ? str(entity.id) : undefined;
}

function type(entity: Entity): string {
  return entity && typeof entity === 'object' && typeof entity.type === 'string' ? entity.type : '';
}

const MEDIA_ACTIONS: Record<string, string> = {
  Started: 'play', Resumed: 'play', Paused: 'pause', JumpedTo: 'seek', Ended: 'complete', Restarted: 'play', Viewed: 'load',
};

/** Category and details of a Caliper 1.1/1.2 event from its type, action and object type. */
export function classifyCaliper(event: Record<string, unknown>): { category: ActivityCategory; details?: ActivityDetails } {
  const eventType = String(event.type ?? '');
  const action = String(event.action ?? '');
  const objectType = type(event.object as Entity);
  if (eventType === 'MediaEvent' || /VideoObject|MediaObject|AudioObject/.test(objectType)) {
    const target = event.target as Record<string, unknown> | undefined;
    const object = event.object as Record<string, unknown> | undefined;
    return {
      category: 'video',
      details: { kind: 'video', action: MEDIA_ACTIONS[action] ?? action.toLowerCase(), position: durationSeconds(target?.currentTime), duration: durationSeconds(object?.duration) },
    };
  }
  if (eventType === 'ForumEvent' || eventType === 'ThreadEvent' || eventType === 'MessageEvent' || /^(Forum|Thread|Message)$/.test(objectType)) {
    return { category: 'forum', details: { kind: 'forum', action: action.toLowerCase() } };
  }
  if (eventType === 'GradeEvent') return { category: 'grade' };
  if (eventType === 'AssessmentEvent' || eventType === 'AssessmentItemEvent' || eventType === 'AssignableEvent') {
    const submitted = action === 'Submitted' || action === 'Completed';
    return { category: 'problem', details: { kind: 'problem', action: submitted ? 'attempt' : action.toLowerCase() } };
  }
  if (eventType === 'NavigationEvent') return { category: 'navigate' };
  if (/Wiki/i.test(objectType)) return { category: 'wiki' };
  if (eventType === 'ViewEvent' || eventType === 'ToolUseEvent' || eventType === 'SessionEvent' || eventType === 'ToolLaunchEvent') {
    return action === 'LoggedOut' ? { category: 'page_close' } : { category: 'access' };
  }
  return { category: 'other', details: { kind: 'other', action: `${eventType}.${action}` } };
}

/** The learner of a Caliper actor: a Canvas user URN, or a trailing UUID (event-routing-backends anonymous id). */
export function caliperLearner(actor: Entity): { key: string; type: ActivityEvent['learnerKeyType'] } | undefined {
  const actorId = id(actor);
  if (!actorId) return undefined;
  const canvas = /^urn:instructure:canvas:user:(\d+)$/.exec(actorId);
  if (canvas) return { key: canvasLocalId(canvas[1])!, type: 'canvas_user_id' };
  const uuid = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i.exec(actorId);
  if (uuid) return { key: uuid[1], type: 'anonymous_id' };
  return { key: actorId, type: 'user_id' };
}

/** The course of a Caliper event: a Canvas course URN in `group`, else an Open edX course key anywhere in its ids. */
export function caliperCourse(event: Record<string, unknown>): string | undefined {
  const groupId = id(event.group as Entity);
  const canvas = groupId ? /^urn:instructure:canvas:course:(\d+)$/.exec(groupId) : null;
  if (canvas) return canvasLocalId(canvas[1]);
  for (const candidate of [groupId, id(event.object as Entity), id(event.referrer as Entity), id(event.membership as Entity)]) {
    const key = candidate ? courseKeyIn(candidate) : undefined;
    if (key) return key;
  }
  const courseOffering = (event.group as Record<string, unknown> | undefined)?.courseNumber;
  return str(courseOffering) ?? groupId;
}

/** Maps one Caliper event (an item of an envelope's `data`). */
export function mapCaliper(raw: unknown, options: { platform?: Platform; source?: ActivityEvent['source']; now?: number } = {}): MapResult<ActivityEvent> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return rejected('not_an_object');
  const event = raw as Record<string, unknown>;
  if (typeof event.type !== 'string' || typeof event.action !== 'string') return rejected('invalid_statement', 'a Caliper event needs type and action');
  const learner = caliperLearner(event.actor as Entity);
  if (!learner) return rejected('missing_user');
  const time = parseEventTime(event.eventTime, options.now);
  if (!time) return rejected('bad_time');
  const { category, details } = classifyCaliper(event);
  const generated = event.generated as Record<string, unknown> | undefined;
  if (category === 'grade' && generated) {
    const given = num(generated.scoreGiven ?? generated.scoreGivenValue);
    const max = num(generated.maxScore);
    if (given !== undefined && max) return ok({ category, details: { kind: 'problem', action: 'graded', score: given / max } });
  }
  return ok({ category, details });

  function ok(c: { category: ActivityCategory; details?: ActivityDetails }): MapResult<ActivityEvent> {
    return {
      ok: true,
      event: {
        platform: options.platform ?? (learner!.type === 'canvas_user_id' ? 'canvas' : 'openedx'),
        source: options.source ?? 'caliper',
        courseId: caliperCourse(event) ?? '',
        learnerKey: learner!.key,
        learnerKeyType: learner!.type,
        time: time!,
        category: c.category,
        name: `${event.type}.${event.action}`,
        objectId: id(event.object as Entity),
        details: c.details,
        eventId: str(event.id),
      },
    };
  }
}

/** The events of a Caliper envelope (`{ sensor, sendTime, dataVersion, data: [...] }`), or of a bare event. */
export function caliperEvents(payload: unknown): unknown[] | undefined {
  if (!payload || typeof payload !== 'object') return undefined;
  const p = payload as Record<string, unknown>;
  if (Array.isArray(p.data)) return p.data;
  if (typeof p.type === 'string' && typeof p.action === 'string') return [p];
  return undefined;
}
