import { Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { Problem, ProblemSink, formatProblem, reportProblems } from '../cni/problem';
import { assertArg, assertProps } from '../cni/props-check';
import * as mnp from '../imports/multi-networkpolicy-k8s.cni.cncf.io';
import { POLICY_FOR_ANNOTATION } from '../multus/selection-element';
import { NetworkReferences } from '../network-references';
import { networksByReference, policyReferenceProblems, renderPolicyFor } from '../topology/policy-references';
import { ResolvedPolicyNetwork, networkProblems, referenceOf, resolveNetworks, topologyNetworksOf } from './networks';
import { PolicyLabelSelector } from './label-selector';
import { MultiNetworkPolicyPeer, PeerJson } from './peer';
import { MultiNetworkPolicyPodSelection, ResolvedPods, resolvePods } from './pod-selection';
import { MultiNetworkPolicyPort, PortJson } from './port';
import {
  ALLOW_FROM_SHAPE, BASE_SHAPE, MultiNetworkPolicyAllowFromProps, MultiNetworkPolicyBaseProps, MultiNetworkPolicyIsolation, MultiNetworkPolicyProps,
  MultiNetworkPolicyRule, PEER, POLICY_SHAPE, PORTS,
} from './props';
import { fail } from './report';

/**
 * MultiNetworkPolicy (`k8s.cni.cncf.io/v1beta1`): a NetworkPolicy for secondary networks.
 *
 * Facts of the API and of its reference implementation (multi-networkpolicy-iptables) this module
 * encodes, so that a policy never silently means less than it says:
 * - the policy is bound to networks by the `k8s.v1.cni.cncf.io/policy-for` annotation, a
 *   comma-separated list of NAD names; a bare name means a NAD of the policy's own namespace, a
 *   `namespace/name` entry may name a NAD of another namespace. A policy without it is ignored.
 *   We write `namespace/name` when the NAD's namespace is known, and a bare name for a NAD of the
 *   policy's own namespace when the App's references are namespace-relative
 *   (`NetworkReferences.namespaceRelative(app)`), so the policy keeps working when the manifests
 *   are moved to another namespace.
 * - the policy applies to pods of its own namespace only.
 * - v1beta1 (the only served version) has no `endPort`: a port range is written as one entry
 *   per port, and ranges larger than {@link MultiNetworkPolicyPort.MAX_RANGE_PORTS} are refused.
 * - without `policyTypes` the implementation isolates both directions (Kubernetes NetworkPolicy
 *   would default to Ingress only), so `policyTypes` is always written.
 * - a pod peer without a namespace selector is matched against pods of every namespace by the
 *   implementation (Kubernetes would use the policy's namespace), so a pod peer whose namespace is
 *   known is written with a namespace selector on `kubernetes.io/metadata.name`.
 * - the protocol of a port is always written (older implementations read it without a default).
 * - only NADs whose (first) plugin type is listed in the daemon's `--network-plugins` are
 *   enforced; the daemon's default is `macvlan`.
 */

/** The CNI plugin types multi-networkpolicy-iptables enforces unless told otherwise (`--network-plugins`). */
export const DEFAULT_ENFORCED_PLUGIN_TYPES: readonly string[] = ['macvlan'];

/**
 * A MultiNetworkPolicy (`k8s.cni.cncf.io/v1beta1`): network policy on secondary networks, bound
 * to NetworkAttachmentDefinitions by the `k8s.v1.cni.cncf.io/policy-for` annotation.
 */
export class MultiNetworkPolicy extends Construct {
  /** Denies all incoming traffic on `networks` to the target pods. */
  public static denyAllIngress(scope: Construct, id: string, props: MultiNetworkPolicyBaseProps): MultiNetworkPolicy {
    assertProps(BASE_SHAPE, props, `MultiNetworkPolicy ${scope.node.path}/${id}`);
    return new MultiNetworkPolicy(scope, id, { ...props, isolate: MultiNetworkPolicyIsolation.INGRESS });
  }

  /** Denies all outgoing traffic on `networks` from the target pods. */
  public static denyAllEgress(scope: Construct, id: string, props: MultiNetworkPolicyBaseProps): MultiNetworkPolicy {
    assertProps(BASE_SHAPE, props, `MultiNetworkPolicy ${scope.node.path}/${id}`);
    return new MultiNetworkPolicy(scope, id, { ...props, isolate: MultiNetworkPolicyIsolation.EGRESS });
  }

  /** Denies all traffic, both directions, on `networks` for the target pods. */
  public static denyAll(scope: Construct, id: string, props: MultiNetworkPolicyBaseProps): MultiNetworkPolicy {
    assertProps(BASE_SHAPE, props, `MultiNetworkPolicy ${scope.node.path}/${id}`);
    return new MultiNetworkPolicy(scope, id, { ...props, isolate: MultiNetworkPolicyIsolation.BOTH });
  }

  /** Allows incoming traffic on `networks` only from `from` (on `ports`); everything else coming in is denied. */
  public static allowIngressOnlyFrom(scope: Construct, id: string, props: MultiNetworkPolicyAllowFromProps): MultiNetworkPolicy {
    assertProps(ALLOW_FROM_SHAPE, props, `MultiNetworkPolicy ${scope.node.path}/${id}`);
    const { from, ports, ...base } = props;
    if (from.length === 0) {
      fail(`MultiNetworkPolicy ${scope.node.path}/${id}`, 'from', 'must name at least one peer', from, 'list the allowed peers, or use MultiNetworkPolicy.denyAllIngress()');
    }
    return new MultiNetworkPolicy(scope, id, {
      ...base,
      isolate: MultiNetworkPolicyIsolation.INGRESS,
      ingress: from.map((peer) => ({ peer, ports })),
    });
  }

  /** The networks the policy is for, resolved to NADs (logical networks to their NAD in the policy's namespace). */
  public readonly networks: readonly ResolvedPolicyNetwork[];
  /** The pods the policy applies to. */
  public readonly target: MultiNetworkPolicyPodSelection;
  /** Directions isolated regardless of rules, if any. */
  public readonly isolate?: MultiNetworkPolicyIsolation;
  /** The plugin types the daemon enforces. */
  public readonly enforcedPluginTypes: readonly string[];
  /** The namespace of the policy, when set explicitly or by the chart. */
  public readonly namespace?: string;
  /** The generated L1 object. */
  public readonly apiObject: mnp.MultiNetworkPolicy;

  private readonly _ingress: MultiNetworkPolicyRule[] = [];
  private readonly _egress: MultiNetworkPolicyRule[] = [];

  constructor(scope: Construct, id: string, props: MultiNetworkPolicyProps) {
    super(scope, id);
    assertProps(POLICY_SHAPE, props, `MultiNetworkPolicy ${this.node.path}`);
    this.target = props.target ?? PolicyLabelSelector.all();
    this.isolate = props.isolate;
    this.enforcedPluginTypes = [...(props.enforcedPluginTypes ?? DEFAULT_ENFORCED_PLUGIN_TYPES)];
    this.namespace = props.metadata?.namespace ?? Chart.of(this).namespace;

    const sink = new ProblemSink();
    this.networks = resolveNetworks(sink, props.networks ?? [], this.namespace);
    if (!sink.hasErrors) networkProblems(sink, this.networks, this.node.root as Construct, this.namespace);
    if (!sink.hasErrors) this.checkReferences(sink);
    this.checkTarget(sink);
    reportProblems(sink.problems, `MultiNetworkPolicy ${this.node.path}`);

    this.apiObject = new mnp.MultiNetworkPolicy(this, 'Resource', {
      metadata: {
        ...props.metadata,
        // at synth: whether the references are namespace-relative is a choice of the App
        annotations: { ...(props.metadata?.annotations ?? {}), [POLICY_FOR_ANNOTATION]: Lazy.any({ produce: () => this.policyFor }) as unknown as string },
      },
      spec: Lazy.any({ produce: () => this.renderSpec() }) as unknown as mnp.MultiNetworkPolicySpec,
    });

    for (const r of props.ingress ?? []) this.addIngressRule(r.peer, r.ports);
    for (const r of props.egress ?? []) this.addEgressRule(r.peer, r.ports);

    this.node.addValidation({ validate: () => this.synthProblems().map((p) => formatProblem({ ...p, path: undefined })) });
  }

  /** The Kubernetes name of the policy. */
  public get name(): string {
    return this.apiObject.name;
  }

  /**
   * The value of the `k8s.v1.cni.cncf.io/policy-for` annotation: `namespace/name` entries,
   * comma-separated; a NAD of the policy's own namespace by its bare name when the App's
   * references are namespace-relative.
   */
  public get policyFor(): string {
    const relativeTo = NetworkReferences.isNamespaceRelative(this) ? this.namespace : undefined;
    return renderPolicyFor(this.networks.map(referenceOf), relativeTo);
  }

  /** The ingress rules. */
  public get ingressRules(): MultiNetworkPolicyRule[] {
    return [...this._ingress];
  }

  /** The egress rules. */
  public get egressRules(): MultiNetworkPolicyRule[] {
    return [...this._egress];
  }

  /** Allows traffic from `peer` to the target pods, on `ports` (default: every port). */
  public addIngressRule(peer: MultiNetworkPolicyPeer, ports?: MultiNetworkPolicyPort[]): void {
    assertArg(PEER, peer, 'peer', `MultiNetworkPolicy ${this.node.path} addIngressRule`, 'give the peer, e.g. MultiNetworkPolicyPeer.any()');
    assertArg(PORTS, ports, 'ports', `MultiNetworkPolicy ${this.node.path} addIngressRule`);
    this._ingress.push({ peer, ports: ports ? [...ports] : undefined });
  }

  /** Allows traffic from the target pods to `peer`, on `ports` (default: every port). */
  public addEgressRule(peer: MultiNetworkPolicyPeer, ports?: MultiNetworkPolicyPort[]): void {
    assertArg(PEER, peer, 'peer', `MultiNetworkPolicy ${this.node.path} addEgressRule`, 'give the peer, e.g. MultiNetworkPolicyPeer.any()');
    assertArg(PORTS, ports, 'ports', `MultiNetworkPolicy ${this.node.path} addEgressRule`);
    this._egress.push({ peer, ports: ports ? [...ports] : undefined });
  }

  /** The directions the policy isolates (`policyTypes`). */
  public get policyTypes(): mnp.MultiNetworkPolicySpecPolicyTypes[] {
    const out: mnp.MultiNetworkPolicySpecPolicyTypes[] = [];
    const iso = this.isolate;
    if (this._ingress.length > 0 || iso === MultiNetworkPolicyIsolation.INGRESS || iso === MultiNetworkPolicyIsolation.BOTH) {
      out.push(mnp.MultiNetworkPolicySpecPolicyTypes.INGRESS);
    }
    if (this._egress.length > 0 || iso === MultiNetworkPolicyIsolation.EGRESS || iso === MultiNetworkPolicyIsolation.BOTH) {
      out.push(mnp.MultiNetworkPolicySpecPolicyTypes.EGRESS);
    }
    return out;
  }

  private renderRules(rules: MultiNetworkPolicyRule[]): { ports?: PortJson[]; peers?: PeerJson[] }[] | undefined {
    if (rules.length === 0) return undefined;
    return rules.map((r) => {
      const ports = (r.ports ?? []).flatMap((p) => p._toJson());
      const peer = r.peer._toJson(this.namespace);
      return { ports: ports.length > 0 ? ports : undefined, peers: peer ? [peer] : undefined };
    });
  }

  private renderSpec(): mnp.MultiNetworkPolicySpec {
    const ingress = this.renderRules(this._ingress)?.map((r) => ({ ports: r.ports, from: r.peers }));
    const egress = this.renderRules(this._egress)?.map((r) => ({ ports: r.ports, to: r.peers }));
    // The L1 types differ per location only by generated enum and class names; the shapes match.
    return {
      podSelector: resolvePods(this.target).pods.toJson(),
      policyTypes: this.policyTypes,
      ingress,
      egress,
    } as unknown as mnp.MultiNetworkPolicySpec;
  }

  /** The model's check of the references (repeats, the plugin types the daemon enforces). */
  private checkReferences(sink: ProblemSink): void {
    const namespace = this.namespace ?? 'default';
    const networks = networksByReference(topologyNetworksOf(this.networks, namespace));
    const problems = policyReferenceProblems(namespace, this.networks.map(referenceOf), networks, {
      enforcedPluginTypes: this.enforcedPluginTypes, entryField: (i) => `networks[${i}]`,
    });
    sink.addAll(problems);
  }

  private checkTarget(sink: ProblemSink): void {
    let r: ResolvedPods;
    try {
      r = resolvePods(this.target);
    } catch (e) {
      sink.error('target', 'cannot be resolved to a pod selector', (e as Error).message, 'pass an IMultiNetworkPolicyTarget, a cdk8s-plus workload or a PolicyLabelSelector');
      return;
    }
    if (r.namespaces) {
      sink.error('target', 'selects pods by namespace labels, but a MultiNetworkPolicy applies only to pods of its own namespace', r.namespaces.toJson(),
        'create one policy per namespace, each targeting its own pods');
    } else if (r.namespace !== undefined && r.namespace !== this.namespace) {
      sink.error('target', `is in namespace "${r.namespace}", but a MultiNetworkPolicy applies only to pods of its own namespace (${this.namespace === undefined ? 'none set' : `"${this.namespace}"`})`,
        r.namespace, `set the policy's metadata.namespace to "${r.namespace}" (policy-for may still name NADs of other namespaces)`);
    }
  }

  private synthProblems(): Problem[] {
    const sink = new ProblemSink();
    if (this.policyTypes.length === 0) {
      sink.error('policyTypes', 'is empty: the policy has no rules and isolates nothing (the daemon would then isolate both directions)', [],
        'add rules with addIngressRule()/addEgressRule(), or set isolate to deny a direction');
    }
    this._ingress.forEach((r, i) => r.peer._problems(sink.child(`ingress[${i}]`)));
    this._egress.forEach((r, i) => r.peer._problems(sink.child(`egress[${i}]`)));
    return sink.problems;
  }
}
