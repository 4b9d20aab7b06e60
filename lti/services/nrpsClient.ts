import { z } from 'zod';
import type { PlatformDoc } from '../../src/storage/models/Platform';
import { SCOPE } from '../claims';
import { PlatformServiceError, safeJson, ServiceTokenClient } from './ServiceTokenClient';

const memberSchema = z.object({
  user_id: z.string().min(1),
  status: z.string().optional(),
  roles: z.array(z.string()).default([]),
  name: z.string().optional(),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  email: z.string().optional(),
  preferred_username: z.string().optional(),
  lti11_legacy_user_id: z.string().optional(),
  message: z.unknown().optional(),
}).passthrough();

const containerSchema = z.object({
  id: z.string().optional(),
  context: z.object({ id: z.string() }).passthrough().optional(),
  members: z.array(z.unknown()),
});

/** One member of a course roster as NRPS 2.0 returns it. */
export type NrpsMember = z.infer<typeof memberSchema>;

/** A page of the roster; `rejected` counts members that did not match the NRPS shape. */
export interface NrpsPage {
  members: NrpsMember[];
  rejected: number;
}

/** The URL of the `rel="next"` link in an HTTP Link header, if any. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const match = /<([^>]+)>\s*;(.*)/.exec(part.trim());
    const rel = match && /(?:^|;)\s*rel\s*=\s*"?([^";]+)"?/i.exec(match[2]);
    if (match && rel && rel[1].trim().split(/\s+/).includes('next')) return match[1];
  }
  return undefined;
}

/**
 * Reads a course roster through Names and Role Provisioning Services 2.0, page by page, following
 * `Link: <…>; rel="next"` until the last page. Yields each page so large rosters stream.
 */
export async function* fetchMembers(platform: Pick<PlatformDoc, '_id' | 'clientId' | 'tokenUrl' | 'authServer'>, membershipsUrl: string, tokens: ServiceTokenClient, maxPages = 1000): AsyncGenerator<NrpsPage> {
  let url: string | undefined = membershipsUrl;
  const origin = new URL(membershipsUrl).origin;
  for (let page = 0; url && page < maxPages; page++) {
    const token = await tokens.token(platform, [SCOPE.nrps]);
    let res: Response;
    try {
      res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json' }, signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      throw new PlatformServiceError(`NRPS ${url} unreachable: ${(error as Error).message}`, 503, true);
    }
    const text = await res.text();
    if (!res.ok) throw new PlatformServiceError(`NRPS ${url} answered ${res.status}: ${text.slice(0, 200)}`, res.status, res.status >= 500 || res.status === 429);
    const container = containerSchema.safeParse(safeJson(text));
    if (!container.success) throw new PlatformServiceError(`NRPS ${url} did not return a membership container`, 502, false);
    const members: NrpsMember[] = [];
    let rejected = 0;
    for (const raw of container.data.members) {
      const member = memberSchema.safeParse(raw);
      if (member.success) members.push(member.data);
      else rejected++;
    }
    yield { members, rejected };
    const next = nextLink(res.headers.get('link'));
    // Never send our token to another origin, whatever the Link header says.
    url = next && new URL(next, url).origin === origin ? new URL(next, url).toString() : undefined;
  }
}
