import type { SimPlatform } from '../SimPlatform';

/** The scope an instructor's OAuth token needs for `POST /api/v1/conversations` (Canvas scoped developer keys). */
export const CONVERSATIONS_SCOPE = 'url:POST|/api/v1/conversations';

/** One message in a recipient's simulated Canvas Inbox. */
export interface SimConversationMessage {
  conversationId: number;
  recipientId: string;
  subject: string;
  body: string;
  contextCode: string;
  batchId: number | null;
  createdAt: string;
}

interface InboxState {
  nextId: number;
  messages: SimConversationMessage[];
  batches: Array<{ id: number; recipients: number; subject: string; mode: 'sync' | 'async' }>;
  calls: number;
}

const states = new WeakMap<SimPlatform, InboxState>();

/** The simulated Canvas Inbox of a platform: every delivered message, batch and call count (tests read it). */
export function canvasInbox(platform: SimPlatform): InboxState {
  let state = states.get(platform);
  if (!state) {
    state = { nextId: 1, messages: [], batches: [], calls: 0 };
    states.set(platform, state);
  }
  return state;
}

/** Issues an instructor OAuth token allowed to send Inbox messages, as a Canvas OAuth2 flow would. */
export function issueInstructorToken(platform: SimPlatform, clientId: string): string {
  return platform.issueAccessToken(clientId, [CONVERSATIONS_SCOPE]).token;
}
