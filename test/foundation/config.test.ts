import { ConfigError, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('applies defaults to a minimal environment', () => {
    const config = loadConfig({ MONGODB_URI: 'mongodb://127.0.0.1:27017/keepup' });
    expect(config.PORT).toBe(3000);
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.NODE_ENV).toBe('development');
  });

  it('names a missing variable', () => {
    expect(() => loadConfig({})).toThrow('MONGODB_URI is required but not set');
  });

  it('names every malformed variable with what is wrong', () => {
    try {
      loadConfig({ MONGODB_URI: 'postgres://x', PORT: 'abc', KEEPUP_ENCRYPTION_KEY: 'short' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems).toContain('MONGODB_URI must start with mongodb:// or mongodb+srv://');
      expect(problems).toContain('KEEPUP_ENCRYPTION_KEY must be at least 32 characters');
      expect(problems.some((p) => p.startsWith('PORT '))).toBe(true);
    }
  });
});
