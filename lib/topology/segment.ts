import { CniConfig } from '../cni/config';

/**
 * The L2 segment a NAD's interfaces are on, read from what its config says (never from the NAD's
 * name): NADs with the same segment put their pods on one wire, whatever they are called (the
 * usual per-chart copies of one network). `verify` pings across NAD names on one segment; the
 * whole-topology check keeps static addresses and MACs unique across it.
 */

/** The main plugin's JSON (the first of a list, or the single config). */
type PluginJson = Readonly<Record<string, unknown>>;

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * The segment of a plugin config: the Linux bridge (and VLAN) of a bridge plugin, the uplink (and
 * VLAN) of macvlan, ipvlan and vlan, the device of host-device, the OVS bridge (and VLAN) of ovs;
 * undefined for other plugins (nothing in the config says which wire they are on).
 */
export function segmentOfPlugin(main: PluginJson | undefined): string | undefined {
  if (!main || typeof main.type !== 'string') return undefined;
  const vlan = typeof main.vlan === 'number' ? `.${main.vlan}` : '';
  switch (main.type) {
    // one bridge name is one segment: with several nodes, verify joins each bridge across them
    case 'bridge': return `bridge ${text(main.bridge) ?? 'cni0'}${vlan}`;
    case 'ovs': return text(main.bridge) ? `ovs ${text(main.bridge)}${vlan}` : undefined;
    // macvlan and ipvlan children of one uplink share its wire (the underlay joins the nodes)
    case 'macvlan':
    case 'ipvlan': return text(main.master) ? `uplink ${text(main.master)}` : undefined;
    case 'vlan': return text(main.master) && typeof main.vlanId === 'number' ? `uplink ${text(main.master)}.${main.vlanId}` : undefined;
    case 'host-device': return text(main.device) ? `uplink ${text(main.device)}` : undefined;
    default: return undefined;
  }
}

/** The segment of a typed config (its main plugin), or undefined. */
export function segmentOfConfig(config: CniConfig | undefined): string | undefined {
  const main = config?.main;
  if (!main) return undefined;
  // only the plugins segmentOfPlugin knows: no JSON is built for the others
  if (!SEGMENT_TYPES.has(main.type)) return undefined;
  return segmentOfPlugin(main.toJson());
}

const SEGMENT_TYPES: ReadonlySet<string> = new Set(['bridge', 'ovs', 'macvlan', 'ipvlan', 'vlan', 'host-device']);
