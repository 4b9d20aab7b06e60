import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { log } from '../../log';
import { connectMongo, disconnectMongo } from '../../storage/mongo';
import { createRedis } from '../../storage/redis';
import { startSimulator } from '../../simulator/createSimulator';
import { readRoster, seedCourseFromRoster } from '../../simulator/rosterSeed';
import { registerSimulatorPlatforms } from '../../../lti/demo/registerSimulatorPlatforms';
import { DEMO_REGISTRATIONS_KEY } from '../../web/routes/lti/demoSection';
import { onShutdown } from '../shutdown';

/**
 * `keepup simulator`: runs the LMS simulator (Canvas, Open edX, Moodle flavours). With `--register <keepupUrl>`
 * it also registers Keepup with each flavour as an admin would (JSON URL, Open edX setup values, Dynamic
 * Registration) and publishes the launch links for the demo page.
 */
export function register(program: Command): void {
  program
    .command('simulator')
    .description('run the LMS simulator (and optionally register Keepup with it)')
    .option('--port <port>', 'port to listen on', '4100')
    .option('--host <host>', 'interface and host name (a different site from Keepup\'s)', '127.0.0.1')
    .option('--register <keepupUrl>', 'register this Keepup (needs MONGODB_URI and REDIS_URL)')
    .option('--roster <file>', "seed the Open edX flavour's course with a generated roster.jsonl")
    .option('--course-id <id>', 'Open edX course key of that course (with --roster)')
    .option('--course-title <title>', 'title of that course (with --roster)')
    .action(async (options: { port: string; host: string; register?: string; roster?: string; courseId?: string; courseTitle?: string }) => {
      const running = await startSimulator({ host: options.host, port: Number(options.port) });
      if (options.roster) {
        seedCourseFromRoster(running.sim.platforms.openedx, readRoster(options.roster), { courseId: options.courseId, title: options.courseTitle });
      }
      onShutdown(running.close);
      process.stdout.write(`LMS simulator at ${running.url}\n`);
      if (!options.register) return;
      const config = loadConfig();
      await connectMongo(config.MONGODB_URI, { attempts: 5 });
      const redis = createRedis(config.REDIS_URL);
      try {
        await waitFor(`${options.register.replace(/\/+$/, '')}/healthz`);
        const registrations = await registerSimulatorPlatforms(running.url, options.register, { redis });
        await redis.set(DEMO_REGISTRATIONS_KEY, JSON.stringify({ simulatorUrl: running.url, registrations }));
        for (const r of registrations) process.stdout.write(`${r.flavour} (${r.via}): instructor ${r.launchLinks.instructor}\n  learner ${r.launchLinks.learner}\n`);
      } catch (error) {
        log.error({ err: (error as Error).message }, 'registering Keepup with the simulator failed');
        throw error;
      } finally {
        await redis.quit();
        await disconnectMongo();
      }
    });
}

async function waitFor(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fetch(url).then((r) => r.ok, () => false))) {
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
