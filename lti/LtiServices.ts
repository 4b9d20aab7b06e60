import type { Redis } from 'ioredis';
import { KeyStore } from './keys/KeyStore';
import { LoginStateStore } from './LoginStateStore';
import { PlatformKeysets } from './PlatformKeysets';
import { ServiceTokenClient } from './services/ServiceTokenClient';

/** The stateful LTI helpers one process shares: our keys, platform keysets, login state, service tokens. */
export interface LtiServices {
  redis: Redis;
  /** Redis key prefix (tests use a private one). */
  prefix: string;
  sessionSecret: string;
  keys: KeyStore;
  keysets: PlatformKeysets;
  logins: LoginStateStore;
  serviceTokens: ServiceTokenClient;
}

export interface LtiServicesOptions {
  redis: Redis;
  sessionSecret: string;
  /** Default `keepup`. */
  prefix?: string;
}

/** Builds the LTI helpers around a Redis connection. */
export function createLtiServices(options: LtiServicesOptions): LtiServices {
  const prefix = options.prefix ?? 'keepup';
  const keys = new KeyStore();
  return {
    redis: options.redis,
    prefix,
    sessionSecret: options.sessionSecret,
    keys,
    keysets: new PlatformKeysets(),
    logins: new LoginStateStore(options.redis, prefix),
    serviceTokens: new ServiceTokenClient(options.redis, keys, prefix),
  };
}
