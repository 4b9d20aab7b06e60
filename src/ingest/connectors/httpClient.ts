import { log } from '../../log';

/** An upstream answer that retrying will not fix (4xx other than throttling), or retries ran out. */
export class UpstreamError extends Error {
  constructor(readonly status: number, readonly url: string, readonly body: string) {
    super(`${url} answered ${status}: ${body.slice(0, 200)}`);
    this.name = 'UpstreamError';
  }
}

export interface HttpPolicy {
  /** Attempts per request for throttling and 5xx answers. Default 6. */
  attempts?: number;
  /** First backoff delay, ms; doubled per attempt, up to maxDelayMs (a Retry-After header wins). Default 500. */
  baseDelayMs?: number;
  /** Longest single wait, ms. Default 30,000. */
  maxDelayMs?: number;
  /** Slow down when `X-Rate-Limit-Remaining` drops under this (Canvas). Default 50. */
  lowWater?: number;
  /** Pause before the next request when under the low water mark, ms. Default 1,000. */
  lowWaterPauseMs?: number;
  /** Page size asked for. Default 100 (Canvas's and DRF's usual maximum). */
  perPage?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface HttpResult<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** True for Canvas's throttling answer (`403 Forbidden (Rate Limit Exceeded)`) and any 429. */
export function isThrottled(status: number, body: string): boolean {
  return status === 429 || (status === 403 && /rate limit exceeded/i.test(body));
}

/** The `rel="next"` URL of an RFC 5988 Link header. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (match && match[2].split(/\s+/).includes('next')) return match[1];
  }
  return undefined;
}

/**
 * A JSON HTTP client for platform APIs: retries throttling (429, Canvas's 403 Rate Limit Exceeded)
 * and 5xx with exponential backoff or Retry-After, slows down when Canvas reports little quota left,
 * and calls `onUnauthorized` once per request on a 401 (to refresh an OAuth2 token) before giving up.
 */
export class HttpClient {
  private readonly policy: Required<Omit<HttpPolicy, 'sleep' | 'perPage'>> & { sleep: (ms: number) => Promise<void> };
  private pauseNext = 0;
  requests = 0;
  throttled = 0;

  constructor(
    private readonly auth: () => Promise<string>,
    private readonly onUnauthorized: () => Promise<void>,
    policy: HttpPolicy = {},
  ) {
    this.policy = {
      attempts: 6,
      baseDelayMs: 500,
      maxDelayMs: 30_000,
      lowWater: 50,
      lowWaterPauseMs: 1000,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      ...policy,
    };
  }

  async getJson<T>(url: string): Promise<HttpResult<T>> {
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      if (this.pauseNext) {
        await this.policy.sleep(this.pauseNext);
        this.pauseNext = 0;
      }
      this.requests++;
      const res = await fetch(url, { headers: { Authorization: await this.auth(), Accept: 'application/json' }, signal: AbortSignal.timeout(30_000) });
      const text = await res.text();
      const remaining = Number(res.headers.get('x-rate-limit-remaining'));
      if (res.headers.has('x-rate-limit-remaining') && remaining < this.policy.lowWater) this.pauseNext = this.policy.lowWaterPauseMs;
      if (res.ok) return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
      if (res.status === 401 && !refreshed) {
        refreshed = true;
        await this.onUnauthorized();
        attempt--;
        continue;
      }
      const retryable = isThrottled(res.status, text) || res.status >= 500;
      if (!retryable || attempt >= this.policy.attempts) throw new UpstreamError(res.status, url, text);
      if (isThrottled(res.status, text)) this.throttled++;
      const retryAfter = Number(res.headers.get('retry-after'));
      const delay = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (attempt - 1));
      log.info({ url, status: res.status, attempt, delay }, 'platform API asked us to wait');
      await this.policy.sleep(delay);
    }
  }
}
