/** Local quiet hours: no delivery from `start` (inclusive) to `end` (exclusive), hours 0–23; start == end disables. */
export interface QuietHours {
  start: number;
  end: number;
}

/** The hour (0–23) and minute at `at` in an IANA time zone. Unknown zones fall back to UTC. */
export function localTime(at: Date, timeZone: string): { hour: number; minute: number } {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  } catch {
    parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  }
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0) % 24;
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return { hour, minute };
}

/** True when `hour` falls inside the quiet window (which may wrap past midnight). */
export function isQuietHour(hour: number, quiet: QuietHours): boolean {
  if (quiet.start === quiet.end) return false;
  return quiet.start < quiet.end ? hour >= quiet.start && hour < quiet.end : hour >= quiet.start || hour < quiet.end;
}

/**
 * The earliest time at or after `now` outside the learner's quiet hours, in their time zone. Steps to the
 * next whole local hour until the window ends (at most 24 steps), so DST changes are handled by Intl.
 */
export function nextDeliveryTime(now: Date, timeZone: string, quiet: QuietHours): Date {
  let at = now;
  for (let step = 0; step < 25; step++) {
    const { hour, minute } = localTime(at, timeZone);
    if (!isQuietHour(hour, quiet)) return at;
    at = new Date(at.getTime() + (60 - minute) * 60_000 - (at.getTime() % 60_000));
  }
  return at;
}
