import type { ForumTopic, ProblemBlock, Sequential, Chapter, VideoBlock, Vertical } from './CourseStructure';

/** Fields every simulated action carries: when (epoch ms, UTC), and the browser session it belongs to. */
interface SimBase {
  t: number;
  /** 32-hex session id; one per learner session. */
  session: string;
  /** Session on the mobile app (video events then use the mobile `edx.video.*` names). */
  mobile: boolean;
  /** First action of a session. */
  sessionStart?: boolean;
}

/** Where in the course an action happened. */
interface SimPlace {
  chapter: Chapter;
  sequential: Sequential;
  vertical: Vertical;
}

/**
 * One learner action, independent of platform. Platform writers render each action as zero or one
 * record (a tracking-log line, an xAPI statement, a Canvas live event) and report its category.
 */
export type SimEvent =
  | (SimBase & { kind: 'enroll'; mode: 'audit' | 'verified' })
  | (SimBase & { kind: 'anonymous_view' })
  | (SimBase & { kind: 'page_view'; page: 'course' | 'progress' | 'courseware'; place?: SimPlace })
  | (SimBase & { kind: 'nav'; action: 'next' | 'previous' | 'tab' | 'outline'; legacy: boolean; place: SimPlace; fromTab: number; toTab: number })
  | (SimBase & { kind: 'video'; action: 'load' | 'play' | 'pause' | 'seek' | 'stop'; place: SimPlace; video: VideoBlock; position: number; fromPosition?: number; watchedSeconds: number })
  | (SimBase & { kind: 'problem'; action: 'check_browser' | 'check' | 'showanswer'; place: SimPlace; problem: ProblemBlock; correct: boolean; attempts: number })
  | (SimBase & { kind: 'forum'; action: 'thread_viewed' | 'thread_created' | 'response_created' | 'comment_created' | 'thread_voted' | 'searched'; topic: ForumTopic; threadId: string; postId: string; title: string })
  | (SimBase & { kind: 'wiki'; slug: string })
  | (SimBase & { kind: 'bookmark'; place: SimPlace })
  | (SimBase & { kind: 'page_close'; place?: SimPlace });

export type SimEventKind = SimEvent['kind'];
export type { SimPlace };
