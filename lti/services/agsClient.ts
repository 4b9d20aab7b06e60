import { z } from 'zod';
import type { PlatformDoc } from '../../src/storage/models/Platform';
import { SCOPE } from '../claims';
import { PlatformServiceError, safeJson, ServiceTokenClient } from './ServiceTokenClient';

type ServicePlatform = Pick<PlatformDoc, '_id' | 'clientId' | 'tokenUrl' | 'authServer'>;

const lineItemSchema = z.object({ id: z.string(), label: z.string(), scoreMaximum: z.number(), resourceId: z.string().optional(), tag: z.string().optional(), resourceLinkId: z.string().optional() }).passthrough();
export type LineItem = z.infer<typeof lineItemSchema>;

/** A score as AGS 2.0 defines it (the platform records the latest per user and line item). */
export interface Score {
  userId: string;
  scoreGiven?: number;
  scoreMaximum?: number;
  comment?: string;
  timestamp: string;
  activityProgress: 'Initialized' | 'Started' | 'InProgress' | 'Submitted' | 'Completed';
  gradingProgress: 'FullyGraded' | 'Pending' | 'PendingManual' | 'Failed' | 'NotReady';
}

/**
 * Assignment and Grade Services 2.0 client: list and create line items, post scores. Not used by a feature
 * yet; kept ready (and tested against the simulator) for publishing engagement scores later.
 */
export class AgsClient {
  constructor(private readonly platform: ServicePlatform, private readonly tokens: ServiceTokenClient) {}

  /** Line items of the context (first page). */
  async listLineItems(lineItemsUrl: string): Promise<LineItem[]> {
    const body = await this.call('GET', lineItemsUrl, [SCOPE.agsLineItem], undefined, 'application/vnd.ims.lis.v2.lineitemcontainer+json');
    return z.array(lineItemSchema).parse(body);
  }

  /** Creates a line item. */
  async createLineItem(lineItemsUrl: string, item: Omit<LineItem, 'id'>): Promise<LineItem> {
    const body = await this.call('POST', lineItemsUrl, [SCOPE.agsLineItem], { body: item, type: 'application/vnd.ims.lis.v2.lineitem+json' }, 'application/vnd.ims.lis.v2.lineitem+json');
    return lineItemSchema.parse(body);
  }

  /** Posts a score to a line item (`<lineitem>/scores`). */
  async postScore(lineItemId: string, score: Score): Promise<void> {
    const url = new URL(lineItemId);
    url.pathname = `${url.pathname.replace(/\/$/, '')}/scores`;
    await this.call('POST', url.toString(), [SCOPE.agsScore], { body: score, type: 'application/vnd.ims.lis.v1.score+json' });
  }

  private async call(method: string, url: string, scopes: string[], payload?: { body: unknown; type: string }, accept = 'application/json'): Promise<unknown> {
    const token = await this.tokens.token(this.platform, scopes);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${token}`, accept, ...(payload ? { 'content-type': payload.type } : {}) },
        body: payload ? JSON.stringify(payload.body) : undefined,
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      throw new PlatformServiceError(`AGS ${url} unreachable: ${(error as Error).message}`, 503, true);
    }
    const text = await res.text();
    if (!res.ok) throw new PlatformServiceError(`AGS ${method} ${url} answered ${res.status}: ${text.slice(0, 200)}`, res.status, res.status >= 500 || res.status === 429);
    return text ? safeJson(text) : undefined;
  }
}
