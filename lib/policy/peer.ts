import { Cidr } from '../addressing/ip';
import { ProblemSink, reportProblems } from '../cni/problem';
import { assertArg, assertProps, pArray, pString, propsShape } from '../cni/props-check';
import { DNS1123_LABEL } from '../multus/selection-element';
import { PolicyLabelExpression, PolicyLabelSelector, PolicyLabelSelectorJson } from './label-selector';
import { MultiNetworkPolicyPodSelection, NAMESPACE_NAME_LABEL, POD_SELECTION, resolvePods } from './pod-selection';
import { fail } from './report';

/** Options of {@link MultiNetworkPolicyPeer.pods}. */
export interface MultiNetworkPolicyPodsPeerOptions {
  /**
   * The namespace of the pods.
   * @default - the selection's own namespace, else the policy's namespace
   */
  readonly namespace?: string;
}

/** A peer in Kubernetes form (a `from` or `to` entry). */
export interface PeerJson {
  readonly podSelector?: PolicyLabelSelectorJson;
  readonly namespaceSelector?: PolicyLabelSelectorJson;
  readonly ipBlock?: { readonly cidr: string; readonly except?: string[] };
}

type PeerDef =
  | { readonly kind: 'any' }
  | { readonly kind: 'ipBlock'; readonly cidr: string; readonly except: string[] }
  | { readonly kind: 'namespaces'; readonly namespaces: PolicyLabelSelector }
  | { readonly kind: 'pods'; readonly selection: MultiNetworkPolicyPodSelection; readonly namespace?: string; readonly namespaces?: PolicyLabelSelector };

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
