import { spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ToolchainComponent, ToolchainVersions, binariesOf } from './versions';

/**
 * Builds the real consumers (kube-apiserver, etcd, Multus, the CNI plugins) from the project's
 * wrapper Go modules into a cache keyed by component and version. Each component's directory is
 * made in a temporary directory and renamed into place whole, so an interrupted build leaves no
 * half cache; a stamp file holding the hash of the build's inputs makes a second run a no-op.
 */

/** The stamp written last into a component's cache directory. */
export interface ToolchainStamp {
  /** sha256 of the inputs: the component entry, go.mod, go.sum and the build flags. */
  readonly inputs: string;
  /** `go env GOVERSION` of the Go that built it. */
  readonly goVersion: string;
  /** The binaries in bin/. */
  readonly binaries: readonly string[];
  /** Wall time of the build, in seconds. */
  readonly seconds: number;
}

/** Where one component lives in the cache. */
export interface ComponentLocation {
  readonly component: ToolchainComponent;
  /** `<cacheDir>/<component>-<version>`. */
  readonly dir: string;
  /** `<dir>/bin`: the binaries. */
  readonly binDir: string;
}

/** What a build run did for one component. */
export interface ComponentResult extends ComponentLocation {
  /** Whether this run built it (false: it was up to date). */
  readonly built: boolean;
  /** Seconds this run spent on it. */
  readonly seconds: number;
}

export interface ToolchainBuildOptions {
  /** The project's toolchain/ folder (versions.json and one wrapper module per component). */
  readonly toolchainDir: string;
  /** The cache root. */
  readonly cacheDir: string;
  /** The parsed versions.json. */
  readonly versions: ToolchainVersions;
  /** The environment the go command runs with (the caller's, usually). */
  readonly env: NodeJS.ProcessEnv;
  /** The go command. @default 'go' */
  readonly go?: string;
  /** Only these components. @default - all of versions.json */
  readonly only?: readonly string[];
  /** Progress lines. @default - silent */
  readonly log?: (line: string) => void;
  /** Seconds between progress lines while a build runs. @default 15 */
  readonly progressEverySeconds?: number;
  /** Stops a running build (its temporary directory is removed). @default - none */
  readonly signal?: AbortSignal;
}

const STAMP = 'stamp.json';
const LOCK_POLL_MS = 1000;

/** Where a component's cache directory is. */
export function locate(cacheDir: string, component: ToolchainComponent): ComponentLocation {
  const dir = path.join(cacheDir, `${component.name}-${component.version}`);
  return { component, dir, binDir: path.join(dir, 'bin') };
}

/** The `go build` arguments for a component writing into `binDir`. */
export function buildArgs(component: ToolchainComponent, binDir: string): string[] {
  const ldflags = ['-s', '-w', ...(component.versionVariables ?? []).map((v) => `-X ${v}=${component.version}`)].join(' ');
  const out = component.packages.length === 1 ? path.join(binDir, binariesOf(component)[0]) : `${binDir}${path.sep}`;
  return ['build', '-mod=readonly', '-trimpath', '-v', `-ldflags=${ldflags}`, '-o', out, ...component.packages];
}

/** The hash of everything a component's build depends on, Go itself aside. */
export function inputsHash(toolchainDir: string, component: ToolchainComponent): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(component));
  h.update('\0');
  h.update(JSON.stringify(buildArgs(component, 'BIN')));
  for (const f of ['go.mod', 'go.sum']) {
    h.update(`\0${f}\0`);
    h.update(fs.readFileSync(path.join(toolchainDir, component.name, f)));
  }
  return h.digest('hex');
}

/** The stamp of a component's cache directory, or undefined. */
export function readStamp(dir: string): ToolchainStamp | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, STAMP), 'utf8')) as ToolchainStamp;
  } catch {
    return undefined;
  }
}

/**
 * Why a component's cache is not usable, or undefined when it is. `goVersion` undefined (no Go
 * here) accepts binaries whatever Go built them.
 */
export function staleReason(toolchainDir: string, loc: ComponentLocation, goVersion: string | undefined): string | undefined {
  const stamp = readStamp(loc.dir);
  if (!stamp) return `${loc.component.name} ${loc.component.version} is not built (no ${path.join(loc.dir, STAMP)})`;
  if (stamp.inputs !== inputsHash(toolchainDir, loc.component)) return `${loc.component.name}: its go.mod, go.sum or versions.json entry changed since it was built`;
  if (goVersion !== undefined && stamp.goVersion !== goVersion) return `${loc.component.name} was built by ${stamp.goVersion}, not ${goVersion}`;
  for (const b of binariesOf(loc.component)) {
    if (!fs.existsSync(path.join(loc.binDir, b))) return `${loc.component.name}: ${b} is missing from ${loc.binDir}`;
  }
  return undefined;
}

/** `go env GOVERSION`, or undefined when there is no usable go command. */
export function goVersionOf(go: string, env: NodeJS.ProcessEnv): string | undefined {
  const r = spawnSync(go, ['env', 'GOVERSION'], { env: goEnv(env), encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0 || typeof r.stdout !== 'string') return undefined;
  const v = r.stdout.trim();
  return /^go\d+\.\d+/.test(v) ? v : undefined;
}

/** Whether `have` (go1.26.8) is at least `minimum` (1.26.8). */
export function goAtLeast(have: string, minimum: string): boolean {
  const a = have.replace(/^go/, '').split(/[.a-z]/).map((x) => Number(x) || 0);
  const b = minimum.split('.').map((x) => Number(x) || 0);
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

function goEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  // no cgo (static binaries), and never download another Go toolchain
  return { ...env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local' };
}

function selected(options: ToolchainBuildOptions): ToolchainComponent[] {
  const all = options.versions.components;
  if (!options.only) return [...all];
  for (const name of options.only) {
    if (!all.some((c) => c.name === name)) {
      throw new Error(`'only' names an unknown component: got ${JSON.stringify(name)}; use one of ${all.map((c) => c.name).join(', ')}`);
    }
  }
  return all.filter((c) => options.only!.includes(c.name));
}

/**
 * Builds every missing or stale component; returns what it did. Throws when Go is absent or too
 * old, or a build fails (the cache keeps what it had).
 */
export async function buildToolchain(options: ToolchainBuildOptions): Promise<ComponentResult[]> {
  const go = options.go ?? 'go';
  const log = options.log ?? (() => undefined);
  const goVersion = goVersionOf(go, options.env);
  if (!goVersion) throw new Error(`'go' is not a usable Go command: got ${JSON.stringify(go)}; install Go ${options.versions.goMinimum} or newer`);
  if (!goAtLeast(goVersion, options.versions.goMinimum)) {
    throw new Error(`'go' is too old: got ${JSON.stringify(goVersion)}; install Go ${options.versions.goMinimum} or newer`);
  }
  fs.mkdirSync(options.cacheDir, { recursive: true });
  const out: ComponentResult[] = [];
  for (const component of selected(options)) {
    out.push(await buildOne(options, go, goVersion, locate(options.cacheDir, component), log));
  }
  return out;
}

async function buildOne(options: ToolchainBuildOptions, go: string, goVersion: string, loc: ComponentLocation, log: (l: string) => void): Promise<ComponentResult> {
  const started = Date.now();
  const label = `${loc.component.name} ${loc.component.version}`;
  const upToDate = (): ComponentResult | undefined =>
    staleReason(options.toolchainDir, loc, goVersion) === undefined ? { ...loc, built: false, seconds: (Date.now() - started) / 1000 } : undefined;
  const first = upToDate();
  if (first) {
    log(`${label}: up to date (${loc.dir})`);
    return first;
  }
  const release = await lock(`${loc.dir}.lock`, options.signal, () => log(`${label}: waiting for another build of it to finish`));
  try {
    const again = upToDate(); // another process may have built it while we waited
    if (again) {
      log(`${label}: up to date (${loc.dir})`);
      return again;
    }
    removeLeftovers(loc.dir);
    log(`${label}: building ${loc.component.packages.length} package(s) of ${loc.component.module} with ${goVersion}`);
    const tmp = fs.mkdtempSync(`${loc.dir}.tmp-`);
    fs.chmodSync(tmp, 0o755);
    try {
      const binDir = path.join(tmp, 'bin');
      fs.mkdirSync(binDir);
      await runGo(go, buildArgs(loc.component, binDir), path.join(options.toolchainDir, loc.component.name), options, label, log);
      copyModuleFiles(go, loc.component, path.join(options.toolchainDir, loc.component.name), binDir, options, label, log);
      const binaries = binariesOf(loc.component);
      for (const b of binaries) {
        if (!fs.existsSync(path.join(binDir, b))) throw new Error(`${label}: go build wrote no ${b} into ${binDir}`);
      }
      const seconds = (Date.now() - started) / 1000;
      const stamp: ToolchainStamp = { inputs: inputsHash(options.toolchainDir, loc.component), goVersion, binaries, seconds };
      fs.writeFileSync(path.join(tmp, STAMP), `${JSON.stringify(stamp, null, 2)}\n`);
      replaceDir(tmp, loc.dir);
      log(`${label}: built in ${seconds.toFixed(0)} s (${loc.binDir})`);
      return { ...loc, built: true, seconds };
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  } finally {
    release();
  }
}

/** Copies the component's `moduleFiles` from the module's directory in the module cache into `binDir`. */
function copyModuleFiles(go: string, component: ToolchainComponent, cwd: string, binDir: string, options: ToolchainBuildOptions, label: string, log: (l: string) => void): void {
  const files = component.moduleFiles ?? [];
  if (files.length === 0) return;
  const r = spawnSync(go, ['list', '-mod=readonly', '-m', '-f', '{{.Dir}}', component.module], { cwd, env: goEnv(options.env), encoding: 'utf8', timeout: 120_000 });
  const dir = typeof r.stdout === 'string' ? r.stdout.trim() : '';
  if (r.status !== 0 || !path.isAbsolute(dir)) throw new Error(`${label}: go list -m ${component.module} found no module directory: ${(r.stderr ?? '').toString().slice(-2000)}`);
  for (const f of files) {
    const from = path.join(dir, ...f.split('/'));
    if (!fs.statSync(from, { throwIfNoEntry: false })?.isFile()) throw new Error(`${label}: the module holds no file ${f} (looked in ${dir})`);
    fs.copyFileSync(from, path.join(binDir, path.basename(f)));
    fs.chmodSync(path.join(binDir, path.basename(f)), 0o644);
  }
  log(`${label}: copied ${files.length} file(s) of the module beside the binaries`);
}

/**
 * Removes what killed builds of `dir` left (their temporary and moved-aside directories); called
 * while holding the component's lock, so no live build owns them.
 */
function removeLeftovers(dir: string): void {
  const parent = path.dirname(dir);
  const base = path.basename(dir);
  for (const f of fs.readdirSync(parent)) {
    if (f.startsWith(`${base}.tmp-`) || f.startsWith(`${base}.old-`)) fs.rmSync(path.join(parent, f), { recursive: true, force: true });
  }
}

/** Puts `from` at `to` by renames only; an old `to` is moved aside first and removed after. */
function replaceDir(from: string, to: string): void {
  let old: string | undefined;
  if (fs.existsSync(to)) {
    old = `${to}.old-${process.pid}-${Date.now()}`;
    fs.renameSync(to, old);
  }
  fs.renameSync(from, to);
  if (old) fs.rmSync(old, { recursive: true, force: true });
}

function runGo(go: string, args: string[], cwd: string, options: ToolchainBuildOptions, label: string, log: (l: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new Error(`${label}: build aborted`));
      return;
    }
    const started = Date.now();
    // its own process group, so stopping it stops the compilers it runs
    const child = spawn(go, args, { cwd, env: goEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let packages = 0;
    let tail = '';
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      packages += (text.match(/\n/g) ?? []).length;
      tail = (tail + text).slice(-4000);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const every = (options.progressEverySeconds ?? 15) * 1000;
    const ticker = setInterval(() => log(`${label}: ${packages} packages compiled, ${Math.round((Date.now() - started) / 1000)} s`), every);
    ticker.unref();
    const kill = (): void => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
    };
    options.signal?.addEventListener('abort', kill, { once: true });
    child.on('error', (e) => {
      clearInterval(ticker);
      options.signal?.removeEventListener('abort', kill);
      reject(new Error(`${label}: cannot run ${go}: ${e.message}`));
    });
    child.on('close', (code, sig) => {
      clearInterval(ticker);
      options.signal?.removeEventListener('abort', kill);
      if (options.signal?.aborted) reject(new Error(`${label}: build aborted`));
      else if (code === 0) resolve();
      else reject(new Error(`${label}: go ${args.join(' ')} failed (${code ?? sig}):\n${tail}`));
    });
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes a lock directory holding the owner's pid; waits while a live process holds it, takes over
 * one whose owner died. Returns the release function.
 */
async function lock(dir: string, signal: AbortSignal | undefined, onWait: () => void): Promise<() => void> {
  let told = false;
  for (;;) {
    try {
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'pid'), String(process.pid));
      return () => fs.rmSync(dir, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let owner = 0;
    try {
      owner = Number(fs.readFileSync(path.join(dir, 'pid'), 'utf8'));
    } catch {
      // the owner is between mkdir and writing its pid, or has just released the lock
    }
    if (owner > 0 && !pidAlive(owner)) {
      fs.rmSync(dir, { recursive: true, force: true });
      continue;
    }
    if (signal?.aborted) throw new Error(`lock ${dir}: aborted`);
    if (!told) {
      onWait();
      told = true;
    }
    await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
  }
}
