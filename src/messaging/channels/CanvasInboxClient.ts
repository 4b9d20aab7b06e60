import { DeliveryError } from './DeliveryError';

/** Canvas refuses more than this many recipients in one Conversations call (Conversation.max_group_conversation_size). */
export const CANVAS_MAX_RECIPIENTS = 100;

export interface CanvasInboxOptions {
  /** Canvas base URL, e.g. `https://school.instructure.com`. */
  apiBase: string;
  /** The instructor's OAuth access token (messages come from them). */
  token: string;
  /** Request timeout, ms. Default 15 s. */
  timeoutMs?: number;
  /** Called once when Canvas answers 401 (token expired or revoked): a fresh token to retry with, or undefined. */
  onUnauthorized?: () => Promise<string | undefined>;
}

/** A bulk private message: the same subject and body to each recipient, each in their own conversation. */
export interface CanvasConversationRequest {
  recipients: string[];
  subject: string;
  body: string;
  /** `course_<id>`. */
  contextCode: string;
}

/**
 * Canvas Inbox through the Conversations API (`POST /api/v1/conversations`): form-encoded `recipients[]`,
 * `group_conversation` + `bulk_message` (one private conversation per recipient), `force_new`, `mode=async`
 * and `context_code`. Async mode answers 202 with an empty array and the batch id in `X-Conversation-Batch-Id`.
 */
export class CanvasInboxClient {
  private token: string;

  constructor(private readonly options: CanvasInboxOptions) {
    if (!options.apiBase || !options.token) throw new Error('CanvasInboxClient requires apiBase and token');
    this.token = options.token;
  }

  /** Sends one bulk message to at most 100 recipients; resolves with the batch id. Throws DeliveryError. */
  async send(request: CanvasConversationRequest): Promise<string> {
    if (!request.recipients.length) throw new DeliveryError('No recipients', true, 'rejected');
    if (request.recipients.length > CANVAS_MAX_RECIPIENTS) throw new DeliveryError(`At most ${CANVAS_MAX_RECIPIENTS} recipients per call`, true, 'rejected');
    const form = new URLSearchParams();
    for (const id of request.recipients) form.append('recipients[]', id);
    form.set('subject', request.subject);
    form.set('body', request.body);
    form.set('group_conversation', 'true');
    form.set('bulk_message', 'true');
    form.set('force_new', 'true');
    form.set('mode', 'async');
    form.set('context_code', request.contextCode);
    let res = await this.post(form);
    if (res.status === 401 && this.options.onUnauthorized) {
      const fresh = await this.options.onUnauthorized();
      if (fresh) {
        this.token = fresh;
        res = await this.post(form);
      }
    }
    if (res.status === 202 || res.status === 201) return res.headers.get('x-conversation-batch-id') ?? '';
    const detail = (await res.text().catch(() => '')).slice(0, 300);
    if (res.status === 429 || res.status >= 500) throw new DeliveryError(`Canvas answered ${res.status}: ${detail}`, false, 'unavailable');
    throw new DeliveryError(`Canvas answered ${res.status}: ${detail}`, true, 'rejected');
  }

  private async post(form: URLSearchParams): Promise<Response> {
    try {
      return await fetch(`${this.options.apiBase.replace(/\/+$/, '')}/api/v1/conversations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      throw new DeliveryError(`Canvas unreachable: ${(error as Error).message}`, false, 'unavailable');
    }
  }
}
