import { isIpAddress, isMac } from '../../dataplane/argv-values';

/**
 * The `k8s.v1.cni.cncf.io/network-status` annotation Multus writes, read back and compared with
 * what the attachment should have: its interface, its addresses (as the pod's namespace holds
 * them) and its MAC (the link's, and the one the element asked for).
 */

/** The annotation's key. */
export const NETWORK_STATUS_ANNOTATION = 'k8s.v1.cni.cncf.io/network-status';

/** One entry of network-status (NPWG spec §5). */
export interface NetworkStatusEntry {
  readonly name: string;
  readonly interface?: string;
  readonly ips: readonly string[];
  readonly mac?: string;
  readonly default: boolean;
}

/** Parses the annotation's text; a bad one gives the error in the house style. */
export function parseNetworkStatus(text: unknown): { entries: NetworkStatusEntry[]; error?: string } {
  if (typeof text !== 'string') {
    return { entries: [], error: `'metadata.annotations["${NETWORK_STATUS_ANNOTATION}"]' is missing: got ${JSON.stringify(text)}; Multus writes it after a successful ADD (did Multus find the pod?)` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { entries: [], error: `'metadata.annotations["${NETWORK_STATUS_ANNOTATION}"]' is not JSON: got ${JSON.stringify(text.slice(0, 200))}; ${(e as Error).message}` };
  }
  if (!Array.isArray(raw)) {
    return { entries: [], error: `'metadata.annotations["${NETWORK_STATUS_ANNOTATION}"]' is not a list: got ${JSON.stringify(raw).slice(0, 200)}; Multus writes a JSON list of network statuses` };
  }
  const entries: NetworkStatusEntry[] = [];
  for (const e of raw) {
    if (typeof e !== 'object' || e === null || typeof (e as { name?: unknown }).name !== 'string') continue;
    const x = e as { name: string; interface?: unknown; ips?: unknown; mac?: unknown; default?: unknown };
    entries.push({
      name: x.name,
      ...(typeof x.interface === 'string' ? { interface: x.interface } : {}),
      ips: Array.isArray(x.ips) ? x.ips.filter((i): i is string => typeof i === 'string') : [],
      ...(typeof x.mac === 'string' ? { mac: x.mac } : {}),
      default: x.default === true,
    });
  }
  return { entries };
}

/** What an attachment should show in network-status. */
export interface ExpectedStatus {
  /** `namespace/name` of the NAD. */
  readonly network: string;
  readonly ifname: string;
  /** The addresses (CIDR) the interface holds in the pod's namespace. */
  readonly addresses: readonly string[];
  /** The interface's MAC in the pod's namespace, when it has one. */
  readonly linkMac?: string;
  /** The MAC the element asked for. */
  readonly requestedMac?: string;
  /** The addresses (CIDR or plain) the element asked for. */
  readonly requestedIps?: readonly string[];
}

const bare = (a: string) => a.split('/')[0].toLowerCase();

/** The differences between network-status and what the attachment should show (empty: they agree). */
export function compareStatus(expected: ExpectedStatus, entry: NetworkStatusEntry | undefined): string[] {
  if (!entry) return [`network-status has no entry for interface ${expected.ifname} (${expected.network})`];
  const out: string[] = [];
  if (entry.name !== expected.network) out.push(`network-status names ${JSON.stringify(entry.name)} for ${expected.ifname}, expected ${JSON.stringify(expected.network)}`);
  const reported = entry.ips.map(bare).sort();
  const held = expected.addresses.map(bare).sort();
  if (reported.join(',') !== held.join(',')) out.push(`network-status reports addresses [${reported.join(', ')}] but ${expected.ifname} holds [${held.join(', ')}]`);
  for (const ip of expected.requestedIps ?? []) {
    if (!reported.includes(bare(ip))) out.push(`the pod asked for ${ip} on ${expected.ifname} but network-status reports [${reported.join(', ')}]`);
  }
  const mac = entry.mac?.toLowerCase();
  if (expected.linkMac && mac !== undefined && mac !== '' && mac !== expected.linkMac.toLowerCase()) {
    out.push(`network-status reports MAC ${mac} but ${expected.ifname} has ${expected.linkMac.toLowerCase()}`);
  }
  if (expected.requestedMac && mac !== expected.requestedMac.toLowerCase()) {
    out.push(`the pod asked for MAC ${expected.requestedMac.toLowerCase()} on ${expected.ifname} but network-status reports ${mac ?? 'none'}`);
  }
  return out;
}

/** Addresses of a link from `ip -j addr show` output, as CIDRs (link-local IPv6 left out). */
export function addressesOfLink(ipJson: string, ifname: string): { cidrs: string[]; mac?: string } {
  let links: Array<{ ifname?: string; address?: string; addr_info?: Array<{ local?: string; prefixlen?: number; scope?: string }> }> = [];
  try {
    links = JSON.parse(ipJson || '[]');
  } catch {
    return { cidrs: [] };
  }
  const l = links.find((x) => x.ifname === ifname);
  if (!l) return { cidrs: [] };
  const cidrs = (l.addr_info ?? [])
    .filter((x) => x.scope !== 'link' && isIpAddress(x.local) && typeof x.prefixlen === 'number')
    .map((x) => `${x.local}/${x.prefixlen}`);
  return { cidrs, ...(isMac(l.address) ? { mac: l.address } : {}) };
}
