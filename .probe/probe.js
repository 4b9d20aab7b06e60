var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// scripts/services/FerretDbServer.ts
var import_node_child_process = require("node:child_process");
var import_node_fs2 = __toESM(require("node:fs"));
var import_node_os = __toESM(require("node:os"));
var import_node_path2 = __toESM(require("node:path"));
var import_node_util = require("node:util");
var import_pg = require("pg");

// scripts/services/freePort.ts
var import_node_net = __toESM(require("node:net"));
function freePort() {
  return new Promise((resolve, reject) => {
    const server = import_node_net.default.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
function isListening(host, port, timeoutMs = 500) {
  return new Promise((resolve) => {
    const socket = import_node_net.default.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

// scripts/services/paths.ts
var import_node_fs = __toESM(require("node:fs"));
var import_node_path = __toESM(require("node:path"));
function repoRoot() {
  let dir = __dirname;
  for (; ; ) {
    const pkg = import_node_path.default.join(dir, "package.json");
    if (import_node_fs.default.existsSync(pkg) && JSON.parse(import_node_fs.default.readFileSync(pkg, "utf8")).name === "keepup") return dir;
    const parent = import_node_path.default.dirname(dir);
    if (parent === dir) throw new Error("Cannot find the keepup repository root above " + __dirname);
    dir = parent;
  }
}
function cacheDir(...parts) {
  const dir = import_node_path.default.join(repoRoot(), ".cache", ...parts);
  import_node_fs.default.mkdirSync(dir, { recursive: true });
  return dir;
}

// scripts/services/FerretDbServer.ts
var run = (0, import_node_util.promisify)(import_node_child_process.execFile);
var FERRETDB_VERSION = "v1.24.2";
var FerretDbServer = class _FerretDbServer {
  constructor(options = {}) {
    this.options = options;
  }
  options;
  child;
  sqliteDir;
  uri = "";
  /** Path of the cached binary, building it first when missing (about a minute on a cold Go cache). */
  static async ensureBinary() {
    const binary = import_node_path2.default.join(cacheDir("ferretdb"), `keepup-ferretdb-${FERRETDB_VERSION}`);
    if (import_node_fs2.default.existsSync(binary)) return binary;
    const tmp = `${binary}.${process.pid}.tmp`;
    await run("go", ["build", "-o", tmp, "."], {
      cwd: import_node_path2.default.join(repoRoot(), "scripts", "ferretdb"),
      env: { ...process.env, CGO_ENABLED: "0" },
      maxBuffer: 16 * 1024 * 1024
    }).catch((error) => {
      throw new Error(`Building FerretDB failed (is Go 1.22+ installed?): ${error.stderr ?? error.message}`);
    });
    import_node_fs2.default.renameSync(tmp, binary);
    return binary;
  }
  /** Builds if needed, starts FerretDB and resolves with its MongoDB URI once it accepts connections. */
  async start() {
    const binary = await _FerretDbServer.ensureBinary();
    const port = await freePort();
    const args = ["-listen", `127.0.0.1:${port}`];
    const postgresUrl = this.options.postgresUrl ?? "postgres://root@127.0.0.1:5432";
    if (await postgresAnswers(postgresUrl)) {
      const database = this.options.database ?? `keepup_${process.pid}_${Date.now().toString(36)}`;
      this.options.dropOnStop ??= this.options.database === void 0;
      this.options.database = database;
      await createDatabase(postgresUrl, database);
      args.push("-handler", "postgresql", "-postgresql-url", `${postgresUrl}/${database}`);
    } else {
      this.sqliteDir = import_node_fs2.default.mkdtempSync(import_node_path2.default.join(import_node_os.default.tmpdir(), "keepup-sqlite-"));
      args.push("-handler", "sqlite", "-sqlite-url", `file:${this.sqliteDir}/`);
    }
    const child = (0, import_node_child_process.spawn)(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    if (this.options.verbose) child.stderr?.pipe(process.stderr);
    else child.stderr?.resume();
    child.stdout?.resume();
    const deadline = Date.now() + 3e4;
    while (!await isListening("127.0.0.1", port)) {
      if (child.exitCode !== null) throw new Error(`FerretDB exited with code ${child.exitCode} at start-up`);
      if (Date.now() > deadline) throw new Error("FerretDB did not start listening within 30 s");
      await new Promise((r) => setTimeout(r, 100));
    }
    this.uri = `mongodb://127.0.0.1:${port}/`;
    return this.uri;
  }
  /** Stops the server and removes what it created. */
  async stop() {
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5e3);
      await exited;
      clearTimeout(timer);
    }
    this.child = void 0;
    if (this.options.dropOnStop && this.options.database) {
      await dropDatabase(this.options.postgresUrl ?? "postgres://root@127.0.0.1:5432", this.options.database).catch(
        () => void 0
      );
    }
    if (this.sqliteDir) import_node_fs2.default.rmSync(this.sqliteDir, { recursive: true, force: true });
  }
};
async function withPostgres(url, fn) {
  const client = new import_pg.Client({ connectionString: `${url}/postgres`, connectionTimeoutMillis: 2e3 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
async function postgresAnswers(url) {
  return withPostgres(url, async (c) => (await c.query("select 1")).rowCount === 1).catch(() => false);
}
async function createDatabase(url, name) {
  await withPostgres(url, async (c) => {
    const exists = await c.query("select 1 from pg_database where datname = $1", [name]);
    if (exists.rowCount === 0) await c.query(`create database "${name}"`);
  });
}
async function dropDatabase(url, name) {
  await withPostgres(url, (c) => c.query(`drop database if exists "${name}" with (force)`));
}

// scripts/services/RedisServer.ts
var import_node_child_process2 = require("node:child_process");
var RedisServer = class {
  child;
  url = "";
  /** Starts a private redis-server on a free port (no persistence), even when 6379 answers. */
  async startPrivate(port) {
    const chosen = port ?? await freePort();
    const child = (0, import_node_child_process2.spawn)("redis-server", ["--port", String(chosen), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: "ignore"
    });
    child.on("error", () => void 0);
    this.child = child;
    const deadline = Date.now() + 1e4;
    while (!await isListening("127.0.0.1", chosen)) {
      if (child.exitCode !== null) throw new Error("redis-server exited at start-up (is Redis 7+ installed?)");
      if (Date.now() > deadline) throw new Error("redis-server did not start within 10 s");
      await new Promise((r) => setTimeout(r, 50));
    }
    this.url = `redis://127.0.0.1:${chosen}`;
    return this.url;
  }
  /** Uses 127.0.0.1:6379 when it answers, else starts a private server. */
  async start() {
    if (await isListening("127.0.0.1", 6379)) {
      this.url = "redis://127.0.0.1:6379";
      return this.url;
    }
    return this.startPrivate();
  }
  /** Stops the private server, if one was started. */
  async stop(signal = "SIGTERM") {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill(signal);
    await exited;
    this.child = void 0;
  }
};

// scripts/services/startServices.ts
async function startServices(options = {}) {
  const ferret = process.env.MONGODB_URI ? void 0 : new FerretDbServer({ database: options.database, verbose: options.verbose });
  const redis = process.env.REDIS_URL ? void 0 : new RedisServer();
  const [mongoUri, redisUrl] = await Promise.all([
    ferret ? ferret.start() : Promise.resolve(process.env.MONGODB_URI),
    redis ? redis.start() : Promise.resolve(process.env.REDIS_URL)
  ]);
  return {
    mongoUri,
    redisUrl,
    startedMongo: Boolean(ferret),
    async stop() {
      await Promise.all([ferret?.stop(), redis?.stop()]);
    }
  };
}

// ../../tmp/probe/probe.ts
var import_mongoose = __toESM(require("mongoose"));
(async () => {
  const s = await startServices();
  console.log(s.mongoUri);
  await import_mongoose.default.connect(s.mongoUri, { dbName: "probe" });
  const c = import_mongoose.default.connection.db.collection("wk");
  await c.deleteMany({});
  const op = (k, e) => ({ updateOne: { filter: { _id: "a", ks: { $nin: [k] } }, update: { $push: { e: { $each: e }, ks: k }, $set: { c: "x" } }, upsert: true } });
  let r = await c.bulkWrite([op("k1", [{ d: 1, v: 2 }])], { ordered: false });
  console.log("first", r.upsertedCount, r.modifiedCount);
  r = await c.bulkWrite([op("k2", [{ d: 2, v: 3 }])], { ordered: false });
  console.log("second", r.upsertedCount, r.modifiedCount);
  try {
    r = await c.bulkWrite([op("k1", [{ d: 1, v: 2 }]), { updateOne: { filter: { _id: "b" }, update: { $set: { z: 1 } }, upsert: true } }], { ordered: false });
    console.log("dup ok?", r.upsertedCount, r.modifiedCount);
  } catch (e) {
    console.log("dup err", e.code, e.writeErrors?.map((w) => [w.index, w.code]), e.result?.upsertedCount ?? e.result?.insertedCount);
  }
  console.log(JSON.stringify(await c.find({}).toArray()));
  await c.updateOne({ _id: "a" }, { $inc: { "e.0.v": 1 } });
  console.log(JSON.stringify(await c.findOne({ _id: "a" })));
  console.log("ne count", await c.countDocuments({ ks: { $ne: "k1" } }));
  await import_mongoose.default.disconnect();
  await s.stop();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
