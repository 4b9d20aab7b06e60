import { ChildProcess, spawn } from 'node:child_process';
import { freePort, isListening } from './freePort';

/**
 * The Redis that tests and the demo use: the machine's Redis on 127.0.0.1:6379 when it
 * answers, otherwise a private `redis-server` on a free port that is stopped again.
 */
export class RedisServer {
  private child?: ChildProcess;
  url = '';

  /** Starts a private redis-server on a free port (no persistence), even when 6379 answers. */
  async startPrivate(port?: number): Promise<string> {
    const chosen = port ?? (await freePort());
    const child = spawn('redis-server', ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    child.on('error', () => undefined);
    this.child = child;
    const deadline = Date.now() + 10_000;
    while (!(await isListening('127.0.0.1', chosen))) {
      if (child.exitCode !== null) throw new Error('redis-server exited at start-up (is Redis 7+ installed?)');
      if (Date.now() > deadline) throw new Error('redis-server did not start within 10 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    this.url = `redis://127.0.0.1:${chosen}`;
    return this.url;
  }

  /** Uses 127.0.0.1:6379 when it answers, else starts a private server. */
  async start(): Promise<string> {
    if (await isListening('127.0.0.1', 6379)) {
      this.url = 'redis://127.0.0.1:6379';
      return this.url;
    }
    return this.startPrivate();
  }

  /** Stops the private server, if one was started. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
    this.child = undefined;
  }
}
