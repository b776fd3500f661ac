import { IConstruct } from 'constructs';
import { Problem, formatProblem } from './cni/problem';

/** Where an App keeps its TopologyWarnings (a registered symbol: the same in every copy of the package). */
const WARNINGS = Symbol.for('cdk8s-nfv.TopologyWarnings');

/**
 * The construct metadata type of a topology warning (`construct.node.metadata`), on the construct
 * at fault (the workload or the NAD), for tools that read construct metadata.
 */
export const TOPOLOGY_WARNING_METADATA = 'cdk8s-nfv:warning';

/** One warning of the whole-topology check. */
export interface TopologyWarning {
  /** The warning as data: field, message, value, fix, and the construct path of the object at fault. */
  readonly problem: Problem;
  /** The warning in the library's one style: `[<construct path>] '<field>' <what is wrong>: got <value>; <how to fix>`. */
  readonly message: string;
}

/** Receives the warnings of an App's whole-topology check. */
export type TopologyWarningHandler = (warning: TopologyWarning) => void;

/** The default handler: one line on standard error. */
const TO_STDERR: TopologyWarningHandler = (w) => {
  process.stderr.write(`Warning: ${w.message}\n`);
};

/**
 * The warnings of an App's whole-topology check: what works but is probably not what was meant
 * (a static address that reaches the plugin only through Multus's deprecated CNI_ARGS path, the
 * IPv6 subnet-router anycast address, a host-local pool that holds the replicas only if they
 * spread over the nodes, a device-plugin resource the pods do not request, ...). Errors fail the
 * synth; warnings do not, and change nothing in the output.
 *
 * cdk8s prints no construct metadata, so at synth each warning goes, once per App, to the App's
 * handler: by default a line `Warning: <message>` on standard error. The warning is also added
 * as construct metadata ({@link TOPOLOGY_WARNING_METADATA}) to the construct at fault.
 *
 * ```ts
 * TopologyWarnings.of(app).onWarning((w) => myLog.warn(w.message));   // elsewhere
 * TopologyWarnings.of(app).onWarning(() => {});                       // silenced
 * ```
 *
 * The setting belongs to the App (its root construct): two Apps never share a handler.
 */
export class TopologyWarnings {
  /** The warnings of the App of `scope`, created on first use. */
  public static of(scope: IConstruct): TopologyWarnings {
    if (scope === undefined || scope === null || typeof (scope as IConstruct).node !== 'object') {
      throw new Error(`'scope' is not a construct: got ${scope === undefined ? 'nothing' : typeof scope}; pass the App or any construct of it`);
    }
    const root = scope.node.root as unknown as Record<symbol, unknown>;
    const existing = root[WARNINGS];
    if (existing instanceof Object && typeof (existing as TopologyWarnings)._report === 'function') return existing as TopologyWarnings;
    const created = new TopologyWarnings();
    Object.defineProperty(root, WARNINGS, { value: created });
    return created;
  }

  private handler: TopologyWarningHandler = TO_STDERR;
  private readonly seen = new Set<string>();
  private readonly _reported: TopologyWarning[] = [];

  private constructor() {}

  /**
   * Sends the App's warnings to `handler` instead of standard error (replacing the handler set
   * before). Warnings reported before the call are not sent again.
   */
  public onWarning(handler: TopologyWarningHandler): void {
    if (typeof handler !== 'function') {
      throw new Error(`'handler' must be a function: got ${handler === undefined ? 'nothing' : JSON.stringify(handler)}; pass e.g. (w) => console.warn(w.message)`);
    }
    this.handler = handler;
  }

  /** Every warning reported so far, in order (a copy). */
  public get reported(): TopologyWarning[] {
    return [...this._reported];
  }

  /**
   * Reports warnings: each distinct one once per App (cdk8s validates several times per synth).
   * `at` finds the construct at a path, for its metadata.
   * @internal
   */
  public _report(problems: readonly Problem[], at: (path: string) => IConstruct | undefined): void {
    for (const problem of problems) {
      const message = formatProblem(problem);
      if (this.seen.has(message)) continue;
      this.seen.add(message);
      const warning: TopologyWarning = { problem, message };
      this._reported.push(warning);
      if (problem.path) at(problem.path)?.node.addMetadata(TOPOLOGY_WARNING_METADATA, message);
      this.handler(warning);
    }
  }
}
