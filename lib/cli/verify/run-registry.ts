import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RUN_PREFIX_RE } from '../dataplane/argv-values';
import { defaultRunPrefix, deleteNetns, leftovers } from '../dataplane/netns';

/**
 * The runs on this machine: each run claims a random prefix by creating `<dir>/<prefix>.json`
 * (exclusively) before it makes anything, records its pid, the pid's start time and its state
 * directory there, and removes the marker once torn down. A marker whose process is gone (or
 * whose pid now belongs to a later process: the start time differs) is a dead run: its
 * namespaces (`<prefix>-*`) and state directory are its leftovers, and only those are removed by
 * {@link cleanupDeadRuns}.
 */

/** Where markers live by default (root only, gone at reboot like the namespaces). */
export const DEFAULT_RUN_DIR = '/run/cdk8s-nfv';

/** A run's marker. */
export interface RunMarker {
  readonly prefix: string;
  readonly pid: number;
  /** The process's start time (clock ticks since boot, /proc/<pid>/stat field 22). */
  readonly startTime: string;
  /** ISO time the run started. */
  readonly started: string;
  /** The run's temporary directory, once made. */
  readonly stateDir?: string;
}

/** The start time of a process, or undefined when it does not exist. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

/** Whether the run of a marker is still alive (its pid runs and started when the marker says). */
export function isAlive(m: RunMarker): boolean {
  return processStartTime(m.pid) === m.startTime;
}

function markerFile(dir: string, prefix: string): string {
  return path.join(dir, `${prefix}.json`);
}

/**
 * Claims a fresh prefix for a run of this process: random, with no marker and no namespace of
 * that name yet. Returns the marker written.
 */
export function claimRun(dir: string = DEFAULT_RUN_DIR): RunMarker {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (let i = 0; i < 16; i++) {
    const prefix = defaultRunPrefix();
    if (leftovers(prefix).length > 0) continue;
    const marker: RunMarker = { prefix, pid: process.pid, startTime: processStartTime(process.pid) ?? '', started: new Date().toISOString() };
    try {
      fs.writeFileSync(markerFile(dir, prefix), `${JSON.stringify(marker)}\n`, { flag: 'wx', mode: 0o600 });
      return marker;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw e;
    }
  }
  throw new Error(`'prefix' could not be claimed: got 16 collisions in ${dir}; run verify --cleanup`);
}

/** Records more of the run in its marker (its state directory). */
export function updateRun(dir: string, marker: RunMarker): void {
  fs.writeFileSync(markerFile(dir, marker.prefix), `${JSON.stringify(marker)}\n`, { mode: 0o600 });
}

/** Removes a run's marker (after teardown). */
export function releaseRun(dir: string, prefix: string): void {
  fs.rmSync(markerFile(dir, prefix), { force: true });
}

/** The markers in a directory; files that are not markers of verify are left alone and not listed. */
export function listRuns(dir: string = DEFAULT_RUN_DIR): RunMarker[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: RunMarker[] = [];
  for (const name of names.sort()) {
    const m = /^(nfv[0-9a-f]+)\.json$/.exec(name);
    if (!m || !RUN_PREFIX_RE.test(m[1])) continue;
    try {
      const v = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as RunMarker;
      if (v.prefix !== m[1] || !Number.isInteger(v.pid) || v.pid <= 0 || typeof v.startTime !== 'string') continue;
      out.push(v);
    } catch {
      // not a marker
    }
  }
  return out;
}

/** Whether a state directory is one a run of that prefix made (a direct child of the temp dir named after it). */
function isRunStateDir(dir: string, prefix: string, tmpDir: string): boolean {
  const resolved = path.resolve(dir);
  return path.dirname(resolved) === path.resolve(tmpDir) && path.basename(resolved).startsWith(`${prefix}-state-`);
}

/** What {@link cleanupDeadRuns} did. */
export interface CleanupResult {
  /** Dead runs cleaned, with what was removed. */
  readonly removed: ReadonlyArray<{ readonly prefix: string; readonly pid: number; readonly namespaces: readonly string[]; readonly stateDir?: string }>;
  /** Runs still alive (left alone). */
  readonly alive: readonly string[];
  /** What could not be removed. */
  readonly failed: readonly string[];
}

/**
 * Removes the leftovers of dead runs (their namespaces, state directory and marker), and nothing
 * of live runs or of anything without a marker.
 */
export function cleanupDeadRuns(dir: string = DEFAULT_RUN_DIR, tmpDir: string = os.tmpdir()): CleanupResult {
  const removed: Array<{ prefix: string; pid: number; namespaces: string[]; stateDir?: string }> = [];
  const alive: string[] = [];
  const failed: string[] = [];
  for (const m of listRuns(dir)) {
    if (isAlive(m)) {
      alive.push(m.prefix);
      continue;
    }
    const namespaces = leftovers(m.prefix);
    for (const n of namespaces) deleteNetns(n);
    const still = leftovers(m.prefix);
    failed.push(...still);
    let stateDir: string | undefined;
    if (m.stateDir && isRunStateDir(m.stateDir, m.prefix, tmpDir) && fs.existsSync(m.stateDir)) {
      fs.rmSync(m.stateDir, { recursive: true, force: true });
      stateDir = m.stateDir;
      if (fs.existsSync(m.stateDir)) failed.push(m.stateDir);
    }
    if (still.length === 0) releaseRun(dir, m.prefix);
    removed.push({ prefix: m.prefix, pid: m.pid, namespaces: namespaces.filter((n) => !still.includes(n)), stateDir });
  }
  return { removed, alive, failed };
}
