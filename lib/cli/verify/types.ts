import type { DataplaneCapabilities } from '../dataplane/capabilities';

/** The kinds of check in a report. */
export enum CheckKind {
  /** An input object verify cannot plan (bad replicas, too many attachments, a bad name). */
  INPUT = 'input',
  /** A pod's attachment ADD through the plugins. */
  ATTACH = 'attach',
  /** Two interfaces with addresses on one network ping each other. */
  REACH = 'reach',
  /** A declared "must reach". */
  EXPECT_REACH = 'expect-reach',
  /** A declared "must not reach". */
  EXPECT_ISOLATED = 'expect-isolated',
  /** A pod's attachment DEL through the plugins. */
  DETACH = 'detach',
  /** Nothing of the run is left behind. */
  TEARDOWN = 'teardown',
}

/** How a check ended. */
export enum CheckResult {
  PASSED = 'passed',
  FAILED = 'failed',
  /** This machine cannot run it (kernel link type, plugin binary, hardware, an option reaching outside the run): never a pass. */
  UNSUPPORTED = 'unsupported',
}

/** One row of the report. */
export interface VerifyCheck {
  readonly check: CheckKind;
  /** The pod (and interface) the check starts from, or the object of an input row. */
  readonly from: string;
  /** The peer, or '-' for checks of one attachment. */
  readonly to: string;
  /** The network (NAD name), or '-'. */
  readonly network: string;
  readonly result: CheckResult;
  /** Why it failed or is unsupported; extra facts when it passed. */
  readonly reason?: string;
}

/** Where the time of a run went, in milliseconds. */
export interface VerifyTimings {
  readonly totalMs: number;
  /** Reading the manifests and planning. */
  readonly planMs: number;
  /** Creating namespaces, uplinks, underlay. */
  readonly setupMs: number;
  /** The attach phase (plugins ADD), wall clock. */
  readonly attachMs: number;
  /** The pings. */
  readonly checkMs: number;
  /** The detach phase (plugins DEL), wall clock. */
  readonly detachMs: number;
  /** Removing namespaces and state. */
  readonly teardownMs: number;
  /** Time inside plugin processes (ADD and DEL), summed. */
  readonly pluginMs: number;
  /** Plugin processes run. */
  readonly pluginCalls: number;
  /** Ping processes run (retries included). */
  readonly pings: number;
}

/** What a run found. */
export interface VerifyReport {
  /** The run's name prefix (every namespace and directory it made starts with it). */
  readonly prefix: string;
  readonly checks: VerifyCheck[];
  readonly nodes: number;
  readonly pods: number;
  readonly attachments: number;
  readonly passed: number;
  readonly failed: number;
  readonly unsupported: number;
  readonly timings: VerifyTimings;
  /** Namespaces or directories of the run still present after teardown (empty when clean). */
  readonly leftovers: string[];
}

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
   * Neighbour entries (ARP/NDP) one wave of pings may create (the kernel's table is shared by
   * every namespace; 1024 entries by default).
   * @default 700
   */
  readonly neighbourBudget?: number;
}

/** The run could not start: not root, no plugin binaries, input beyond the run's limits. */
export class VerifyCannotRun extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerifyCannotRun';
  }
}

/** Why a run stopped early. */
export type InterruptReason = 'SIGINT' | 'SIGTERM' | 'timeout' | 'aborted';

/** The run was stopped (signal or timeout) after everything was torn down. */
export class VerifyInterrupted extends Error {
  constructor(public readonly reason: InterruptReason, message: string, public readonly leftovers: string[]) {
    super(message);
    this.name = 'VerifyInterrupted';
  }
}
