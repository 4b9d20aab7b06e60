import { ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort, isListening } from './freePort';
import { cacheDir, repoRoot } from './paths';

const run = promisify(execFile);
const FERRETDB_VERSION = 'v1.24.2';

export interface FerretDbOptions {
  /** PostgreSQL server URL without a database. Default postgres://root@127.0.0.1:5432 */
  postgresUrl?: string;
  /** Database name in PostgreSQL backing this instance. Default: a fresh one per instance. */
  database?: string;
  /** Drop the PostgreSQL database on stop. Default true for generated names, false for given ones. */
  dropOnStop?: boolean;
  /** Print FerretDB's own log lines. Default false. */
  verbose?: boolean;
}

/**
 * FerretDB v1.24 (a MongoDB wire-protocol server) built from its Go module through the tiny
 * wrapper in scripts/ferretdb and run on a free loopback port, backed by the local PostgreSQL,
 * or SQLite when PostgreSQL does not answer.
 */
export class FerretDbServer {
  private child?: ChildProcess;
  private sqliteDir?: string;
  uri = '';

  constructor(private readonly options: FerretDbOptions = {}) {}

  /** Path of the cached binary, building it first when missing (about a minute on a cold Go cache). */
  static async ensureBinary(): Promise<string> {
    const binary = path.join(cacheDir('ferretdb'), `keepup-ferretdb-${FERRETDB_VERSION}`);
    if (fs.existsSync(binary)) return binary;
    const tmp = `${binary}.${process.pid}.tmp`;
    // The Go toolchain of these machines lives in /usr/local/go; use it when `go` is not on PATH.
    const go = process.env.GO ?? (fs.existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : 'go');
    await run(go, ['build', '-o', tmp, '.'], {
      cwd: path.join(repoRoot(), 'scripts', 'ferretdb'),
      env: { ...process.env, CGO_ENABLED: '0' },
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: Error & { stderr?: string }) => {
      throw new Error(`Building FerretDB failed (is Go 1.22+ installed?): ${error.stderr ?? error.message}`);
    });
    fs.renameSync(tmp, binary);
    return binary;
  }

  /** Builds if needed, starts FerretDB and resolves with its MongoDB URI once it accepts connections. */
  async start(): Promise<string> {
    const binary = await FerretDbServer.ensureBinary();
    const port = await freePort();
    const args = ['-listen', `127.0.0.1:${port}`];
    const postgresUrl = this.options.postgresUrl ?? 'postgres://root@127.0.0.1:5432';
    if (await postgresAnswers(postgresUrl)) {
      const database = this.options.database ?? `keepup_${process.pid}_${Date.now().toString(36)}`;
      this.options.dropOnStop ??= this.options.database === undefined;
      this.options.database = database;
      await createDatabase(postgresUrl, database);
      args.push('-handler', 'postgresql', '-postgresql-url', `${postgresUrl}/${database}`);
    } else {
      this.sqliteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keepup-sqlite-'));
      args.push('-handler', 'sqlite', '-sqlite-url', `file:${this.sqliteDir}/`);
    }
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    if (this.options.verbose) child.stderr?.pipe(process.stderr);
    else child.stderr?.resume();
    child.stdout?.resume();
    const deadline = Date.now() + 30_000;
    while (!(await isListening('127.0.0.1', port))) {
      if (child.exitCode !== null) throw new Error(`FerretDB exited with code ${child.exitCode} at start-up`);
      if (Date.now() > deadline) throw new Error('FerretDB did not start listening within 30 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    this.uri = `mongodb://127.0.0.1:${port}/`;
    return this.uri;
  }

  /** Stops the server and removes what it created. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    this.child = undefined;
    if (this.options.dropOnStop && this.options.database) {
      await dropDatabase(this.options.postgresUrl ?? 'postgres://root@127.0.0.1:5432', this.options.database).catch(
        () => undefined,
      );
    }
    if (this.sqliteDir) fs.rmSync(this.sqliteDir, { recursive: true, force: true });
  }
}

async function withPostgres<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: `${url}/postgres`, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function postgresAnswers(url: string): Promise<boolean> {
  return withPostgres(url, async (c) => (await c.query('select 1')).rowCount === 1).catch(() => false);
}

async function createDatabase(url: string, name: string): Promise<void> {
  await withPostgres(url, async (c) => {
    const exists = await c.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) await c.query(`create database "${name}"`);
  });
}

async function dropDatabase(url: string, name: string): Promise<void> {
  await withPostgres(url, (c) => c.query(`drop database if exists "${name}" with (force)`));
}
