import { z } from 'zod';

/**
 * Every environment variable Keepup reads, validated once at start-up.
 * `.env.example` documents the same list; keep them in step.
 */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Public base URL the LMS reaches Keepup at (used in LTI configuration and links). */
  PUBLIC_URL: z.string().url().optional(),
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').default('redis://127.0.0.1:6379'),
  /** 32+ character secret that encrypts platform credentials and tokens at rest. */
  KEEPUP_ENCRYPTION_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Secret that signs Keepup's short-lived session tokens. */
  KEEPUP_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().optional(),
  /** Domain of the VERP return paths (`bounce+<row>.<mac>@domain`) whose mail reaches the bounce intake; default MAIL_FROM's domain. */
  BOUNCE_DOMAIN: z.string().regex(/^[a-z0-9.-]+$/i, 'must be a domain name').optional(),
  /** 32+ character bearer secret the MTA sends with bounces to `POST /inbound/bounces`; unset: the intake is off. */
  KEEPUP_BOUNCE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** How long the web server waits for in-flight requests on SIGTERM, ms. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Raw-event archive for every import and push, kept at most this many days; unset or 0: off (read by src/ingest/rawArchive.ts). */
  KEEPUP_RAW_ARCHIVE_DAYS: z.coerce.number().int().min(0).max(36_500).optional(),
});

export type Config = z.infer<typeof schema>;

/** A configuration problem, reported as one line per variable instead of a stack trace. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses configuration from an environment (process.env by default); throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.');
        const value = env[name];
        return value === undefined ? `${name} is required but not set` : `${name} ${issue.message}`;
      }),
    );
  }
  return parsed.data;
}
