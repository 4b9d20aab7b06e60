import type { Redis } from 'ioredis';

/** What the admin routes share: Redis for sessions and invites, and a hook to drop cached platform keysets after edits. */
export interface AdminStore {
  redis: Redis;
  prefix: string;
  forgetKeysets(): void;
}
