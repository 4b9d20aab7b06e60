import { mailFromAddress, runtimeFromEnv } from '../../src/messaging/deliveryRuntime';

describe('MAIL_FROM', () => {
  it('accepts a bare address or a display-name form and keeps only the address for the envelope', () => {
    expect(mailFromAddress('keepup@uni.edu')).toBe('keepup@uni.edu');
    expect(mailFromAddress('Keepup demo <keepup@demo.localhost>')).toBe('keepup@demo.localhost');
    expect(mailFromAddress('  ')).toBeUndefined();
    expect(mailFromAddress(undefined)).toBeUndefined();
  });

  it('falls back to keepup@<public host> and derives the Message-ID domain from the address', () => {
    const named = runtimeFromEnv({ MAIL_FROM: 'Keepup <noreply@courses.example.org>', PUBLIC_URL: 'https://keepup.example.org' });
    expect([named.mailFrom, named.messageIdDomain]).toEqual(['noreply@courses.example.org', 'courses.example.org']);
    const fallback = runtimeFromEnv({ PUBLIC_URL: 'https://keepup.example.org/' });
    expect(fallback.mailFrom).toBe('keepup@keepup.example.org');
  });
});
