import mongoose from 'mongoose';
import { log } from '../log';

export interface ConnectOptions {
  /** Attempts before giving up. Default 8. */
  attempts?: number;
  /** First retry delay in ms, doubled each attempt. Default 250. */
  initialDelayMs?: number;
  /** Server selection timeout per attempt, ms. Default 3000. */
  serverSelectionTimeoutMS?: number;
  /** Database name; default: the one in the URI, else `keepup`. */
  dbName?: string;
}

/** Raised when MongoDB cannot be reached after every retry. */
export class DatabaseUnreachableError extends Error {
  constructor(uri: string, attempts: number, cause: unknown) {
    super(
      `Cannot reach MongoDB at ${redactUri(uri)} after ${attempts} attempts: ${(cause as Error)?.message ?? cause}. ` +
        'Check MONGODB_URI and that the server is running.',
    );
    this.name = 'DatabaseUnreachableError';
  }
}

/** Hides credentials in a connection string before it is logged. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/([^@/]+)@/, '//***@');
}

/**
 * Opens the process-wide mongoose connection, retrying with exponential backoff, and
 * throws DatabaseUnreachableError with a plain message when every attempt failed.
 */
export async function connectMongo(uri: string, options: ConnectOptions = {}): Promise<typeof mongoose> {
  const { attempts = 8, initialDelayMs = 250, serverSelectionTimeoutMS = 3000 } = options;
  const dbName = options.dbName ?? (databaseInUri(uri) || 'keepup');
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await mongoose.connect(uri, { serverSelectionTimeoutMS, autoIndex: true, dbName });
      log.info({ uri: redactUri(uri), attempt }, 'connected to MongoDB');
      return mongoose;
    } catch (error) {
      lastError = error;
      log.warn({ attempt, err: (error as Error).message }, 'MongoDB connection failed');
      if (attempt < attempts) await sleep(initialDelayMs * 2 ** (attempt - 1));
    }
  }
  throw new DatabaseUnreachableError(uri, attempts, lastError);
}

/**
 * Closes the process-wide (default) connection; safe to call when not connected. Other connections a
 * module opened itself (the demo's SMTP sink, for one) stay open, unlike `mongoose.disconnect()`.
 */
export async function disconnectMongo(): Promise<void> {
  await mongoose.connection.close();
}

/** True when the connection answers a ping. */
export async function pingMongo(): Promise<boolean> {
  try {
    if (mongoose.connection.readyState !== 1 || !mongoose.connection.db) return false;
    await mongoose.connection.db.admin().command({ ping: 1 });
    return true;
  } catch {
    return false;
  }
}

/** The database named in a mongodb:// URI's path, or '' when there is none. */
export function databaseInUri(uri: string): string {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]*)/.exec(uri);
  return match ? decodeURIComponent(match[1]) : '';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
