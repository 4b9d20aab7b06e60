// The launched page's session. views/lti/static/session.js defines window.KeepupSession before any page script
// runs; every bundled page script reaches it through this one typed accessor.

/** What `ready` resolves to once the launch is confirmed to belong to this browser. */
export interface LaunchSession {
  token: string;
  role: string;
  expiresAt: number;
}

export interface KeepupSessionApi {
  ready: Promise<LaunchSession>;
  /** fetch with the session's bearer header added. */
  fetch(url: string, init?: RequestInit): Promise<Response>;
  expiresAt: number;
}

/** The page's session, or undefined on a page that was not launched (an error page, a plain admin page). */
export function keepupSession(): KeepupSessionApi | undefined {
  return (window as unknown as { KeepupSession?: KeepupSessionApi }).KeepupSession;
}
