import type { DataplaneCapabilities } from '../dataplane/capabilities';
import { JsonObject } from '../dataplane/cni-exec';
import { Plan, PlannedAttachment, PlannedPod } from './plan';
import { VerbNote, VerifyCheck } from './types';

/**
 * What runs a plan: the emulated engine (namespaces and the real plugin binaries, Multus
 * emulated) today; a real-Multus engine later. Engines share the plan, the checks and the report.
 */

/** How one attachment's ADD went. */
export interface AttachOutcome {
  readonly result: 'ok' | 'failed' | 'unsupported';
  /** Why it failed or is unsupported. */
  readonly reason?: string;
  /** The addresses (CIDR) of the final result. */
  readonly ips: readonly string[];
  /** The final ADD result (for DEL). */
  readonly finalResult?: JsonObject;
  /** Whether plugins ran (DEL must follow). */
  readonly added: boolean;
}

/** One ping. */
export interface PingJob {
  readonly from: PlannedPod;
  /** The pod that answers (its neighbour table fills up too). */
  readonly to?: PlannedPod;
  /** The source interface, or none (the route decides). */
  readonly ifname?: string;
  readonly address: string;
  /** Tries before giving up (a must-reach ping retries; a must-not-reach one does not). */
  readonly attempts: number;
  ok?: boolean;
  output?: string;
}

/** Counters of an engine's work. */
export interface EngineStats {
  readonly pluginMs: number;
  readonly pluginCalls: number;
  readonly pings: number;
}

/** What a run gives its engine. */
export interface EngineContext {
  /** The run's prefix: every name the engine makes starts with it. */
  readonly prefix: string;
  /** The run's directory: all state the engine or its plugins keep goes under it. */
  readonly stateDir: string;
  readonly cniPath: readonly string[];
  readonly capabilities: DataplaneCapabilities;
  readonly nodes: number;
  readonly concurrency?: number;
  readonly pingChunk?: number;
  readonly pingSources?: number;
  readonly neighbourBudget?: number;
}

/** An engine. */
export interface VerifyEngine {
  /** Why the attachment cannot run on this engine and machine, or undefined. */
  unsupported(a: PlannedAttachment): string | undefined;
  /** Creates what the plan needs; returns the attachments that cannot run because of it, with why. */
  setup(plan: Plan, runnable: readonly PlannedAttachment[]): Promise<Map<PlannedAttachment, string>>;
  /** ADD of one attachment. */
  attach(a: PlannedAttachment): Promise<AttachOutcome>;
  /** Makes the links ready to carry pings (carrier); returns links still not ready. */
  settle(): Promise<string[]>;
  /** Runs the pings, filling in `ok` and `output`. */
  ping(jobs: readonly PingJob[]): Promise<void>;
  /** DEL of one attachment; returns why it failed, or undefined. */
  detach(a: PlannedAttachment, outcome: AttachOutcome): Promise<string | undefined>;
  /**
   * After the detach phase, before teardown: CNI 1.1 GC where it can be sent, and the leaks found
   * (rows), with what the engine did about STATUS and GC per network (notes).
   */
  finish?(): Promise<{ rows: VerifyCheck[]; notes: VerbNote[] }>;
  /** Removes everything the engine made; returns what is still there. Safe after a cancel. */
  teardown(): Promise<string[]>;
  /** Stops every process in flight (the run was cancelled). */
  cancel(): void;
  stats(): EngineStats;
}
