import { createLtiServices, LtiServices } from '../../../../lti/LtiServices';
import { UnavailableError } from '../../../errors';
import type { AppDeps } from '../../app';

const byDeps = new WeakMap<AppDeps, LtiServices>();

/** The LTI services of an app (one set per createApp call); 503 when the app has no Redis or session secret. */
export function ltiServicesFor(deps: AppDeps): LtiServices {
  let services = byDeps.get(deps);
  if (!services) {
    if (!deps.redis) throw UnavailableError('LTI needs Redis, which this server was started without.');
    if (!deps.config.KEEPUP_SESSION_SECRET) throw UnavailableError('LTI needs KEEPUP_SESSION_SECRET to be set.');
    services = createLtiServices({ redis: deps.redis, prefix: deps.redisPrefix, sessionSecret: deps.config.KEEPUP_SESSION_SECRET });
    byDeps.set(deps, services);
  }
  return services;
}
