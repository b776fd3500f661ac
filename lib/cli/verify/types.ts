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
  /** After DEL: state a plugin still held (what CNI 1.1 GC released, or host-local reservations left in the run's state). */
  GC = 'gc',
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
  /**
   * CNI 1.1's STATUS (before ADD) and GC (after DEL) per network: sent and how it went, or not
   * sent and why (never counted as a pass).
   * @default - none (an engine that says nothing of them)
   */
  readonly verbs?: readonly VerbNote[];
}

/** What a report says about STATUS or GC for one network: sent (and how it went) or not sent (and why). */
export interface VerbNote {
  readonly verb: 'STATUS' | 'GC';
  /** The network: `NetworkAttachmentDefinition ns/name`, or a claim's `ResourceClaimTemplate ns/name request r`. */
  readonly network: string;
  readonly sent: boolean;
  /** What happened (sent), or why it was not sent. */
  readonly detail: string;
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
