import type { ActivityCategory } from '../domain/activity';

/**
 * The category each Open edX tracking-log `event_type` the generator writes is counted under in
 * truth_daily.jsonl.gz (the same table is in docs/generator.md). URL-path event types are matched
 * by `urlPathCategory`.
 */
export const TRACKING_EVENT_CATEGORIES: Readonly<Record<string, ActivityCategory>> = {
  'edx.course.enrollment.activated': 'enrollment',
  load_video: 'video',
  play_video: 'video',
  pause_video: 'video',
  seek_video: 'video',
  stop_video: 'video',
  'edx.video.loaded': 'video',
  'edx.video.played': 'video',
  'edx.video.paused': 'video',
  'edx.video.position.changed': 'video',
  'edx.video.stopped': 'video',
  problem_check: 'problem',
  showanswer: 'problem',
  'edx.forum.thread.viewed': 'forum',
  'edx.forum.thread.created': 'forum',
  'edx.forum.response.created': 'forum',
  'edx.forum.comment.created': 'forum',
  'edx.forum.thread.voted': 'forum',
  'edx.forum.searched': 'forum',
  'edx.ui.lms.sequence.next_selected': 'navigate',
  'edx.ui.lms.sequence.previous_selected': 'navigate',
  'edx.ui.lms.sequence.tab_selected': 'navigate',
  'edx.ui.lms.outline.selected': 'navigate',
  seq_next: 'navigate',
  seq_prev: 'navigate',
  seq_goto: 'navigate',
  page_close: 'page_close',
  'edx.bookmark.added': 'other',
};

/** Category of a legacy URL-path event type: `/courses/<id>/wiki/...` is wiki, other course pages are access. */
export function urlPathCategory(eventType: string): ActivityCategory {
  return /^\/courses\/[^/]+\/wiki\//.test(eventType) ? 'wiki' : 'access';
}

/** Category of any event type the generator writes (unknown names are `other`). */
export function trackingEventCategory(eventType: string): ActivityCategory {
  if (eventType.startsWith('/')) return urlPathCategory(eventType);
  return TRACKING_EVENT_CATEGORIES[eventType] ?? 'other';
}
