import { z } from 'zod';

/** Claim names of LTI 1.3 Core and LTI Advantage, as they appear in id_tokens. */
export const CLAIM = {
  messageType: 'https://purl.imsglobal.org/spec/lti/claim/message_type',
  version: 'https://purl.imsglobal.org/spec/lti/claim/version',
  deploymentId: 'https://purl.imsglobal.org/spec/lti/claim/deployment_id',
  targetLinkUri: 'https://purl.imsglobal.org/spec/lti/claim/target_link_uri',
  resourceLink: 'https://purl.imsglobal.org/spec/lti/claim/resource_link',
  roles: 'https://purl.imsglobal.org/spec/lti/claim/roles',
  context: 'https://purl.imsglobal.org/spec/lti/claim/context',
  custom: 'https://purl.imsglobal.org/spec/lti/claim/custom',
  launchPresentation: 'https://purl.imsglobal.org/spec/lti/claim/launch_presentation',
  toolPlatform: 'https://purl.imsglobal.org/spec/lti/claim/tool_platform',
  lis: 'https://purl.imsglobal.org/spec/lti/claim/lis',
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice',
  ags: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
  deepLinkingSettings: 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings',
  dlContentItems: 'https://purl.imsglobal.org/spec/lti-dl/claim/content_items',
  dlData: 'https://purl.imsglobal.org/spec/lti-dl/claim/data',
  dlMsg: 'https://purl.imsglobal.org/spec/lti-dl/claim/msg',
} as const;

/** Prefix shared by every LTI Core claim; a token with none of them is not an LTI message. */
export const LTI_CLAIM_PREFIX = 'https://purl.imsglobal.org/spec/lti/claim/';

/** OAuth scopes of the LTI Advantage services Keepup uses. */
export const SCOPE = {
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
  agsLineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  agsResultReadonly: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  agsScore: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
} as const;

export const MESSAGE_TYPES = ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

const contextSchema = z.object({
  id: z.string().min(1).max(255),
  label: z.string().optional(),
  title: z.string().optional(),
  type: z.array(z.string()).optional(),
});

const deepLinkingSettingsSchema = z.object({
  deep_link_return_url: z.string().url(),
  accept_types: z.array(z.string()).min(1),
  accept_presentation_document_targets: z.array(z.string()).optional(),
  accept_multiple: z.boolean().optional(),
  auto_create: z.boolean().optional(),
  title: z.string().optional(),
  text: z.string().optional(),
  data: z.string().optional(),
});

/** The optional claims Keepup reads, each validated loosely so a platform quirk never blocks a launch. */
export const optionalClaims = {
  context: contextSchema,
  custom: z.record(z.string(), z.unknown()),
  nrps: z.object({ context_memberships_url: z.string().url(), service_versions: z.array(z.string()).optional() }),
  ags: z.object({ scope: z.array(z.string()).optional(), lineitems: z.string().url().optional(), lineitem: z.string().url().optional() }),
  deepLinkingSettings: deepLinkingSettingsSchema,
  resourceLink: z.object({ id: z.string().min(1).max(255), title: z.string().optional(), description: z.string().optional() }),
};

export type ContextClaim = z.infer<typeof contextSchema>;
export type DeepLinkingSettings = z.infer<typeof deepLinkingSettingsSchema>;
export type NrpsClaim = z.infer<typeof optionalClaims.nrps>;
export type AgsClaim = z.infer<typeof optionalClaims.ags>;
