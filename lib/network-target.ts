import { IConstruct } from 'constructs';
import { CniConfig } from './cni/config';
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
 * The target resolves itself, so the library's three constructs and a construct of another
 * library alike are targets by implementing {@link INetworkTarget.networkReference}.
 */
export interface INetworkTarget extends IConstruct {
  /** The NAD name pods reference. */
  readonly name: string;
  /** The NAD that a pod in `podNamespace` references through this target. */
  networkReference(podNamespace: string): NetworkReference;
}

/** What pods attach to (the name the library's signatures use). */
export type NetworkTarget = INetworkTarget;

/** The reference of a target for a pod namespace: the target resolves itself. */
export function resolveNetworkTarget(target: NetworkTarget, podNamespace: string): NetworkReference {
  return target.networkReference(podNamespace);
}

/** Whether a value can be attached to: a construct that resolves itself (see {@link INetworkTarget}). */
export function isNetworkTarget(value: unknown): value is NetworkTarget {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, any>;
  if (typeof v.node !== 'object' || v.node === null) return false;
  return typeof v.networkReference === 'function' && typeof v.name === 'string';
}

/** The runtime shape of a network target (for callers without a type checker; not exported by the index). */
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
