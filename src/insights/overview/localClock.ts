/**
 * Weekday and hour of an instant in one IANA time zone (the course's), with the formatter cached.
 * Weekday 0 is Monday, 6 is Sunday.
 */
export class LocalClock {
  private readonly format: Intl.DateTimeFormat;

  constructor(readonly timeZone: string) {
    try {
      this.format = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: 'numeric', hourCycle: 'h23' });
    } catch {
      throw new Error(`"${timeZone}" is not an IANA time zone`);
    }
  }

  /** Local weekday (0 = Monday) and hour (0..23) of an epoch millisecond. */
  at(ms: number): { weekday: number; hour: number } {
    let weekday = 0;
    let hour = 0;
    for (const part of this.format.formatToParts(new Date(ms))) {
      if (part.type === 'weekday') weekday = WEEKDAYS.indexOf(part.value);
      else if (part.type === 'hour') hour = Number(part.value) % 24;
    }
    return { weekday, hour };
  }
}

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
