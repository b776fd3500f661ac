import { CapabilityArgs, CniConfigList, JsonObject } from '../dataplane/cni-exec';
import { selectionAttachment } from '../dataplane/attachment';
import { NetworkSelectionElement } from '../../multus/selection-element';

/**
 * The Multus semantics the emulated engine follows, in one place: which NAD an element selects,
 * the interface name it gets, what the element passes to the plugins, the pod identity in
 * CNI_ARGS, and where the replicas of a workload run.
 */

/** The interface Multus gives the cluster default network. */
export const DEFAULT_NETWORK_IFNAME = 'eth0';

/** The key of the NAD an element selects: its own namespace, else the pod's (Multus `getKubernetesDelegate`). */
export function nadKeyOf(element: NetworkSelectionElement, podNamespace: string): string {
  return `${element.namespace ?? podNamespace}/${element.name}`;
}

/** The interface name of the i-th additional network: the element's `interface`, else `net<i+1>`. */
export function ifnameOf(element: NetworkSelectionElement, i: number): string {
  return element.interface ?? `net${i + 1}`;
}

/** What Multus passes to the plugins for one element: capability arguments and `args.cni`. */
export interface ElementArgs {
  readonly runtime: CapabilityArgs;
  readonly podCniArgs?: JsonObject;
}

/** The capability arguments and cni-args of an element (Multus `newCNIRuntimeConf`). */
export function elementArgsOf(element: NetworkSelectionElement): ElementArgs {
  const sel = selectionAttachment(element);
  return { runtime: sel.runtime, podCniArgs: sel.podCniArgs };
}

/** The list with the element's cni-args written into every plugin as `args: {cni: ...}`. */
export function withPodCniArgs(list: CniConfigList, cniArgs: JsonObject | undefined): CniConfigList {
  if (cniArgs === undefined) return list;
  return { ...list, plugins: list.plugins.map((p) => ({ ...p, args: { cni: cniArgs } })) };
}

/**
 * The nodes the replicas of a workload run on: a DaemonSet (`replicas` undefined) one pod per
 * node; others round-robin from a shared counter (the scheduler spreads them).
 */
export function nodesOfReplicas(replicas: number | undefined, nodes: number, counter: { next: number }): number[] {
  if (replicas === undefined) return Array.from({ length: nodes }, (_, k) => k);
  return Array.from({ length: replicas }, () => counter.next++ % nodes);
}

/**
 * The `CNI_ARGS` pairs Multus adds for an element (`DelegateAdd`): `MAC=<mac>` when it asks for a
 * MAC and `IP=<ips joined by ','>` when it asks for addresses, whether or not the config declares
 * the `mac`/`ips` capabilities (deprecated, still working: static IPAM reads `IP`).
 */
export function multusCniArgs(element: NetworkSelectionElement | undefined): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (typeof element?.mac === 'string' && element.mac !== '') out.push(['MAC', element.mac]);
  if (Array.isArray(element?.ips) && element.ips.length > 0) out.push(['IP', element.ips.join(',')]);
  return out;
}

/**
 * The gateways an element's `default-route` asks for, or undefined: Multus then removes the
 * interface's default routes and adds one through each gateway (`SetDefaultGW`), when the ADD
 * result has interfaces or addresses.
 */
export function gatewayRequestOf(element: NetworkSelectionElement | undefined): string[] | undefined {
  const dr = element?.['default-route'];
  return Array.isArray(dr) && dr.length > 0 ? dr.map(String) : undefined;
}
