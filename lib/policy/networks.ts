import { Construct } from 'constructs';
import { ProblemSink } from '../cni/problem';
import { PropType, checkProps, isPlainObject, pAny, propsShape } from '../cni/props-check';
import { DNS1123_LABEL } from '../multus/selection-element';
import { NetworkAttachmentDefinition } from '../network-attachment-definition';
import { PolicyReference } from '../topology/policy-references';
import { TopologyNetwork } from '../topology/topology';

/**
 * The networks a MultiNetworkPolicy is for: how they are given, resolved to NADs, and the checks
 * only a construct can make (the App a NAD belongs to, a namespace known at synth). The checks of
 * the references themselves live on the model (lib/topology/policy-references.ts).
 */

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

/** Only the keys: the name and namespace are checked with the policy's networks ({@link networkProblems}). */
const EXTERNAL_POLICY_NETWORK_SHAPE = propsShape('ExternalPolicyNetwork', { name: pAny('a NAD name'), namespace: pAny('a namespace') });

/** The runtime shape of a {@link MultiNetworkPolicyNetwork}: a NAD construct, a logical network, an ExternalNetwork, or `{ name, namespace }`. */
export const POLICY_NETWORK: PropType = {
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

/** The networks resolved to NADs: a logical network to its NAD in `namespace` (none without one: a problem). */
export function resolveNetworks(sink: ProblemSink, networks: readonly MultiNetworkPolicyNetwork[], namespace: string | undefined): ResolvedPolicyNetwork[] {
  const out: ResolvedPolicyNetwork[] = [];
  networks.forEach((n, i) => {
    if (!isNetworkSource(n)) {
      out.push(n);
    } else if (namespace === undefined) {
      sink.error(`networks[${i}]`, 'is a logical network, whose NAD depends on the namespace, but the policy has no namespace', (n as unknown as Construct).node?.path ?? n,
        'set the policy\'s metadata.namespace or its chart\'s namespace');
    } else {
      out.push(n.nadFor(namespace));
    }
  });
  return out;
}

/**
 * What only the construct can check of its networks: at least one; a NAD construct of this App
 * (`app`), with a namespace when the policy has one; an external NAD with a valid name and namespace.
 */
export function networkProblems(sink: ProblemSink, networks: readonly ResolvedPolicyNetwork[], app: Construct, namespace: string | undefined): void {
  if (networks.length === 0) {
    sink.error('networks', 'must name at least one NetworkAttachmentDefinition: a policy without policy-for networks is ignored', [],
      'list the NAD constructs (or external { name, namespace } NADs) this policy is for');
  }
  networks.forEach((n, i) => {
    const field = `networks[${i}]`;
    if (n instanceof NetworkAttachmentDefinition) {
      if (n.node.root !== app) {
        sink.error(field, 'is a NetworkAttachmentDefinition of another App', n.node.path,
          `create the NAD in this App, or declare it external as { name: "${n.name}", namespace: "<its namespace>" }`);
      }
      if (n.namespace === undefined && namespace !== undefined) {
        sink.error(field, `has no namespace, so policy-for cannot say where it lives (the policy is in "${namespace}")`, n.name,
          `set the NAD's metadata.namespace or its chart's namespace, e.g. "${namespace}"`);
      }
      return;
    }
    if (typeof n?.name !== 'string' || n.name.length > 63 || !DNS1123_LABEL.test(n.name)) {
      sink.error(`${field}.name`, 'is not a NAD name (a DNS-1123 label)', n?.name, 'use the external NAD\'s metadata.name, e.g. "n6"');
    }
    if (typeof n?.namespace !== 'string' || n.namespace.length > 63 || !DNS1123_LABEL.test(n.namespace)) {
      sink.error(`${field}.namespace`, 'is not a namespace name (a DNS-1123 label); an external NAD needs its namespace', n?.namespace,
        'give the namespace the external NAD lives in, e.g. { name: "n6", namespace: "core" }');
    }
  });
}

/** The policy-for reference of a resolved network. */
export function referenceOf(n: ResolvedPolicyNetwork): PolicyReference {
  return n.namespace === undefined ? { name: n.name } : { name: n.name, namespace: n.namespace };
}

/** The resolved networks as the model's networks, for the reference check (a NAD without namespace is in `namespace`). */
export function topologyNetworksOf(networks: readonly ResolvedPolicyNetwork[], namespace: string): TopologyNetwork[] {
  return networks.map((n) => (n instanceof NetworkAttachmentDefinition
    ? { name: n.name, namespace: n.namespace ?? namespace, config: n.config }
    : { name: n.name, namespace: n.namespace, external: true }));
}
