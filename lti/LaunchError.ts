/**
 * Why a launch was refused. `message` says what failed (shown to the user), `adminHint` what a platform admin
 * should check, `status` the HTTP status of the error page. `code` is stable for logs and tests.
 */
export class LaunchError extends Error {
  constructor(
    readonly code: LaunchErrorCode,
    message: string,
    readonly adminHint: string,
    readonly status = 401,
  ) {
    super(message);
    this.name = 'LaunchError';
  }
}

export type LaunchErrorCode =
  | 'missing_parameters'
  | 'unknown_platform'
  | 'ambiguous_platform'
  | 'platform_disabled'
  | 'foreign_target_link_uri'
  | 'not_a_jwt'
  | 'alg_not_allowed'
  | 'missing_kid'
  | 'unknown_kid'
  | 'keyset_unavailable'
  | 'bad_signature'
  | 'issuer_mismatch'
  | 'audience_mismatch'
  | 'azp_mismatch'
  | 'expired'
  | 'issued_in_future'
  | 'no_lti_claims'
  | 'missing_claim'
  | 'wrong_version'
  | 'unsupported_message_type'
  | 'invalid_claim'
  | 'nonce_replayed'
  | 'nonce_unknown'
  | 'nonce_mismatch'
  | 'state_unknown'
  | 'state_other_browser'
  | 'state_cookie_missing'
  | 'unknown_deployment'
  | 'not_instructor';
