import { SCOPE } from '../claims';
import type { ToolUrls } from '../toolUrls';

/** Custom fields Keepup asks Canvas to substitute: the user's time zone and the Canvas ids activity data uses. */
export const CANVAS_CUSTOM_FIELDS = {
  canvas_user_id: '$Canvas.user.id',
  canvas_course_id: '$Canvas.course.id',
  timezone: '$Person.address.timezone',
} as const;

/** Role URIs that see the instructor placement. */
export const INSTRUCTOR_ROLES = [
  'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor',
  'http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant',
  'http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper',
  'http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator',
];

export const TOOL_TITLE = 'Keepup';
export const TOOL_DESCRIPTION = 'Engagement predictions, instructor messaging and learner nudges.';

/**
 * Canvas developer key JSON configuration (LTI 1.3 "Enter URL"): course navigation for the instructor
 * dashboard, visible to course admins only (teachers, TAs, designers); link and assignment selection
 * (Deep Linking) to place the learner widget; NRPS and AGS scopes; public privacy level so names and
 * emails reach Keepup; custom fields for time zone and Canvas ids.
 */
export function canvasJsonConfig(urls: ToolUrls): Record<string, unknown> {
  const domain = new URL(urls.base).host;
  return {
    title: TOOL_TITLE,
    description: TOOL_DESCRIPTION,
    oidc_initiation_url: urls.login,
    target_link_uri: urls.launch,
    public_jwk_url: urls.jwks,
    scopes: [SCOPE.nrps, SCOPE.agsLineItem, SCOPE.agsResultReadonly, SCOPE.agsScore],
    extensions: [
      {
        platform: 'canvas.instructure.com',
        domain,
        tool_id: 'keepup',
        privacy_level: 'public',
        settings: {
          text: TOOL_TITLE,
          placements: [
            { placement: 'course_navigation', message_type: 'LtiResourceLinkRequest', target_link_uri: urls.launch, text: 'Keepup', visibility: 'admins', default: 'enabled' },
            { placement: 'link_selection', message_type: 'LtiDeepLinkingRequest', target_link_uri: urls.launch, text: 'Keepup nudge widget' },
            { placement: 'assignment_selection', message_type: 'LtiDeepLinkingRequest', target_link_uri: urls.launch, text: 'Keepup nudge widget' },
          ],
        },
      },
    ],
    custom_fields: { ...CANVAS_CUSTOM_FIELDS },
  };
}
