import type { RunningServices } from '../scripts/services/startServices';

/** Stops what globalSetup started. */
export default async function globalTeardown(): Promise<void> {
  const services = (globalThis as Record<string, unknown>).__keepupServices as RunningServices | undefined;
  await services?.stop();
}
