import { FerretDbServer } from './FerretDbServer';
import { RedisServer } from './RedisServer';

export interface RunningServices {
  mongoUri: string;
  redisUrl: string;
  /** True when MongoDB is our own FerretDB (false when MONGODB_URI was given). */
  startedMongo: boolean;
  stop(): Promise<void>;
}

export interface StartServicesOptions {
  /** PostgreSQL database name behind FerretDB; a fresh, dropped-on-stop one when omitted. */
  database?: string;
  /** Start a private redis-server even when 127.0.0.1:6379 answers (the demo keeps its queues apart). */
  privateRedis?: boolean;
  verbose?: boolean;
}

/**
 * Starts what Keepup needs on this machine: MONGODB_URI when set (a real MongoDB 6+ works
 * unchanged), otherwise FerretDB; REDIS_URL when set, otherwise local Redis or a private one.
 */
export async function startServices(options: StartServicesOptions = {}): Promise<RunningServices> {
  const ferret = process.env.MONGODB_URI ? undefined : new FerretDbServer({ database: options.database, verbose: options.verbose });
  const redis = process.env.REDIS_URL ? undefined : new RedisServer();
  const [mongoUri, redisUrl] = await Promise.all([
    ferret ? ferret.start() : Promise.resolve(process.env.MONGODB_URI as string),
    redis ? (options.privateRedis ? redis.startPrivate() : redis.start()) : Promise.resolve(process.env.REDIS_URL as string),
  ]);
  return {
    mongoUri,
    redisUrl,
    startedMongo: Boolean(ferret),
    async stop() {
      await Promise.all([ferret?.stop(), redis?.stop()]);
    },
  };
}
