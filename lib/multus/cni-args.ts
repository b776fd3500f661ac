/**
 * What reaches a plugin from a selection element besides the capability arguments. Multus v4
 * (`DelegateAdd`, "Deprecated in ver 3.5") also writes `ips` as `IP=<a>,<b>` and `mac` as
 * `MAC=<mac>` into CNI_ARGS, with `IgnoreUnknown=true`, whether or not a plugin declares the
 * `ips`/`mac` capability; the plugins below read those keys. Shown with the real Multus 4.3.0 and
 * plugins 1.10.0 and Debian's 1.1.1 (test/rulebook/multus-evidence.test.ts: static and host-local
 * take the address, macvlan and bridge the MAC), and kept equal to the emulated engine by the
 * differential case `static-ips-without-capability` (test/real/verify-differential-helpers.ts).
 */

/** IPAM types that read `IP` from CNI_ARGS (containernetworking/plugins static, host-local). */
const IP_READERS: ReadonlySet<string> = new Set(['static', 'host-local']);

/** IPAM types that read exactly one address from `IP` (host-local's `IPAMEnvArgs.IP` is one `ip.IP`). */
const SINGLE_IP_READERS: ReadonlySet<string> = new Set(['host-local']);

/** Plugin types that read `MAC` from CNI_ARGS (`MacEnvArgs` of macvlan, bridge, tuning, tap). */
const MAC_READERS: ReadonlySet<string> = new Set(['macvlan', 'bridge', 'tuning', 'tap']);

/**
 * Plugins that read the pod's selection element themselves (from the networks annotation) rather
 * than through Multus: OVN-Kubernetes secondary networks take `ips` and `mac` from it in
 * ovnkube-controller (docs/features/multiple-networks/multi-homing.md), with no capability.
 */
const ANNOTATION_READERS: ReadonlyMap<string, readonly string[]> = new Map([
  ['ovn-k8s-cni-overlay', ['ips', 'mac']],
]);

/** How a request of a selection element reaches a chain that does not declare its capability. */
export enum UndeclaredRequest {
  /** Nothing reads it: it has no effect. */
  LOST = 'lost',
  /** It arrives through CNI_ARGS, Multus's deprecated path, which a plugin of the chain reads. */
  CNI_ARGS = 'cni-args',
  /** The main plugin reads it from the pod annotation itself. */
  ANNOTATION = 'annotation',
}

/** The plugin and IPAM types of a chain, as {@link undeclaredRequest} needs them. */
export interface ChainTypes {
  readonly plugins: readonly string[];
  readonly ipams: readonly string[];
}

/**
 * Where a request (`ips`, `mac`, ...) of a selection element goes when no plugin of the chain
 * declares its capability. `count` is the number of addresses (for `ips`).
 */
export function undeclaredRequest(key: string, chain: ChainTypes, count: number = 1): UndeclaredRequest {
  if (chain.plugins.length > 0 && ANNOTATION_READERS.get(chain.plugins[0])?.includes(key)) return UndeclaredRequest.ANNOTATION;
  if (key === 'ips') {
    const reads = chain.ipams.some((t) => IP_READERS.has(t) && !(count > 1 && SINGLE_IP_READERS.has(t)));
    return reads ? UndeclaredRequest.CNI_ARGS : UndeclaredRequest.LOST;
  }
  if (key === 'mac') return chain.plugins.some((t) => MAC_READERS.has(t)) ? UndeclaredRequest.CNI_ARGS : UndeclaredRequest.LOST;
  return UndeclaredRequest.LOST;
}
