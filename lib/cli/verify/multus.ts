import { isIP } from 'net';
import { show } from '../dataplane/argv-values';
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
 * The gateways an element's `default-route` asks for, or undefined. Multus 4.3.0 then adds one
 * default route through each gateway on the element's interface (`SetDefaultGW`), when the ADD
 * result has interfaces or addresses, and ignores a route that exists (EEXIST): the request takes
 * effect only where the pod has no default route of that family yet. It removes none: its
 * `DeleteDefaultGW` looks for routes without a destination, and netlink reports a default route's
 * destination as 0.0.0.0/0 or ::/0 (multus-cni PR #1552), so nothing is ever deleted.
 */
export function gatewayRequestOf(element: NetworkSelectionElement | undefined): string[] | undefined {
  const dr = element?.['default-route'];
  return Array.isArray(dr) && dr.length > 0 ? dr.map(String) : undefined;
}

/** The family Multus counts a gateway in (Go's `To4`: IPv4-mapped IPv6 counts as IPv4), or undefined when it is no address. */
export function gatewayFamily(gateway: string): 4 | 6 | undefined {
  const v = isIP(gateway);
  if (v === 4 || (v === 6 && /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(gateway))) return 4;
  return v === 6 ? 6 : undefined;
}

/** What Multus 4.3.0 answers a pod with two default-route gateways of one family. */
export const ECMP_REFUSAL = 'multus does not support ECMP for default-route';

/**
 * The attachments Multus refuses for `default-route` ECMP, with why: Multus counts the gateways
 * of every element of the pod per family (`CheckGatewayConfig`) and refuses the whole pod, before
 * any plugin runs, when a family has more than one. The error names no network, so the first
 * attachment takes the blame and the pod is tried again without it (as the Multus engine does)
 * until no family has two: those first attachments are refused, the rest run.
 */
export function ecmpRefusals<T>(items: readonly T[], elementOf: (item: T) => NetworkSelectionElement | undefined): Map<T, string> {
  const refused = new Map<T, string>();
  const gatewaysOf = (item: T) => (gatewayRequestOf(elementOf(item)) ?? []).filter((g) => gatewayFamily(g) !== undefined);
  let remaining = [...items];
  for (;;) {
    const all = remaining.flatMap(gatewaysOf);
    const family = ([4, 6] as const).find((f) => all.filter((g) => gatewayFamily(g) === f).length > 1);
    if (family === undefined || remaining.length === 0) return refused;
    const gateways = all.filter((g) => gatewayFamily(g) === family);
    refused.set(remaining[0], `'default-route' asks for ${gateways.length} IPv${family} gateways in one pod: got ${show(gateways)}; `
      + `Multus refuses the pod (${ECMP_REFUSAL}): ask for one default-route gateway per family`);
    remaining = remaining.slice(1);
  }
}
