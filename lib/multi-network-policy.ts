import { ApiObjectMetadata, Chart, Lazy } from 'cdk8s';
import type * as plus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Cidr } from './addressing/ip';
import { Problem, ProblemSink, formatProblem, reportProblems } from './cni/problem';
import {
  PropType, assertArg, assertProps, checkProps, extendShape, isPlainObject, pAny, pArray, pEnum, pInstance, pObject, pRecord, pString, propsShape,
} from './cni/props-check';
import * as mnp from './imports/multi-networkpolicy-k8s.cni.cncf.io';
import { DNS1123_LABEL, POLICY_FOR_ANNOTATION } from './multus/selection-element';
import { METADATA_SHAPE, NetworkAttachmentDefinition } from './network-attachment-definition';

/**
 * MultiNetworkPolicy (`k8s.cni.cncf.io/v1beta1`): a NetworkPolicy for secondary networks.
 *
 * Facts of the API and of its reference implementation (multi-networkpolicy-iptables) this module
 * encodes, so that a policy never silently means less than it says:
 * - the policy is bound to networks by the `k8s.v1.cni.cncf.io/policy-for` annotation, a
 *   comma-separated list of NAD names; a bare name means a NAD of the policy's own namespace, a
 *   `namespace/name` entry may name a NAD of another namespace. A policy without it is ignored.
 *   We always write `namespace/name` when the NAD's namespace is known.
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


/** The label Kubernetes puts on every namespace, holding the namespace's name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The CNI plugin types multi-networkpolicy-iptables enforces unless told otherwise (`--network-plugins`). */
export const DEFAULT_ENFORCED_PLUGIN_TYPES: readonly string[] = ['macvlan'];

const LABEL_NAME_RE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS1123_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Reports one error found while building a value (thrown, or collected while linting). */
function fail(context: string, field: string, message: string, value: unknown, fix: string): void {
  const sink = new ProblemSink();
  sink.error(field, message, value, fix);
  reportProblems(sink.problems, context);
}

function checkLabelKey(sink: ProblemSink, field: string, key: string): void {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const prefixOk = prefix === undefined || (prefix.length <= 253 && DNS1123_SUBDOMAIN_RE.test(prefix));
  if (!prefixOk || name.length > 63 || !LABEL_NAME_RE.test(name)) {
    sink.error(field, 'is not a valid label key', key,
      'write an optional DNS subdomain prefix and "/", then a name of at most 63 letters, digits, "-", "_" or ".", e.g. "app.kubernetes.io/name"');
  }
}

function checkLabelValue(sink: ProblemSink, field: string, value: string): void {
  if (typeof value !== 'string' || value.length > 63 || (value !== '' && !LABEL_NAME_RE.test(value))) {
    sink.error(field, 'is not a valid label value', value,
      'use at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit');
  }
}

// ---------------------------------------------------------------------------------------------
// Label selectors
// ---------------------------------------------------------------------------------------------

/** The operator of a {@link PolicyLabelExpression}. */
export enum PolicyLabelOperator {
  /** The label's value is one of the values. */
  IN = 'In',
  /** The label is absent or its value is none of the values. */
  NOT_IN = 'NotIn',
  /** The label is present. */
  EXISTS = 'Exists',
  /** The label is absent. */
  DOES_NOT_EXIST = 'DoesNotExist',
}

/** One requirement on a label (a `matchExpressions` entry). */
export class PolicyLabelExpression {
  /** The label's value is one of `values`. */
  public static in(key: string, values: string[]): PolicyLabelExpression {
    return new PolicyLabelExpression(key, PolicyLabelOperator.IN, values);
  }

  /** The label is absent or its value is none of `values`. */
  public static notIn(key: string, values: string[]): PolicyLabelExpression {
    return new PolicyLabelExpression(key, PolicyLabelOperator.NOT_IN, values);
  }

  /** The label is present, with any value. */
  public static exists(key: string): PolicyLabelExpression {
    return new PolicyLabelExpression(key, PolicyLabelOperator.EXISTS);
  }

  /** The label is absent. */
  public static doesNotExist(key: string): PolicyLabelExpression {
    return new PolicyLabelExpression(key, PolicyLabelOperator.DOES_NOT_EXIST);
  }

  private constructor(
    public readonly key: string,
    public readonly operator: PolicyLabelOperator,
    public readonly values?: readonly string[],
  ) {
    const sink = new ProblemSink('matchExpressions');
    if (typeof key !== 'string') sink.error('key', 'must be a string', key, 'write a label key such as "app.kubernetes.io/name"');
    else checkLabelKey(sink, 'key', key);
    if (values !== undefined && !Array.isArray(values)) {
      sink.error('values', 'must be a list of label values', values, typeof values === 'string' ? `write [${JSON.stringify(values)}], not a string` : 'write a list such as ["a", "b"]');
      reportProblems(sink.problems, 'PolicyLabelExpression');
      return;
    }
    const needsValues = operator === PolicyLabelOperator.IN || operator === PolicyLabelOperator.NOT_IN;
    if (needsValues && (values === undefined || values.length === 0)) {
      sink.error('values', `must not be empty for the ${operator} operator`, values ?? [],
        `list at least one value, or use PolicyLabelExpression.${operator === PolicyLabelOperator.IN ? 'exists' : 'doesNotExist'}()`);
    }
    (values ?? []).forEach((v, i) => checkLabelValue(sink, `values[${i}]`, v));
    reportProblems(sink.problems, 'PolicyLabelExpression');
  }
}

/** Options of {@link PolicyLabelSelector.of}. */
export interface PolicyLabelSelectorOptions {
  /**
   * Labels a selected object carries, all of them (`matchLabels`).
   * @default - no label is required
   */
  readonly labels?: Record<string, string>;
  /**
   * Requirements on labels, all of which hold (`matchExpressions`).
   * @default - none
   */
  readonly expressions?: PolicyLabelExpression[];
}

/** A label selector in Kubernetes form. */
export interface PolicyLabelSelectorJson {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: { readonly key: string; readonly operator: string; readonly values?: string[] }[];
}

/** The shape of {@link PolicyLabelSelectorOptions}. */
const SELECTOR_SHAPE = propsShape('PolicyLabelSelectorOptions', {
  labels: pRecord(pString({ allowEmpty: true })),
  expressions: pArray(pInstance([PolicyLabelExpression], 'a PolicyLabelExpression', 'build it with PolicyLabelExpression.in(key, values), .notIn, .exists or .doesNotExist')),
});

/** A Kubernetes label selector, validated. An empty selector selects everything. */
export class PolicyLabelSelector {
  /** A selector from labels and expressions. */
  public static of(options: PolicyLabelSelectorOptions = {}): PolicyLabelSelector {
    assertProps(SELECTOR_SHAPE, options, 'PolicyLabelSelector');
    return new PolicyLabelSelector({ ...(options.labels ?? {}) }, [...(options.expressions ?? [])]);
  }

  /** Selects objects carrying all of `labels`. */
  public static labels(labels: Record<string, string>): PolicyLabelSelector {
    return PolicyLabelSelector.of({ labels });
  }

  /** Selects every object (the empty selector). */
  public static all(): PolicyLabelSelector {
    return PolicyLabelSelector.of();
  }

  private constructor(
    /** The `matchLabels`. */
    public readonly labels: Readonly<Record<string, string>>,
    /** The `matchExpressions`. */
    public readonly expressions: readonly PolicyLabelExpression[],
  ) {
    const sink = new ProblemSink('matchLabels');
    for (const [k, v] of Object.entries(labels)) {
      checkLabelKey(sink, k, k);
      checkLabelValue(sink, k, v);
    }
    reportProblems(sink.problems, 'PolicyLabelSelector');
  }

  /** Whether the selector selects everything. */
  public get isEmpty(): boolean {
    return Object.keys(this.labels).length === 0 && this.expressions.length === 0;
  }

  /** The selector in Kubernetes form; `{}` when empty. */
  public toJson(): PolicyLabelSelectorJson {
    const matchLabels = Object.keys(this.labels).length > 0 ? { ...this.labels } : undefined;
    const matchExpressions = this.expressions.length > 0
      ? this.expressions.map((e) => ({
        key: e.key,
        operator: e.operator as string,
        values: e.values && e.values.length > 0 ? [...e.values] : undefined,
      }))
      : undefined;
    return { matchLabels, matchExpressions };
  }
}

// ---------------------------------------------------------------------------------------------
// Pod selection
// ---------------------------------------------------------------------------------------------

/**
 * Anything whose pods a MultiNetworkPolicy can select or allow: a network function, a workload.
 * Implement it on a construct to make it usable as a policy target and as a pod peer.
 */
export interface IMultiNetworkPolicyTarget {
  /** Labels that select exactly the pods of this object (e.g. a workload's `matchLabels`). */
  readonly podSelectorLabels: Readonly<Record<string, string>>;
  /**
   * The namespace of the pods.
   * @default - the namespace of the policy that refers to them
   */
  readonly namespace?: string;
}

/**
 * The ways to name pods: an {@link IMultiNetworkPolicyTarget}, a cdk8s-plus workload or `Pods`
 * selection (any `IPodSelector`), or a {@link PolicyLabelSelector}.
 */
export type MultiNetworkPolicyPodSelection = IMultiNetworkPolicyTarget | plus.IPodSelector | PolicyLabelSelector;

/** Pods resolved to selectors. */
interface ResolvedPods {
  readonly pods: PolicyLabelSelector;
  /** The one namespace the pods live in, when known. */
  readonly namespace?: string;
  /** A namespace selector, when the selection spans namespaces chosen by labels. */
  readonly namespaces?: PolicyLabelSelector;
}

function isTarget(x: unknown): x is IMultiNetworkPolicyTarget {
  return typeof x === 'object' && x !== null && 'podSelectorLabels' in x;
}

function isPlusPodSelector(x: unknown): x is plus.IPodSelector {
  return typeof x === 'object' && x !== null && typeof (x as plus.IPodSelector).toPodSelectorConfig === 'function';
}

function fromKubeSelector(sel: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined): PolicyLabelSelector {
  const expressions = (sel?.matchExpressions ?? []).map((e) => {
    switch (e.operator) {
      case PolicyLabelOperator.IN: return PolicyLabelExpression.in(e.key, e.values ?? []);
      case PolicyLabelOperator.NOT_IN: return PolicyLabelExpression.notIn(e.key, e.values ?? []);
      case PolicyLabelOperator.EXISTS: return PolicyLabelExpression.exists(e.key);
      default: return PolicyLabelExpression.doesNotExist(e.key);
    }
  });
  return PolicyLabelSelector.of({ labels: sel?.matchLabels, expressions });
}

function resolvePods(selection: MultiNetworkPolicyPodSelection): ResolvedPods {
  if (selection instanceof PolicyLabelSelector) return { pods: selection };
  if (isTarget(selection)) return { pods: PolicyLabelSelector.labels(selection.podSelectorLabels), namespace: selection.namespace };
  if (isPlusPodSelector(selection)) {
    const cfg = selection.toPodSelectorConfig();
    // LabelSelector._toKube is marked internal in cdk8s-plus but is its only rendering of a selector.
    const pods = fromKubeSelector((cfg.labelSelector as any)._toKube());
    const names = cfg.namespaces?.names ?? [];
    const labelled = cfg.namespaces?.labelSelector;
    const namespaces = labelled ? fromKubeSelector((labelled as any)._toKube()) : undefined;
    if (names.length > 1) {
      return { pods, namespaces: PolicyLabelSelector.of({ expressions: [PolicyLabelExpression.in(NAMESPACE_NAME_LABEL, [...names])] }) };
    }
    return { pods, namespace: names[0], namespaces };
  }
  throw new Error(`'selection' is not a pod selection: got ${JSON.stringify(selection)}; pass an IMultiNetworkPolicyTarget, a cdk8s-plus workload or a PolicyLabelSelector`);
}

// ---------------------------------------------------------------------------------------------
// Ports
// ---------------------------------------------------------------------------------------------

/** The transport protocol of a port. */
export enum MultiNetworkPolicyProtocol {
  TCP = 'TCP',
  UDP = 'UDP',
  SCTP = 'SCTP',
}

/** Properties of {@link MultiNetworkPolicyPort.of}. */
export interface MultiNetworkPolicyPortProps {
  /**
   * The protocol.
   * @default MultiNetworkPolicyProtocol.TCP
   */
  readonly protocol?: MultiNetworkPolicyProtocol;
  /**
   * The port number, 1 to 65535, or the first port of a range.
   * @default - every port of the protocol
   */
  readonly port?: number;
  /**
   * The last port of a range (inclusive), at least `port`.
   * @default - the single port `port`
   */
  readonly endPort?: number;
}

/** A destination port, a port range, or all ports of a protocol. */
export class MultiNetworkPolicyPort {
  /**
   * The largest range written out: v1beta1 has no `endPort`, so a range becomes one entry per
   * port (and one netfilter rule per port and interface in the implementation).
   */
  public static readonly MAX_RANGE_PORTS = 64;

  /** One TCP port. */
  public static tcp(port: number): MultiNetworkPolicyPort {
    return MultiNetworkPolicyPort.of({ protocol: MultiNetworkPolicyProtocol.TCP, port });
  }

  /** TCP ports `startPort` to `endPort`, inclusive. */
  public static tcpRange(startPort: number, endPort: number): MultiNetworkPolicyPort {
    return MultiNetworkPolicyPort.of({ protocol: MultiNetworkPolicyProtocol.TCP, port: startPort, endPort });
  }

  /** Every TCP port. */
  public static allTcp(): MultiNetworkPolicyPort {
    return MultiNetworkPolicyPort.of({ protocol: MultiNetworkPolicyProtocol.TCP });
  }

  /** One UDP port. */
  public static udp(port: number): MultiNetworkPolicyPort {
    return MultiNetworkPolicyPort.of({ protocol: MultiNetworkPolicyProtocol.UDP, port });
  }

  /** UDP ports `startPort` to `endPort`, inclusive. */
  public static udpRange(startPort: number, endPort: number): MultiNetworkPolicyPort {
    return MultiNetworkPolicyPort.of({ protocol: MultiNetworkPolicyProtocol.UDP, port: startPort, endPort });
  }

  /** Every UDP port. */
  public static allUdp(): MultiNetworkPolicyPort {
    return MultiNetworkPolicyPort.of({ protocol: MultiNetworkPolicyProtocol.UDP });
  }

  /** One SCTP port. */
  public static sctp(port: number): MultiNetworkPolicyPort {
    return MultiNetworkPolicyPort.of({ protocol: MultiNetworkPolicyProtocol.SCTP, port });
  }

  /** SCTP ports `startPort` to `endPort`, inclusive. */
  public static sctpRange(startPort: number, endPort: number): MultiNetworkPolicyPort {
    return MultiNetworkPolicyPort.of({ protocol: MultiNetworkPolicyProtocol.SCTP, port: startPort, endPort });
  }

  /** Every SCTP port. */
  public static allSctp(): MultiNetworkPolicyPort {
    return MultiNetworkPolicyPort.of({ protocol: MultiNetworkPolicyProtocol.SCTP });
  }

  /** A port from its properties. */
  public static of(props: MultiNetworkPolicyPortProps = {}): MultiNetworkPolicyPort {
    assertProps(PORT_SHAPE, props, 'MultiNetworkPolicyPort');
    return new MultiNetworkPolicyPort(props.protocol ?? MultiNetworkPolicyProtocol.TCP, props.port, props.endPort);
  }

  private constructor(
    public readonly protocol: MultiNetworkPolicyProtocol,
    public readonly port?: number,
    public readonly endPort?: number,
  ) {
    const sink = new ProblemSink();
    const protocols = Object.values(MultiNetworkPolicyProtocol) as string[];
    if (!protocols.includes(protocol)) {
      sink.error('protocol', `must be one of ${protocols.map((p) => JSON.stringify(p)).join(', ')}`, protocol, 'use MultiNetworkPolicyProtocol.TCP, .UDP or .SCTP');
    }
    const isPort = (n: unknown) => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 65535;
    if (port !== undefined && !isPort(port)) {
      sink.error('port', 'must be an integer from 1 to 65535', port, 'use a port number such as 8805');
    }
    if (endPort !== undefined) {
      if (port === undefined) {
        sink.error('endPort', 'needs a first port', endPort, `set port as well, e.g. ${protocol.toLowerCase()}Range(2000, ${endPort})`);
      } else if (!isPort(endPort)) {
        sink.error('endPort', 'must be an integer from 1 to 65535', endPort, 'use the last port of the range, such as 2100');
      } else if (isPort(port) && endPort < port) {
        sink.error('endPort', `must be at least port ${port}`, endPort, `swap the bounds: ${protocol.toLowerCase()}Range(${endPort}, ${port})`);
      } else if (isPort(port) && endPort - port + 1 > MultiNetworkPolicyPort.MAX_RANGE_PORTS) {
        sink.error('endPort', `makes a range of ${endPort - port + 1} ports, more than the ${MultiNetworkPolicyPort.MAX_RANGE_PORTS} written out one by one `
          + '(MultiNetworkPolicy v1beta1 has no endPort)', endPort,
        `narrow the range to at most ${MultiNetworkPolicyPort.MAX_RANGE_PORTS} ports, or allow every ${protocol} port and restrict the peers instead`);
      }
    }
    reportProblems(sink.problems, 'MultiNetworkPolicyPort');
  }

  /** @internal The `ports` entries this port becomes: one per port of a range (v1beta1 has no endPort). */
  public _toJson(): PortJson[] {
    const protocol: string = this.protocol;
    if (this.port === undefined) return [{ protocol }];
    const last = this.endPort ?? this.port;
    const out: PortJson[] = [];
    for (let p = this.port; p <= last; p++) out.push({ protocol, port: mnp.MultiNetworkPolicySpecIngressPortsPort.fromNumber(p) });
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Peers
// ---------------------------------------------------------------------------------------------

/** Options of {@link MultiNetworkPolicyPeer.pods}. */
export interface MultiNetworkPolicyPodsPeerOptions {
  /**
   * The namespace of the pods.
   * @default - the selection's own namespace, else the policy's namespace
   */
  readonly namespace?: string;
}

const PODS_PEER_SHAPE = propsShape('MultiNetworkPolicyPodsPeerOptions', { namespace: pString() });

/** Where traffic comes from (ingress) or goes to (egress). */
export class MultiNetworkPolicyPeer {
  /**
   * Pods, in one namespace. The namespace is always written as a namespace selector when known,
   * because the reference implementation matches a bare pod selector in every namespace.
   */
  public static pods(selection: MultiNetworkPolicyPodSelection, options: MultiNetworkPolicyPodsPeerOptions = {}): MultiNetworkPolicyPeer {
    assertArg(POD_SELECTION, selection, 'selection', 'MultiNetworkPolicyPeer.pods', 'give the pods: a network function, a workload or a PolicyLabelSelector');
    assertProps(PODS_PEER_SHAPE, options, 'MultiNetworkPolicyPeer.pods');
    if (options.namespace !== undefined) checkNamespaceName('namespace', options.namespace);
    return new MultiNetworkPolicyPeer({ kind: 'pods', selection, namespace: options.namespace });
  }

  /** Pods matching `selection` in every namespace matching `namespaces`. */
  public static podsInNamespaces(selection: MultiNetworkPolicyPodSelection, namespaces: PolicyLabelSelector): MultiNetworkPolicyPeer {
    return new MultiNetworkPolicyPeer({ kind: 'pods', selection, namespaces });
  }

  /** Every pod of the namespaces matching `selector`. */
  public static namespaces(selector: PolicyLabelSelector): MultiNetworkPolicyPeer {
    return new MultiNetworkPolicyPeer({ kind: 'namespaces', namespaces: selector });
  }

  /** Every pod of the named namespaces (selected by their `kubernetes.io/metadata.name` label). */
  public static namespaceNamed(...names: string[]): MultiNetworkPolicyPeer {
    if (names.length === 0) {
      fail('MultiNetworkPolicyPeer', 'names', 'must not be empty', names, 'name at least one namespace');
    }
    names.forEach((n, i) => checkNamespaceName(`names[${i}]`, n));
    const selector = names.length === 1
      ? PolicyLabelSelector.labels({ [NAMESPACE_NAME_LABEL]: names[0] })
      : PolicyLabelSelector.of({ expressions: [PolicyLabelExpression.in(NAMESPACE_NAME_LABEL, names)] });
    return new MultiNetworkPolicyPeer({ kind: 'namespaces', namespaces: selector });
  }

  /**
   * The addresses of a prefix, minus the `except` prefixes (each strictly inside `cidr`).
   * Prefixes must be written with the host bits cleared.
   */
  public static ipBlock(cidr: string, except: string[] = []): MultiNetworkPolicyPeer {
    assertArg(pString(), cidr, 'cidr', 'MultiNetworkPolicyPeer.ipBlock', 'give a prefix such as 10.6.0.0/24');
    assertArg(pArray(pString()), except, 'except', 'MultiNetworkPolicyPeer.ipBlock');
    const sink = new ProblemSink('ipBlock');
    const parsed = checkPrefix(sink, 'cidr', cidr);
    except.forEach((e, i) => {
      const field = `except[${i}]`;
      const sub = checkPrefix(sink, field, e);
      if (!parsed || !sub) return;
      if (sub.family !== parsed.family || !parsed.containsCidr(sub) || sub.prefix <= parsed.prefix) {
        sink.error(field, `is not strictly inside the cidr ${cidr}`, e,
          `list only prefixes longer than /${parsed.prefix} inside ${cidr}, or widen the cidr`);
      }
    });
    reportProblems(sink.problems, 'MultiNetworkPolicyPeer');
    return new MultiNetworkPolicyPeer({ kind: 'ipBlock', cidr, except: [...except] });
  }

  /** Every IPv4 address. */
  public static anyIpv4(): MultiNetworkPolicyPeer {
    return MultiNetworkPolicyPeer.ipBlock('0.0.0.0/0');
  }

  /** Every IPv6 address. */
  public static anyIpv6(): MultiNetworkPolicyPeer {
    return MultiNetworkPolicyPeer.ipBlock('::/0');
  }

  /** Every source or destination: the rule is written without `from`/`to`. */
  public static any(): MultiNetworkPolicyPeer {
    return new MultiNetworkPolicyPeer({ kind: 'any' });
  }

  private constructor(private readonly def: PeerDef) {}

  /** Whether this peer matches everything (rendered as a rule without peers). */
  public get isAny(): boolean {
    return this.def.kind === 'any';
  }

  /** @internal Problems of the peer within a policy of namespace `policyNamespace`. */
  public _problems(sink: ProblemSink): void {
    if (this.def.kind !== 'pods') return;
    try {
      resolvePods(this.def.selection);
    } catch (e) {
      sink.error('podSelector', 'cannot be resolved', (e as Error).message, 'pass an IMultiNetworkPolicyTarget, a cdk8s-plus workload or a PolicyLabelSelector');
    }
  }

  /** @internal The peer in Kubernetes form, for a policy in `policyNamespace`; undefined for {@link any}. */
  public _toJson(policyNamespace?: string): PeerJson | undefined {
    const d = this.def;
    switch (d.kind) {
      case 'any':
        return undefined;
      case 'ipBlock':
        return { ipBlock: { cidr: d.cidr, except: d.except.length > 0 ? [...d.except] : undefined } };
      case 'namespaces':
        return { namespaceSelector: d.namespaces.toJson() };
      case 'pods': {
        const r = resolvePods(d.selection);
        const namespaceSelector = d.namespaces ?? r.namespaces;
        if (namespaceSelector) return { podSelector: r.pods.toJson(), namespaceSelector: namespaceSelector.toJson() };
        const ns = d.namespace ?? r.namespace ?? policyNamespace;
        return {
          podSelector: r.pods.toJson(),
          namespaceSelector: ns !== undefined ? PolicyLabelSelector.labels({ [NAMESPACE_NAME_LABEL]: ns }).toJson() : undefined,
        };
      }
    }
  }
}

interface PeerJson {
  readonly podSelector?: PolicyLabelSelectorJson;
  readonly namespaceSelector?: PolicyLabelSelectorJson;
  readonly ipBlock?: { readonly cidr: string; readonly except?: string[] };
}

interface PortJson {
  readonly protocol: string;
  readonly port?: mnp.MultiNetworkPolicySpecIngressPortsPort;
}

type PeerDef =
  | { readonly kind: 'any' }
  | { readonly kind: 'ipBlock'; readonly cidr: string; readonly except: string[] }
  | { readonly kind: 'namespaces'; readonly namespaces: PolicyLabelSelector }
  | { readonly kind: 'pods'; readonly selection: MultiNetworkPolicyPodSelection; readonly namespace?: string; readonly namespaces?: PolicyLabelSelector };

function checkPrefix(sink: ProblemSink, field: string, text: string): Cidr | undefined {
  const c = Cidr.tryParse(text);
  if (!c) {
    sink.error(field, 'is not a prefix in CIDR notation', text, 'write address/length such as 10.6.0.0/24 or 2001:db8::/64');
    return undefined;
  }
  if (c.hasHostBits) {
    sink.error(field, 'has host bits set', text, `use the network address ${c.canonical.toString()}`);
    return undefined;
  }
  return c;
}

function checkNamespaceName(field: string, name: string): void {
  if (typeof name !== 'string' || name.length > 63 || !DNS1123_LABEL.test(name)) {
    fail('MultiNetworkPolicyPeer', field, 'is not a namespace name (a DNS-1123 label)', name, 'use lowercase letters, digits and "-", e.g. "core"');
  }
}

// ---------------------------------------------------------------------------------------------
// The policy
// ---------------------------------------------------------------------------------------------

/**
 * A NAD outside the App, named explicitly with its namespace (a plain `{ name, namespace }`, or
 * any object with both, such as an `ExternalNetwork` construct).
 */
export interface ExternalPolicyNetwork {
  /** The NAD's name. */
  readonly name: string;
  /** The NAD's namespace. */
  readonly namespace: string;
}

/** A logical network that derives one NAD per namespace (such as a `Network` construct). */
export interface IPolicyNetworkSource {
  /** The NAD of this network in `namespace`. */
  nadFor(namespace: string): NetworkAttachmentDefinition;
}

/**
 * A network a policy is for: a NAD construct of the same App, a logical network (its NAD in the
 * policy's namespace is used), or an external NAD.
 */
export type MultiNetworkPolicyNetwork = NetworkAttachmentDefinition | IPolicyNetworkSource | ExternalPolicyNetwork;

/** A network resolved to a NAD: a construct of the App, or an external one. */
export type ResolvedPolicyNetwork = NetworkAttachmentDefinition | ExternalPolicyNetwork;

function isNetworkSource(x: unknown): x is IPolicyNetworkSource {
  return typeof x === 'object' && x !== null && !(x instanceof NetworkAttachmentDefinition) && typeof (x as IPolicyNetworkSource).nadFor === 'function';
}

/** Which directions a policy isolates regardless of its rules. */
export enum MultiNetworkPolicyIsolation {
  /** Isolate ingress: only traffic allowed by ingress rules comes in. */
  INGRESS = 'ingress',
  /** Isolate egress: only traffic allowed by egress rules goes out. */
  EGRESS = 'egress',
  /** Isolate both directions. */
  BOTH = 'both',
}

/** One rule: traffic from/to a peer, on some ports. */
export interface MultiNetworkPolicyRule {
  /** The peer (source for ingress, destination for egress). */
  readonly peer: MultiNetworkPolicyPeer;
  /**
   * The destination ports.
   * @default - every port
   */
  readonly ports?: MultiNetworkPolicyPort[];
}

/** Properties shared by a {@link MultiNetworkPolicy} and its static helpers. */
export interface MultiNetworkPolicyBaseProps {
  /**
   * Metadata; the `k8s.v1.cni.cncf.io/policy-for` annotation is added from `networks`.
   * @default - a name generated by cdk8s, in the chart's namespace
   */
  readonly metadata?: ApiObjectMetadata;
  /**
   * The networks the policy is for: NAD constructs of the same App, logical networks (their NAD
   * in the policy's namespace), or external NADs given as `{ name, namespace }`. At least one.
   */
  readonly networks: MultiNetworkPolicyNetwork[];
  /**
   * The pods the policy applies to; they must live in the policy's namespace.
   * @default - every pod of the policy's namespace
   */
  readonly target?: MultiNetworkPolicyPodSelection;
  /**
   * The CNI plugin types the multi-networkpolicy daemon enforces (its `--network-plugins`); a
   * policy for a NAD of another type would be ignored, so it is refused.
   * @default DEFAULT_ENFORCED_PLUGIN_TYPES (["macvlan"], the daemon's default)
   */
  readonly enforcedPluginTypes?: string[];
}

/** Properties of a {@link MultiNetworkPolicy}. */
export interface MultiNetworkPolicyProps extends MultiNetworkPolicyBaseProps {
  /**
   * Directions isolated even without rules (deny-all for a direction without rules).
   * @default - only the directions that have rules are isolated
   */
  readonly isolate?: MultiNetworkPolicyIsolation;
  /**
   * Allowed incoming traffic; more with {@link MultiNetworkPolicy.addIngressRule}.
   * @default - none
   */
  readonly ingress?: MultiNetworkPolicyRule[];
  /**
   * Allowed outgoing traffic; more with {@link MultiNetworkPolicy.addEgressRule}.
   * @default - none
   */
  readonly egress?: MultiNetworkPolicyRule[];
}

/** Properties of {@link MultiNetworkPolicy.allowIngressOnlyFrom}. */
export interface MultiNetworkPolicyAllowFromProps extends MultiNetworkPolicyBaseProps {
  /** The only peers whose traffic may come in. At least one. */
  readonly from: MultiNetworkPolicyPeer[];
  /**
   * The ports they may reach.
   * @default - every port
   */
  readonly ports?: MultiNetworkPolicyPort[];
}

// ---------------------------------------------------------------------------------------------
// The runtime shapes of the props above (for callers without a type checker)
// ---------------------------------------------------------------------------------------------

/** Only the keys: the name and namespace are checked with the policy's networks (checkNetworks). */
const EXTERNAL_POLICY_NETWORK_SHAPE = propsShape('ExternalPolicyNetwork', { name: pAny('a NAD name'), namespace: pAny('a namespace') });

/** A network of a policy: a NAD construct, a logical network, an ExternalNetwork, or `{ name, namespace }`. */
const POLICY_NETWORK: PropType = {
  description: 'a NetworkAttachmentDefinition, a Network, or { name, namespace }',
  check(value, path, sink) {
    if (value instanceof NetworkAttachmentDefinition || isNetworkSource(value)) return;
    if (isPlainObject(value)) {
      checkProps(EXTERNAL_POLICY_NETWORK_SHAPE, value, path, sink);
      return;
    }
    const v = value as { name?: unknown; namespace?: unknown } | null;
    if (typeof v === 'object' && v !== null && typeof v.name === 'string' && typeof v.namespace === 'string') return; // an ExternalNetwork construct
    sink.error(path, 'must be a NetworkAttachmentDefinition, a Network, or { name, namespace }', value, 'pass the NAD or Network construct, or { name: "<nad>", namespace: "<ns>" } for a NAD outside the App');
  },
};

const POD_SELECTION: PropType = {
  description: 'a network function, a cdk8s-plus workload or pod selector, or a PolicyLabelSelector',
  check(value, path, sink) {
    if (value instanceof PolicyLabelSelector || isTarget(value) || isPlusPodSelector(value)) return;
    sink.error(path, 'must be a network function, a cdk8s-plus workload or pod selector, or a PolicyLabelSelector', value,
      'pass the NetworkFunction or workload construct, or PolicyLabelSelector.labels({...})');
  },
};

const PEER = pInstance([MultiNetworkPolicyPeer], 'a MultiNetworkPolicyPeer', 'build it with MultiNetworkPolicyPeer.pods(...), .namespaceNamed(...), .ipBlock(...) or .any()');
const PORTS = pArray(pInstance([MultiNetworkPolicyPort], 'a MultiNetworkPolicyPort', 'build it with MultiNetworkPolicyPort.tcp(port), .udp(port) or .of({...})'));
const RULE_SHAPE = propsShape('MultiNetworkPolicyRule', { peer: { type: PEER, required: 'give the peer, e.g. MultiNetworkPolicyPeer.any()' }, ports: PORTS });

const BASE_SHAPE = propsShape('MultiNetworkPolicyBaseProps', {
  metadata: pObject(METADATA_SHAPE),
  networks: { type: pArray(POLICY_NETWORK), required: 'list the NetworkAttachmentDefinitions the policy is for' },
  target: POD_SELECTION,
  enforcedPluginTypes: pArray(pString()),
}, { network: "write it as 'networks' (a list)" });
const POLICY_SHAPE = extendShape(BASE_SHAPE, 'MultiNetworkPolicyProps', {
  isolate: pEnum(MultiNetworkPolicyIsolation, 'MultiNetworkPolicyIsolation'),
  ingress: pArray(pObject(RULE_SHAPE)),
  egress: pArray(pObject(RULE_SHAPE)),
});
const ALLOW_FROM_SHAPE = extendShape(BASE_SHAPE, 'MultiNetworkPolicyAllowFromProps', {
  from: { type: pArray(PEER), required: 'list the peers whose traffic may come in' },
  ports: PORTS,
});
/** The shape of {@link MultiNetworkPolicyPortProps} (the numbers are checked by the port itself). */
const PORT_SHAPE = propsShape('MultiNetworkPolicyPortProps', {
  protocol: pEnum(MultiNetworkPolicyProtocol, 'MultiNetworkPolicyProtocol'),
  port: pAny('a port from 1 to 65535'),
  endPort: pAny('a port from 1 to 65535'),
});

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
    this.networks = this.resolveNetworks(sink, props.networks ?? []);
    if (!sink.hasErrors) this.checkNetworks(sink);
    this.checkTarget(sink);
    reportProblems(sink.problems, `MultiNetworkPolicy ${this.node.path}`);

    this.apiObject = new mnp.MultiNetworkPolicy(this, 'Resource', {
      metadata: {
        ...props.metadata,
        annotations: { ...(props.metadata?.annotations ?? {}), [POLICY_FOR_ANNOTATION]: this.policyFor },
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

  /** The value of the `k8s.v1.cni.cncf.io/policy-for` annotation: `namespace/name` entries, comma-separated. */
  public get policyFor(): string {
    return this.networks.map((n) => networkRef(n)).join(',');
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

  private resolveNetworks(sink: ProblemSink, networks: MultiNetworkPolicyNetwork[]): ResolvedPolicyNetwork[] {
    const out: ResolvedPolicyNetwork[] = [];
    networks.forEach((n, i) => {
      if (!isNetworkSource(n)) {
        out.push(n);
      } else if (this.namespace === undefined) {
        sink.error(`networks[${i}]`, 'is a logical network, whose NAD depends on the namespace, but the policy has no namespace', (n as unknown as Construct).node?.path ?? n,
          'set the policy\'s metadata.namespace or its chart\'s namespace');
      } else {
        out.push(n.nadFor(this.namespace));
      }
    });
    return out;
  }

  private checkNetworks(sink: ProblemSink): void {
    if (this.networks.length === 0) {
      sink.error('networks', 'must name at least one NetworkAttachmentDefinition: a policy without policy-for networks is ignored', [],
        'list the NAD constructs (or external { name, namespace } NADs) this policy is for');
    }
    const seen = new Map<string, number>();
    this.networks.forEach((n, i) => {
      const field = `networks[${i}]`;
      if (n instanceof NetworkAttachmentDefinition) {
        if (n.node.root !== this.node.root) {
          sink.error(field, 'is a NetworkAttachmentDefinition of another App', n.node.path,
            `create the NAD in this App, or declare it external as { name: "${n.name}", namespace: "<its namespace>" }`);
        }
        if (n.namespace === undefined && this.namespace !== undefined) {
          sink.error(field, `has no namespace, so policy-for cannot say where it lives (the policy is in "${this.namespace}")`, n.name,
            `set the NAD's metadata.namespace or its chart's namespace, e.g. "${this.namespace}"`);
        }
        const type = n.config?.main?.type;
        if (type !== undefined && !this.enforcedPluginTypes.includes(type)) {
          sink.error(field, `is a "${type}" network, which the multi-networkpolicy daemon does not enforce (--network-plugins ${this.enforcedPluginTypes.join(',')}), so the policy would be ignored`,
            n.name, `add "${type}" to the daemon's --network-plugins and to enforcedPluginTypes, or use a macvlan network`);
        }
      } else {
        if (typeof n?.name !== 'string' || n.name.length > 63 || !DNS1123_LABEL.test(n.name)) {
          sink.error(`${field}.name`, 'is not a NAD name (a DNS-1123 label)', n?.name, 'use the external NAD\'s metadata.name, e.g. "n6"');
        }
        if (typeof n?.namespace !== 'string' || n.namespace.length > 63 || !DNS1123_LABEL.test(n.namespace)) {
          sink.error(`${field}.namespace`, 'is not a namespace name (a DNS-1123 label); an external NAD needs its namespace', n?.namespace,
            'give the namespace the external NAD lives in, e.g. { name: "n6", namespace: "core" }');
        }
      }
      const ref = safeRef(n);
      if (ref !== undefined) {
        const first = seen.get(ref);
        if (first !== undefined) sink.error(field, `repeats networks[${first}]`, ref, 'list each network once');
        else seen.set(ref, i);
      }
    });
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

function networkRef(n: ResolvedPolicyNetwork): string {
  return n.namespace ? `${n.namespace}/${n.name}` : n.name;
}

function safeRef(n: ResolvedPolicyNetwork): string | undefined {
  return typeof n?.name === 'string' ? networkRef(n) : undefined;
}
