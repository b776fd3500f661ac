import { IConstruct } from 'constructs';
import { CniConfig } from './cni/config';
import type { ExternalNetwork } from './external-network';
import type { Network } from './network';
import type { NetworkAttachmentDefinition } from './network-attachment-definition';
import { ProblemSink, throwIfErrors } from './cni/problem';
import { PropType } from './cni/props-check';

/**
 * The NetworkAttachmentDefinition a pod's selection element names, as a network target resolves
 * it for the pod's namespace.
 */
export interface NetworkReference {
  /** The NAD's name. */
  readonly name: string;
  /** The NAD's namespace. */
  readonly namespace: string;
  /**
   * The NAD's typed CNI config, when the App defines it: attachments that need a capability
   * (ips, mac, portMappings, ...) declare it on this chain.
   * @default - not known here (an external or node-file NAD)
   */
  readonly config?: CniConfig;
  /**
   * The device-plugin resource of the NAD: each attachment adds one request of it to a container.
   * @default - none
   */
  readonly resourceName?: string;
  /**
   * The gateways that `defaultRoute: true` routes through.
   * @default - none
   */
  readonly gateways?: readonly string[];
  /**
   * The target derives a NAD per pod namespace (a logical network): it cannot be a pod's default
   * network, which Multus looks up in its own namespace.
   * @default false
   */
  readonly perNamespace?: boolean;
}

/**
 * Something pods attach to: a NetworkAttachmentDefinition of the App, a logical `Network` (which
 * derives a NAD in the pod's namespace), or a NAD that exists elsewhere (`ExternalNetwork`).
 * The target resolves itself: a construct of another library can be a target by implementing
 * {@link INetworkTarget.networkReference}.
 */
export interface INetworkTarget extends IConstruct {
  /** The NAD name pods reference. */
  readonly name: string;
  /** The NAD that a pod in `podNamespace` references through this target. */
  networkReference(podNamespace: string): NetworkReference;
}

/**
 * What pods attach to: an {@link INetworkTarget}, or one of the library's `Network`,
 * `NetworkAttachmentDefinition` and `ExternalNetwork` constructs (which resolve through their
 * public members until they implement the interface themselves).
 */
export type NetworkTarget = INetworkTarget | Network | NetworkAttachmentDefinition | ExternalNetwork;

/**
 * The reference of a target for a pod namespace. The target's own `networkReference` when it has
 * one; the library's `Network`, `NetworkAttachmentDefinition` and `ExternalNetwork` constructs
 * are read through their public members until they implement {@link INetworkTarget} themselves
 * (recognised by their shape, never by class, so that two copies of the package work together).
 */
export function resolveNetworkTarget(target: NetworkTarget, podNamespace: string): NetworkReference {
  const t = target as unknown as Record<string, any>;
  if (typeof t.networkReference === 'function') return (target as INetworkTarget).networkReference(podNamespace);
  if (typeof t.nadFor === 'function') {
    // a logical network: the NAD of the pod's namespace
    const nad = t.nadFor(podNamespace);
    return {
      name: nad.name,
      namespace: podNamespace,
      config: nad.config,
      resourceName: nad.resourceName,
      gateways: (t.gateways as readonly unknown[] | undefined)?.map(String),
      perNamespace: true,
    };
  }
  if (typeof t.renderConfig === 'function') {
    return { name: t.name, namespace: t.namespace ?? 'default', config: t.config, resourceName: t.resourceName };
  }
  return { name: t.name, namespace: t.namespace, resourceName: t.resourceName };
}

/** Whether a value can be attached to (see {@link resolveNetworkTarget}). */
export function isNetworkTarget(value: unknown): value is NetworkTarget {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, any>;
  if (typeof v.node !== 'object' || v.node === null) return false;
  if (typeof v.networkReference === 'function' || typeof v.nadFor === 'function' || typeof v.renderConfig === 'function') return true;
  // a NAD declared elsewhere: a construct with its name and namespace
  return typeof v.name === 'string' && typeof v.namespace === 'string' && typeof v.qualifiedName === 'string';
}

/**
 * The runtime shape of a network target (for callers without a type checker).
 * @internal
 */
export const NETWORK_TARGET: PropType = {
  description: 'a Network, NetworkAttachmentDefinition or ExternalNetwork construct',
  ok: isNetworkTarget,
  check(value, path, sink) {
    if (isNetworkTarget(value)) return;
    sink.error(path, 'must be a Network, NetworkAttachmentDefinition or ExternalNetwork construct', value,
      'pass the construct itself, not its name (declare a NAD outside the App with new ExternalNetwork(...))');
  },
};

/** Throws the house-style error of a value that is not a network target. */
export function assertNetworkTarget(value: unknown, field: string, context: string): asserts value is NetworkTarget {
  const sink = new ProblemSink();
  if (value === undefined || value === null) sink.error(field, 'is required', value, 'pass the network to attach to: attach(network, options)');
  else NETWORK_TARGET.check(value, field, sink);
  throwIfErrors(sink.problems, context);
}
