import express, { Router } from 'express';
import type { Simulator } from '../Simulator';
import { canvasInbox, CONVERSATIONS_SCOPE } from './conversationsStore';

/** Canvas's Conversation.max_group_conversation_size default. */
export const MAX_GROUP_CONVERSATION_SIZE = 100;

const truthy = (v: unknown) => v === true || v === 'true' || v === '1' || v === 1;

/**
 * Canvas Conversations API emulation (`POST /canvas/api/v1/conversations`), following Canvas's controller:
 * form or JSON `recipients[]` (course user ids), `subject`, `body`, `group_conversation`, `bulk_message`,
 * `force_new`, `mode` and `context_code`. Errors use Canvas's shape `[{ attribute, message }]` with 400:
 * blank/invalid recipients, blank body, invalid context, and "too many for group conversation" when more than
 * 100 recipients are sent without `group_conversation` + `bulk_message`. Bulk private messages in async mode
 * answer 202 with `[]` and `X-Conversation-Batch-Id`; otherwise 201 with the created conversations.
 */
export function canvasConversationRoutes(sim: Simulator): Router {
  const router = Router();
  const p = sim.platforms.canvas;
  router.post('/canvas/api/v1/conversations', express.urlencoded({ extended: true, limit: '1mb' }), express.json({ limit: '1mb' }), (req, res) => {
    const access = p.checkAccess(req.headers.authorization, CONVERSATIONS_SCOPE);
    if (!access) return res.status(401).json({ errors: [{ message: 'Invalid access token.' }] });
    const state = canvasInbox(p);
    state.calls++;
    const fail = (attribute: string, message: string) => res.status(400).json([{ attribute, message }]);
    const raw = req.body?.recipients ?? req.body?.['recipients[]'];
    const recipients: string[] = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
    if (!recipients.length) return fail('recipients', 'blank');
    const known = new Set(p.course.users.map((u) => u.platformUserId));
    if (recipients.some((r) => !known.has(r))) return fail('recipients', 'invalid');
    const body = typeof req.body?.body === 'string' ? req.body.body : '';
    if (!body.trim()) return fail('body', 'blank');
    const contextCode = String(req.body?.context_code ?? '');
    if (contextCode && contextCode !== `course_${p.course.platformCourseId}`) return fail('context_code', 'invalid');
    const subject = String(req.body?.subject ?? '').slice(0, 255);
    const group = truthy(req.body?.group_conversation);
    const batchPrivate = !group && recipients.length > 1;
    const batchGroup = (group && truthy(req.body?.bulk_message)) || truthy(req.body?.force_new);
    if (!batchGroup && recipients.length > MAX_GROUP_CONVERSATION_SIZE) return fail('recipients', 'too many for group conversation');
    const now = new Date().toISOString();
    const unique = [...new Set(recipients)];
    if (batchPrivate || batchGroup) {
      const mode = req.body?.mode === 'async' ? 'async' : 'sync';
      const batch = { id: state.batches.length + 1, recipients: unique.length, subject, mode } as const;
      state.batches.push(batch);
      const created = unique.map((recipientId) => {
        const message = { conversationId: state.nextId++, recipientId, subject, body, contextCode, batchId: batch.id, createdAt: now };
        state.messages.push(message);
        return message;
      });
      if (mode === 'async') {
        res.setHeader('X-Conversation-Batch-Id', String(batch.id));
        return res.status(202).json([]);
      }
      return res.status(201).json(created.map((m) => conversationJson(m, 1)));
    }
    const conversationId = state.nextId++;
    for (const recipientId of unique) state.messages.push({ conversationId, recipientId, subject, body, contextCode, batchId: null, createdAt: now });
    res.status(201).json([conversationJson(state.messages[state.messages.length - 1], unique.length)]);
  });

  router.get('/canvas/api/v1/conversations/batches', (req, res) => {
    if (!p.checkAccess(req.headers.authorization, CONVERSATIONS_SCOPE)) return res.status(401).json({ errors: [{ message: 'Invalid access token.' }] });
    res.json([]);
  });
  return router;
}

function conversationJson(m: { conversationId: number; subject: string; body: string; createdAt: string; recipientId: string }, audience: number) {
  return { id: m.conversationId, subject: m.subject, workflow_state: 'read', last_message: m.body.slice(0, 100), last_message_at: m.createdAt, message_count: 1, private: audience === 1, audience: [Number(m.recipientId)] };
}
