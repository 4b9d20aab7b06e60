import { connectMongo, disconnectMongo, databaseInUri, DatabaseUnreachableError, redactUri } from '../../src/storage/mongo';

describe('connectMongo when the database cannot be reached', () => {
  afterAll(() => disconnectMongo());

  it('retries, then throws a plain error naming the redacted address', async () => {
    const started = Date.now();
    const error = await connectMongo('mongodb://user:pw@127.0.0.1:1/x', {
      attempts: 2,
      initialDelayMs: 50,
      serverSelectionTimeoutMS: 200,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    expect((error as Error).message).toMatch(/^Cannot reach MongoDB at mongodb:\/\/\*\*\*@127\.0\.0\.1:1\/x after 2 attempts: /);
    expect((error as Error).message).toContain('Check MONGODB_URI');
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
  });

  it('reads the database name and hides credentials', () => {
    expect(databaseInUri('mongodb://h:1/keepup?x=1')).toBe('keepup');
    expect(databaseInUri('mongodb://h:1/')).toBe('');
    expect(redactUri('mongodb://a:b@h/x')).toBe('mongodb://***@h/x');
  });
});
