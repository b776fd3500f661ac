import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DataplaneCapabilities, probeCapabilities } from '../dataplane/capabilities';
import { DEFAULT_CNI_PATH } from '../dataplane/cni-exec';
import { ManifestObject, readManifests } from '../manifests';
import { PendingCheck, attachRows, endpoint, planChecks } from './checks';
import { EmulatedEngine } from './emulated-engine';
import { AttachOutcome, EngineContext, VerifyEngine } from './engine';
import { PlannedAttachment, planRun } from './plan';
import { countResults, plural } from './report';
import { DEFAULT_RUN_DIR, claimRun, isAlive, listRuns, releaseRun, updateRun } from './run-registry';
import { CheckKind, CheckResult, InterruptReason, VerbNote, VerifyCannotRun, VerifyCheck, VerifyInterrupted, VerifyReport } from './types';

/**
 * `cdk8s-nfv verify`, the run: plan (pure), admit (what this machine can run), claim a run
 * prefix, then the engine sets up, attaches, pings and detaches, the checks are evaluated, and
 * teardown removes everything the run made, whatever happened. One bad object fails its own rows.
 */

/** Options of {@link verifyObjects}. */
export interface VerifyOptions {
  /**
   * Directories searched for plugin binaries, in order.
   * @default DEFAULT_CNI_PATH (/opt/cni/bin, then /usr/lib/cni)
   */
  readonly cniPath?: readonly string[];
  /**
   * Emulated nodes; pods are spread over them round-robin (a DaemonSet runs one pod on each).
   * @default 1
   */
  readonly nodes?: number;
  /**
   * Milliseconds the whole run may take; when exceeded the run stops, tears down and throws
   * {@link VerifyInterrupted}.
   * @default 600000
   */
  readonly timeoutMs?: number;
  /**
   * Stops the run (it tears down, then throws {@link VerifyInterrupted} with the signal's reason
   * when it is 'SIGINT' or 'SIGTERM'). The library installs no signal handlers: the command does.
   * @default - not cancellable
   */
  readonly signal?: AbortSignal;
  /**
   * Progress lines (no newline).
   * @default - none
   */
  readonly progress?: (line: string) => void;
  /**
   * Bring up two probe pods on every NAD no workload selects, so each declared network is checked.
   * @default true
   */
  readonly probeUnselected?: boolean;
  /**
   * Processes run at once during setup, pings and teardown.
   * @default 8
   */
  readonly concurrency?: number;
  /**
   * What the machine can do.
   * @default - probed once per process
   */
  readonly capabilities?: DataplaneCapabilities;
  /**
   * Where runs leave their marker (`<prefix>.json`: pid, start time, state directory), so a later
   * run or `verify --cleanup` finds the leftovers of a killed one.
   * @default DEFAULT_RUN_DIR (/run/cdk8s-nfv)
   */
  readonly runDir?: string;
  /**
   * Where the run's temporary directory (all plugin state) is made.
   * @default - os.tmpdir()
   */
  readonly tmpDir?: string;
  /**
   * Attempts per ping before a "must reach" fails (a single lost packet under load is not a failure).
   * @default 3
   */
  readonly pingAttempts?: number;
  /**
   * Pings in flight per source pod.
   * @default 32
   */
  readonly pingChunk?: number;
  /**
   * Source pods pinging at once.
   * @default 4
   */
  readonly pingSources?: number;
  /**
   * The engine that runs the plan.
   * @default - the emulated engine (namespaces and the real plugin binaries)
   */
  readonly engine?: (context: EngineContext) => VerifyEngine;
  /**
   * Neighbour entries (ARP/NDP) one wave of pings may create (the kernel's table is shared by
   * every namespace; 1024 entries by default).
   * @default 700
   */
  readonly neighbourBudget?: number;
}

/** Whether a directory list holds at least one executable file. */
function anyBinary(dirs: readonly string[]): boolean {
  for (const d of dirs) {
    let entries: string[];
    try {
      entries = fs.readdirSync(d);
    } catch {
      continue;
    }
    for (const e of entries) {
      try {
        const f = path.join(d, e);
        if (fs.statSync(f).isFile()) {
          fs.accessSync(f, fs.constants.X_OK);
          return true;
        }
      } catch {
        // not executable
      }
    }
  }
  return false;
}

function interruptReasonOf(reason: unknown): InterruptReason {
  return reason === 'SIGINT' || reason === 'SIGTERM' || reason === 'timeout' ? reason : 'aborted';
}

/** Brings the topology of the objects up, checks it, and tears it down. */
export async function verifyObjects(objects: readonly ManifestObject[], options: VerifyOptions = {}): Promise<VerifyReport> {
  const started = performance.now();
  const progress = options.progress ?? (() => undefined);
  const nodes = options.nodes ?? 1;
  const cniPath = options.cniPath ?? DEFAULT_CNI_PATH;
  const timeoutMs = options.timeoutMs ?? 600000;

  const plan = planRun(objects, { nodes, probeUnselected: options.probeUnselected });
  const caps = options.capabilities ?? probeCapabilities();
  if (!caps.environment.ok) {
    throw new VerifyCannotRun(`cannot bring the topology up here: ${caps.environment.reason ?? 'the environment cannot run plugins'}`);
  }
  if (!anyBinary(cniPath)) {
    throw new VerifyCannotRun(`no CNI plugin binaries in ${cniPath.join(':')}; install the CNI plugins (e.g. apt-get install containernetworking-plugins) or pass --cni-path`);
  }

  const runDir = options.runDir ?? DEFAULT_RUN_DIR;
  const tmpDir = options.tmpDir ?? os.tmpdir();
  let marker = claimRun(runDir);
  const prefix = marker.prefix;
  const dead = listRuns(runDir).filter((m) => m.prefix !== prefix && !isAlive(m)).map((m) => m.prefix);
  if (dead.length > 0) progress(`verify: leftovers of ${plural(dead.length, 'killed run')} (${dead.join(', ')}) are still on this machine; verify --cleanup removes them`);
  const stateDir = fs.mkdtempSync(path.join(tmpDir, `${prefix}-state-`));
  marker = { ...marker, stateDir };
  updateRun(runDir, marker);
  const context = {
    prefix, stateDir, cniPath, capabilities: caps, nodes,
    concurrency: options.concurrency, pingChunk: options.pingChunk, pingSources: options.pingSources, neighbourBudget: options.neighbourBudget,
  };
  const engine = options.engine ? options.engine(context) : new EmulatedEngine(context);

  // what can run: the plan's problems, then what this machine lacks
  const outcomes = new Map<PlannedAttachment, AttachOutcome>();
  const runnable: PlannedAttachment[] = [];
  for (const a of plan.attachments) {
    if (a.problem) {
      outcomes.set(a, { result: a.problem.result === CheckResult.FAILED ? 'failed' : 'unsupported', reason: a.problem.reason, ips: [], added: false });
      continue;
    }
    const why = engine.unsupported(a);
    if (why) outcomes.set(a, { result: 'unsupported', reason: why, ips: [], added: false });
    else runnable.push(a);
  }
  const planMs = performance.now() - started;
  progress(`verify ${prefix}: ${plural(plan.pods.length, 'pod')} with ${plural(plan.attachments.length, 'attachment')} on ${plural(nodes, 'node')}` +
    ` (${plan.attachments.length - runnable.length} not run: failed or unsupported here), ${plural(plan.inputRows.length, 'object')} refused`);

  // cancellation: the caller's signal, and the deadline
  let stop: InterruptReason | undefined;
  const cancel = (why: InterruptReason) => {
    if (stop) return;
    stop = why;
    engine.cancel();
  };
  const onAbort = () => cancel(interruptReasonOf(options.signal?.reason));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  const timer = setTimeout(() => cancel('timeout'), timeoutMs);
  timer.unref?.();
  const checkStop = () => {
    if (stop) throw new VerifyInterrupted(stop, '', []);
  };

  const checks: VerifyCheck[] = [...plan.inputRows];
  const verbs: VerbNote[] = [];
  const t = { phase: performance.now() };
  const lap = () => {
    const now = performance.now();
    const d = now - t.phase;
    t.phase = now;
    return d;
  };
  const times = { setupMs: 0, attachMs: 0, checkMs: 0, detachMs: 0 };
  let interrupted: VerifyInterrupted | undefined;
  let error: unknown;
  try {
    checkStop();
    // --- setup
    const setupFailures = await engine.setup(plan, runnable);
    for (const [a, why] of setupFailures) outcomes.set(a, { result: 'failed', reason: why, ips: [], added: false });
    times.setupMs = lap();
    checkStop();

    // --- attach, one plugin at a time
    const toAttach = runnable.filter((a) => !outcomes.has(a));
    let n = 0;
    for (const a of toAttach) {
      n++;
      const o = await engine.attach(a);
      outcomes.set(a, o);
      progress(`attach ${n}/${toAttach.length} ${endpoint(a)} ${a.networkName}: ${o.result === 'ok' ? `ok ${o.ips.join(' ') || '(no address)'}` : `${o.result} ${o.reason}`}`);
      checkStop();
    }
    checks.push(...attachRows(plan, outcomes));
    times.attachMs = lap();

    // --- reachability and expectations
    const { rows, pending } = planChecks(plan, outcomes, { attempts: options.pingAttempts ?? 3 });
    checks.push(...rows);
    const jobs = pending.flatMap((p: PendingCheck) => p.jobs);
    if (jobs.length > 0) {
      const waiting = await engine.settle();
      if (waiting.length > 0) progress(`checks: links still without carrier after 5 s: ${waiting.join(', ')}`);
    }
    progress(`checks: ${plural(jobs.length, 'ping')} from ${plural(new Set(jobs.map((j) => j.from)).size, 'pod')}`);
    await engine.ping(jobs);
    checkStop();
    for (const p of pending) checks.push({ ...p.row, ...p.evaluate(p.jobs) });
    times.checkMs = lap();

    // --- detach, reverse order
    const added = plan.attachments.filter((a) => outcomes.get(a)?.added);
    for (const a of [...added].reverse()) {
      const o = outcomes.get(a)!;
      const why = await engine.detach(a, o);
      if (why && o.result === 'ok') checks.push({ check: CheckKind.DETACH, from: endpoint(a), to: '-', network: a.networkName, result: CheckResult.FAILED, reason: why });
      checkStop();
    }
    progress(`detach: ${plural(added.length, 'attachment')}`);
    // --- CNI 1.1 GC and leaks (the engine's namespaces are still there)
    if (engine.finish) {
      const finished = await engine.finish();
      checks.push(...finished.rows);
      verbs.push(...finished.notes);
    }
    times.detachMs = lap();
  } catch (e) {
    if (e instanceof VerifyInterrupted) interrupted = e;
    else error = e;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    clearTimeout(timer);
    lap();
  }
  // --- teardown, whatever happened above
  const left = await engine.teardown();
  fs.rmSync(stateDir, { recursive: true, force: true });
  if (fs.existsSync(stateDir)) left.push(stateDir);
  if (left.length === 0) releaseRun(runDir, prefix);
  const teardownMs = lap();
  progress(`teardown: ${left.length === 0 ? 'nothing left behind' : `left behind: ${left.join(', ')} (verify --cleanup removes them once this process is gone)`}`);
  if (error !== undefined) throw error;
  if (interrupted) {
    const why = interrupted.reason === 'timeout' ? `timed out after ${Math.round(timeoutMs / 1000)} s` : interrupted.reason === 'aborted' ? 'cancelled' : `interrupted by ${interrupted.reason}`;
    throw new VerifyInterrupted(interrupted.reason, `${why}; everything the run created was removed${left.length ? ` except ${left.join(', ')}` : ''}`, left);
  }
  if (left.length > 0) {
    checks.push({ check: CheckKind.TEARDOWN, from: '-', to: '-', network: '-', result: CheckResult.FAILED, reason: `left behind: ${left.join(', ')}` });
  }
  const stats = engine.stats();
  return {
    prefix,
    checks,
    nodes,
    pods: plan.pods.length,
    attachments: plan.attachments.length,
    ...countResults(checks),
    leftovers: left,
    ...(verbs.length > 0 ? { verbs } : {}),
    timings: {
      totalMs: performance.now() - started,
      planMs,
      ...times,
      teardownMs,
      pluginMs: stats.pluginMs,
      pluginCalls: stats.pluginCalls,
      pings: stats.pings,
    },
  };
}

/** Reads the inputs and verifies them; read problems make it {@link VerifyCannotRun}. */
export async function verifyManifests(inputs: readonly string[], options: VerifyOptions = {}, stdin?: () => string): Promise<VerifyReport> {
  const { objects, problems } = readManifests(inputs, stdin);
  if (problems.length > 0) throw new VerifyCannotRun(problems.map((p) => `${p.file}: ${p.message}`).join('; '));
  if (objects.length === 0) throw new VerifyCannotRun(`no Kubernetes objects in ${inputs.join(', ')}; pass the synthesized YAML (e.g. dist/)`);
  return verifyObjects(objects, options);
}
