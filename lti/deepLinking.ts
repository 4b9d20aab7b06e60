import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { PlatformDoc } from '../src/storage/models/Platform';
import { CLAIM, type DeepLinkingSettings } from './claims';
import type { KeyStore } from './keys/KeyStore';

/** What an instructor can place with Deep Linking: the nudge widget, standalone or next to a video. */
export const DEEP_LINK_ITEMS = {
  widget: { title: 'Keepup: your progress this week', text: 'Personal nudges from Keepup, based on your activity in this course.', placement: 'widget', height: 320 },
  'widget-video': { title: 'Keepup: progress next to the video', text: 'A compact Keepup nudge for placing beside a video.', placement: 'video', height: 160 },
} as const;
export type DeepLinkItemKey = keyof typeof DEEP_LINK_ITEMS;

/** The LtiResourceLink content item for one Keepup item; `custom.keepup_placement` tells the learner launch which variant to show. */
export function contentItem(key: DeepLinkItemKey, launchUrl: string): Record<string, unknown> {
  const item = DEEP_LINK_ITEMS[key];
  return {
    type: 'ltiResourceLink',
    title: item.title,
    text: item.text,
    url: launchUrl,
    custom: { keepup_placement: item.placement },
    iframe: { height: item.height },
  };
}

/**
 * The signed LtiDeepLinkingResponse (Deep Linking 2.0 §4.2): iss is our client id, aud the platform issuer,
 * `data` echoed unchanged, signed RS256 with our current key. The browser form-POSTs it as `JWT` to the return URL.
 */
export async function deepLinkingResponse(input: {
  platform: Pick<PlatformDoc, 'issuer' | 'clientId'>;
  deploymentId: string;
  settings: DeepLinkingSettings;
  items: DeepLinkItemKey[];
  launchUrl: string;
  keys: KeyStore;
}): Promise<{ returnUrl: string; jwt: string }> {
  if (!input.settings.accept_types.includes('ltiResourceLink')) {
    throw new Error('The platform does not accept ltiResourceLink items in this placement');
  }
  const items = input.settings.accept_multiple === false ? input.items.slice(0, 1) : input.items;
  const { kid, privateKey } = await input.keys.signingKey();
  const payload: Record<string, unknown> = {
    nonce: crypto.randomBytes(16).toString('base64url'),
    [CLAIM.messageType]: 'LtiDeepLinkingResponse',
    [CLAIM.version]: '1.3.0',
    [CLAIM.deploymentId]: input.deploymentId,
    [CLAIM.dlContentItems]: items.map((key) => contentItem(key, input.launchUrl)),
    [CLAIM.dlMsg]: items.length ? `Added ${items.length} Keepup item${items.length > 1 ? 's' : ''}.` : 'Nothing added.',
  };
  if (input.settings.data !== undefined) payload[CLAIM.dlData] = input.settings.data;
  const token = jwt.sign(payload, privateKey, { algorithm: 'RS256', keyid: kid, issuer: input.platform.clientId, audience: input.platform.issuer, expiresIn: 600 });
  return { returnUrl: input.settings.deep_link_return_url, jwt: token };
}
