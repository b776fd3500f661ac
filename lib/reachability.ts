import { Construct } from 'constructs';
import { assertArg, assertProps, extendShape, pBool, pEnum, pInstance, propsShape } from './cni/props-check';
import { NetworkFunction } from './network-function';
import { NETWORK_TARGET, NetworkTarget } from './network-target';
import {
  EXPECTATION_ANNOTATIONS,
  ExpectationTarget,
  Reachability,
  renderExpectations,
} from './topology/expectations';

export { Reachability, EXPECT_REACH_ANNOTATION, EXPECT_ISOLATED_ANNOTATION } from './topology/expectations';
export type { ExpectationTarget } from './topology/expectations';

/** Properties of a {@link ReachabilityExpectation}. */
export interface ReachabilityExpectationProps {
  /** The function whose pods send the pings. */
  readonly from: NetworkFunction;
  /** The function whose pods must (or must not) answer. */
  readonly to: NetworkFunction;
  /**
   * What is expected.
   * @default Reachability.REACH
   */
  readonly expect?: Reachability;
  /**
   * The network the check runs on; `from` must be attached to it (and, for REACH, `to` too).
   * @default - REACH: required; ISOLATED: every address of `to`, on any network
   */
  readonly network?: NetworkTarget;
  /**
   * Also declare the same expectation from `to` towards `from`.
   * @default false
   */
  readonly bidirectional?: boolean;
}

const FUNCTION = pInstance([NetworkFunction], 'a NetworkFunction construct', 'pass the NetworkFunction itself, not its name');
const REACH_OPTIONS = propsShape('ReachabilityExpectation.mustReach options', { bidirectional: pBool() });
const ISOLATED_OPTIONS = extendShape(REACH_OPTIONS, 'ReachabilityExpectation.mustNotReach options', { network: NETWORK_TARGET });

/** The shape of {@link ReachabilityExpectationProps}. */
const EXPECTATION_SHAPE = propsShape('ReachabilityExpectationProps', {
  from: { type: FUNCTION, required: 'give the function whose pods send the pings' },
  to: { type: FUNCTION, required: 'give the function whose pods must (or must not) answer' },
  expect: pEnum(Reachability, 'Reachability'),
  network: NETWORK_TARGET,
  bidirectional: pBool(),
});

const declared = new WeakMap<NetworkFunction, Record<Reachability, ExpectationTarget[]>>();

function networkNameOf(fn: NetworkFunction, network: NetworkTarget): string | undefined {
  return fn.attachments.find((a) => a.target === network)?.nadName;
}

/**
 * A declared reachability expectation between two network functions: "this function must reach
 * that one on that network", or "these two must not reach each other". It is written into the
 * synthesized output as an annotation on the source function's workloads
 * (`nfv.cdk8s.io/expect-reach` / `nfv.cdk8s.io/expect-isolated`, JSON lists of
 * `{function, namespace, network}`), which `cdk8s-nfv verify` checks with pings between the pods
 * it brings up. A REACH check passes when every ping answers; an ISOLATED check when none does.
 */
export class ReachabilityExpectation extends Construct {
  /** `from` must reach `to` on `network` (a construct under `from`). */
  public static mustReach(from: NetworkFunction, to: NetworkFunction, network: NetworkTarget, options: { bidirectional?: boolean } = {}): ReachabilityExpectation {
    assertArg(FUNCTION, from, 'from', 'ReachabilityExpectation.mustReach', 'give the function whose pods send the pings');
    assertArg(FUNCTION, to, 'to', 'ReachabilityExpectation.mustReach', 'give the function that must answer');
    assertArg(NETWORK_TARGET, network, 'network', 'ReachabilityExpectation.mustReach', 'give the network the check runs on');
    assertProps(REACH_OPTIONS, options, 'ReachabilityExpectation.mustReach');
    return new ReachabilityExpectation(from, `Reach-${to.namespace}-${to.name}-${network.name}`, { from, to, network, expect: Reachability.REACH, ...options });
  }

  /** `from` must not reach `to` (on `network`, or on any network when not given). */
  public static mustNotReach(from: NetworkFunction, to: NetworkFunction, options: { network?: NetworkTarget; bidirectional?: boolean } = {}): ReachabilityExpectation {
    assertArg(FUNCTION, from, 'from', 'ReachabilityExpectation.mustNotReach', 'give the function whose pods send the pings');
    assertArg(FUNCTION, to, 'to', 'ReachabilityExpectation.mustNotReach', 'give the function that must not answer');
    assertProps(ISOLATED_OPTIONS, options, 'ReachabilityExpectation.mustNotReach');
    const id = `Isolated-${to.namespace}-${to.name}${options.network ? `-${options.network.name}` : ''}`;
    return new ReachabilityExpectation(from, id, { from, to, expect: Reachability.ISOLATED, ...options });
  }

  public readonly from: NetworkFunction;
  public readonly to: NetworkFunction;
  public readonly expect: Reachability;
  /** The NAD name the check runs on, or undefined (isolation on every network). */
  public readonly networkName?: string;
  public readonly bidirectional: boolean;

  constructor(scope: Construct, id: string, props: ReachabilityExpectationProps) {
    super(scope, id);
    assertProps(EXPECTATION_SHAPE, props, `ReachabilityExpectation ${this.node.path}`);
    this.from = props.from;
    this.to = props.to;
    this.expect = props.expect ?? Reachability.REACH;
    this.bidirectional = props.bidirectional ?? false;
    if (this.expect === Reachability.REACH && props.network === undefined) {
      throw new Error(`'network' is required for a reach expectation: got undefined; name the network ${this.to.name} must be reached on`);
    }
    if (props.network !== undefined) {
      this.networkName = networkNameOf(this.from, props.network);
      if (this.networkName === undefined) {
        throw new Error(`'network' is not attached to function ${this.from.name}: got ${JSON.stringify(props.network.name)}; attach ${this.from.name} to it first, or pick one of ${JSON.stringify(this.from.attachments.map((a) => a.nadName))}`);
      }
      const network = props.network;
      this.node.addValidation({
        validate: () => {
          const errors: string[] = [];
          for (const fn of this.bidirectional ? [this.to, this.from] : [this.to]) {
            if (this.expect === Reachability.REACH && networkNameOf(fn, network) === undefined) {
              errors.push(`'network' is not attached to function ${fn.name}: got ${JSON.stringify(network.name)}; attach ${fn.name} to it, or expect isolation instead`);
            }
          }
          return errors;
        },
      });
    }
    this.record(this.from, this.to);
    if (this.bidirectional) this.record(this.to, this.from);
  }

  private record(source: NetworkFunction, target: NetworkFunction): void {
    let lists = declared.get(source);
    if (!lists) {
      lists = { [Reachability.REACH]: [], [Reachability.ISOLATED]: [] };
      declared.set(source, lists);
    }
    const list = lists[this.expect];
    list.push({ function: target.name, namespace: target.namespace, network: this.networkName });
    const value = renderExpectations(list);
    for (const w of source.workloads) w.metadata.addAnnotation(EXPECTATION_ANNOTATIONS[this.expect], value);
  }
}
