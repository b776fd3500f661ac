import { CniConfigList, JsonObject, isPlainPluginName } from '../dataplane/cni-exec';
import { ArgvValueError, linkName, macAddress, mtuValue, show } from '../dataplane/argv-values';

/**
 * What verify lets a CNI config do on this machine. Every value that becomes a process argument
 * (uplink names, MACs, MTUs, bridge names) is checked by the argv grammar here, naming the field;
 * options that reach outside the run (a path on the node, the firewalld backend on the host's
 * D-Bus) make the attachment "not emulated here" and it never runs. State directories (`dataDir`
 * in any position) are not refused: {@link rewriteStatePaths} moves them into the run's directory.
 */

/** An interface the config expects on the node, with the field that named it. */
export interface UplinkUse {
  readonly name: string;
  /** The field it came from (`spec.config.plugins[0].master`). */
  readonly field: string;
  readonly mac?: string;
  /** Carries the node's default route (macvlan/ipvlan without `master`). */
  readonly defaultRoute?: boolean;
}

/** A Linux bridge a bridge plugin creates, with the field that named it. */
export interface BridgeUse {
  readonly name: string;
  readonly field: string;
}

/** What a config may do here. */
export type Confinement =
  | { readonly kind: 'ok'; readonly list: CniConfigList; readonly uplinks: readonly UplinkUse[]; readonly bridges: readonly BridgeUse[]; readonly mtu: number }
  | { readonly kind: 'failed'; readonly reason: string }
  | { readonly kind: 'not-emulated'; readonly reason: string };

/** Keys whose value is a path on the node (besides `dataDir`, which is moved into the run). */
const PATH_KEY_RE = /(path|file|dir|directory|socket|kubeconfig|resolvconf)$/i;

/** Keys whose value is state verify moves into the run instead of refusing. */
const STATE_KEYS = new Set(['dataDir']);

/** A tuning sysctl verify lets through: a `net.` key of plain words (the namespaced part of /proc/sys). */
const SYSCTL_RE = /^net\.[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The first path option inside a value (depth first, `args` left out: pods' cni-args are data). */
function findPathOption(v: unknown, field: string): { field: string; value: unknown } | undefined {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const f = findPathOption(v[i], `${field}[${i}]`);
      if (f) return f;
    }
    return undefined;
  }
  if (!isObject(v)) return typeof v === 'string' && (v.startsWith('/') || v.startsWith('~')) ? { field, value: v } : undefined;
  for (const [k, x] of Object.entries(v)) {
    if (k === 'args' || STATE_KEYS.has(k)) continue;
    const at = `${field}.${k}`;
    if (PATH_KEY_RE.test(k) && x !== undefined && x !== null && x !== '') return { field: at, value: x };
    const f = findPathOption(x, at);
    if (f) return f;
  }
  return undefined;
}

/**
 * The network names libcni accepts (`utils.ValidateNetworkName`, checked before any plugin runs):
 * host-local keeps its reservations in a directory named after the network, so a name with a
 * path separator would write outside the run.
 */
export const CNI_NETWORK_NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/**
 * Checks and confines one config list. `single` says the object held a single config (fields
 * are then `<base>.<key>`, else `<base>.plugins[i].<key>`); `base` is where the config is in its
 * object (a NAD's `spec.config`, a DRA claim's opaque parameters).
 */
export function confineConfig(list: CniConfigList, single: boolean, base = 'spec.config'): Confinement {
  if (typeof list.name !== 'string' || !CNI_NETWORK_NAME_RE.test(list.name)) {
    return {
      kind: 'failed',
      reason: `'${base}.name' is not a network name libcni accepts: got ${show(list.name)}; use letters, digits, '_', '.', '-' (libcni refuses the ADD: invalid characters found in network name)`,
    };
  }
  const plugins: JsonObject[] = structuredClone(list.plugins) as JsonObject[];
  const uplinks: UplinkUse[] = [];
  const bridges: BridgeUse[] = [];
  let mtu = 1500;
  const addUplink = (u: UplinkUse) => {
    if (!uplinks.some((x) => x.name === u.name)) uplinks.push(u);
  };
  try {
    for (let i = 0; i < plugins.length; i++) {
      const p = plugins[i];
      const at = single ? base : `${base}.plugins[${i}]`;
      for (const [field, type] of [[`${at}.type`, p.type], [`${at}.ipam.type`, isObject(p.ipam) ? p.ipam.type : undefined]] as const) {
        if (type === undefined && field.endsWith('.ipam.type')) continue;
        if (typeof type !== 'string' || !isPlainPluginName(type) || type.length > 64) {
          throw new ArgvValueError(field, type, 'is not a plugin binary name', "name a binary of the CNI plugin directory (letters, digits, '_', '.', '+', '-'; no path)");
        }
      }
      const pathOption = findPathOption(p, at);
      if (pathOption) {
        return {
          kind: 'not-emulated',
          reason: `'${pathOption.field}' is a path on the node: got ${show(pathOption.value)}; verify keeps every file inside its run and does not emulate path options`,
        };
      }
      if (p.type === 'firewall') {
        if (p.backend === 'firewalld') {
          return { kind: 'not-emulated', reason: `'${at}.backend' talks to firewalld on the host's D-Bus: got "firewalld"; verify runs the iptables backend only` };
        }
        // without a backend the plugin asks the host's D-Bus whether firewalld runs
        if (p.backend === undefined) p.backend = 'iptables';
      }
      if (p.mtu !== undefined) mtu = Math.max(mtu, mtuValue(p.mtu, `${at}.mtu`));
      const inContainer = p.linkInContainer === true;
      switch (p.type) {
        case 'macvlan':
        case 'ipvlan':
        case 'vlan':
          if (p.master !== undefined && p.master !== '') {
            const name = linkName(p.master, `${at}.master`);
            if (!inContainer) addUplink({ name, field: `${at}.master` });
          } else if (p.type !== 'vlan' && !(p.type === 'ipvlan' && i > 0)) {
            addUplink({ name: 'eth0', field: `${at}.master`, defaultRoute: true });
          }
          break;
        case 'host-device':
          if (p.device !== undefined && p.device !== '') addUplink({ name: linkName(p.device, `${at}.device`), field: `${at}.device` });
          else if (p.hwaddr !== undefined && p.hwaddr !== '') addUplink({ name: `hostdev${i}`, field: `${at}.hwaddr`, mac: macAddress(p.hwaddr, `${at}.hwaddr`) });
          break;
        case 'bond':
          if (p.linksInContainer !== true && Array.isArray(p.links)) {
            p.links.forEach((l, j) => {
              if (isObject(l)) addUplink({ name: linkName(l.name, `${at}.links[${j}].name`), field: `${at}.links[${j}].name` });
            });
          }
          break;
        case 'bridge': {
          const name = p.bridge === undefined || p.bridge === '' ? 'cni0' : linkName(p.bridge, `${at}.bridge`);
          if (!bridges.some((b) => b.name === name)) bridges.push({ name, field: `${at}.bridge` });
          break;
        }
        case 'tuning':
          if (p.mac !== undefined) macAddress(p.mac, `${at}.mac`);
          if (isObject(p.sysctl)) {
            for (const key of Object.keys(p.sysctl)) {
              if (!SYSCTL_RE.test(key) || key.includes('..')) {
                throw new ArgvValueError(`${at}.sysctl`, key, 'is not a network sysctl', 'name a net.* sysctl of the pod namespace, e.g. net.ipv4.conf.IFNAME.arp_notify');
              }
            }
          }
          break;
        default:
          break;
      }
    }
  } catch (e) {
    if (e instanceof ArgvValueError) return { kind: 'failed', reason: e.message };
    throw e;
  }
  return { kind: 'ok', list: { ...list, plugins }, uplinks, bridges, mtu };
}
