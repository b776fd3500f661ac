import { Cidr } from '../addressing/ip';
import { JsonObject } from '../cni/common';
import { renderValue } from '../cni/problem';
import { NetworkSelectionElement } from '../multus/selection-element';
import { TopologyNetwork, TopologyPod } from '../topology/topology';

/**
 * The picture of a multi-network topology as plain data: a node per network, a node per workload
 * that attaches to networks, an edge per attachment. Built from the same plain topology data the
 * whole-topology checks read (networks and pods), with no cdk8s in it; rendering is separate
 * (see `render.ts`).
 */

/** A network of the picture: one NAD, or the NADs of one logical network in several namespaces. */
export interface DiagramNetwork {
  /** Node id in the rendered picture (`n1`, `n2`, ... in sorted order). */
  readonly id: string;
  /** The NAD name pods reference. */
  readonly name: string;
  /** The namespaces holding a NAD of this network, sorted. */
  readonly namespaces: readonly string[];
  /** The plugin types of the config, in chain order (empty when unknown). */
  readonly plugins: readonly string[];
  /** The host side of the network, e.g. `master eth1`, `bridge br-n4`, `device 0000:03:00.1`. */
  readonly uplink?: string;
  /** The VLAN tag, when the plugin sets one. */
  readonly vlan?: number;
  /** The subnets: from the IPAM config, else from the addresses pods request on it. */
  readonly subnets: readonly string[];
  /** The IPAM type (`host-local`, `static`, `whereabouts`, `dhcp`, ...), when there is one. */
  readonly ipam?: string;
  /** The device-plugin resource of the NAD (SR-IOV). */
  readonly resourceName?: string;
  /** True when no NAD of this name is among the inputs (a reference only) or it is declared external. */
  readonly external: boolean;
}

/** A workload whose pods attach to networks. */
export interface DiagramFunction {
  /** Node id in the rendered picture (`f1`, `f2`, ... in sorted order). */
  readonly id: string;
  /** Workload kind (Deployment, StatefulSet, DaemonSet, Pod, ...). */
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /** Number of pods; undefined for one pod per node (DaemonSet). */
  readonly replicas?: number;
}

/** One attachment: a function's interface on a network. */
export interface DiagramEdge {
  /** Id of the {@link DiagramFunction}. */
  readonly from: string;
  /** Id of the {@link DiagramNetwork}. */
  readonly to: string;
  /** Interface name in the pod. */
  readonly interface: string;
  /** Static addresses requested (`ips`), as written. */
  readonly addresses: readonly string[];
  /** Requested MAC address, if any. */
  readonly mac?: string;
  /** Whether the pod's default route goes through this attachment. */
  readonly defaultRoute: boolean;
  /** Whether this attachment replaces the cluster default network (eth0). */
  readonly defaultNetwork: boolean;
}

/** An input object drawn only in part, or not at all, and why. */
export interface DiagramNote {
  /** Whether the object is a network or a workload. */
  readonly of: 'network' | 'workload';
  /** The `path` of the input (a construct path, or the command line's object key), else `namespace/name`. */
  readonly object: string;
  /** What was left out and why, e.g. `plugin details not drawn: ...`. */
  readonly message: string;
}

/** The whole picture, sorted: networks by name, functions by namespace and name, edges by function. */
export interface Diagram {
  readonly networks: readonly DiagramNetwork[];
  readonly functions: readonly DiagramFunction[];
  readonly edges: readonly DiagramEdge[];
  /**
   * Input objects drawn in part or left out (one invalid object never stops the picture).
   * @default - none: every input drawn in full
   */
  readonly notes?: readonly DiagramNote[];
}

/** A network as input: the topology data, plus the raw CNI config when it could not be typed. */
export interface DiagramNetworkInput extends TopologyNetwork {
  /**
   * The CNI config as JSON, used for plugin type and uplink when `config` is undefined (a config
   * the typed model rejects is still drawn).
   * @default - none
   */
  readonly rawConfig?: JsonObject;
}

/** A workload as input: the topology pod data plus its kind. */
export interface DiagramWorkloadInput extends TopologyPod {
  /** Workload kind (Deployment, StatefulSet, DaemonSet, Pod, ...). */
  readonly kind: string;
}

/** What {@link buildDiagram} reads. */
export interface DiagramInput {
  readonly networks: readonly DiagramNetworkInput[];
  readonly workloads: readonly DiagramWorkloadInput[];
}

/** The host-side keys of the interface plugins, in the order they are looked at, with their label. */
const UPLINK_KEYS: readonly [string, string][] = [
  ['master', 'master'],
  ['bridge', 'bridge'],
  ['device', 'device'],
  ['pciBusID', 'device'],
  ['hwaddr', 'device'],
  ['kernelpath', 'device'],
  ['deviceID', 'device'],
];

/** The bridge the bridge plugin creates when the config names none. */
const DEFAULT_BRIDGE = 'cni0';

interface Group {
  readonly key: string;
  readonly name: string;
  readonly namespaces: Set<string>;
  readonly plugins: string[];
  readonly uplink?: string;
  readonly vlan?: number;
  readonly subnets: string[];
  readonly ipam?: string;
  readonly resourceName?: string;
  readonly external: boolean;
  readonly fromAddresses: Set<string>;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Plugin chain and main plugin JSON of a network, typed when possible, raw otherwise. */
function pluginsOf(n: DiagramNetworkInput, notes?: DiagramNote[]): { types: string[]; main?: JsonObject; key: string } {
  if (n.config) {
    try {
      const main = n.config.main.toJson();
      return { types: n.config.plugins.map((p) => p.type), main, key: JSON.stringify(n.config.toJson({ name: n.name })) };
    } catch (e) {
      // a config the typed model cannot write back (an invalid name, say): drawn from its raw JSON
      notes?.push({ of: 'network', object: objectOf(n), message: `drawn from its raw config: ${firstLine(e)}` });
    }
  }
  const raw = n.rawConfig;
  if (!raw) return { types: [], key: '' };
  const list = Array.isArray(raw.plugins) ? raw.plugins : [raw];
  const objects = list.filter((p): p is JsonObject => typeof p === 'object' && p !== null && !Array.isArray(p));
  const { name: _name, ...rest } = raw;
  return {
    types: objects.map((p) => (typeof p.type === 'string' ? p.type : '?')),
    main: objects[0],
    key: JSON.stringify(rest),
  };
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0];
}

function objectOf(x: { path?: string; namespace: string; name: string }): string {
  return x.path ?? `${x.namespace}/${x.name}`;
}

function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function uplinkOf(type: string | undefined, main: JsonObject | undefined): string | undefined {
  if (!main) return undefined;
  for (const [key, label] of UPLINK_KEYS) {
    const v = main[key];
    if (typeof v === 'string' && v !== '') return `${label} ${v}`;
  }
  if (type === 'bridge') return `bridge ${DEFAULT_BRIDGE}`;
  return undefined;
}

function vlanOf(main: JsonObject | undefined): number | undefined {
  if (!main) return undefined;
  for (const key of ['vlanId', 'vlan']) {
    const v = main[key];
    if (typeof v === 'number' && v > 0) return v;
  }
  return undefined;
}

function subnetsOf(n: DiagramNetworkInput): string[] {
  const out: string[] = (n.subnets ?? []).map((c) => c.toString());
  const addressing = n.config?.main?.ipam?.addressing();
  for (const pool of addressing?.pools ?? []) out.push(pool.subnet.canonical.toString());
  for (const s of addressing?.staticAddresses ?? []) out.push(s.address.canonical.toString());
  if (!n.config && n.rawConfig) {
    // an untyped config: the usual IPAM keys, read as written
    const main = pluginsOf(n).main;
    const ipam = isJsonObject(main?.ipam) ? main.ipam : undefined;
    for (const key of ['subnet', 'range']) {
      const v = ipam?.[key];
      if (typeof v === 'string') out.push(Cidr.tryParse(v)?.canonical.toString() ?? v);
    }
  }
  return [...new Set(out)];
}

function ipamOf(n: DiagramNetworkInput, main: JsonObject | undefined): string | undefined {
  const typed = n.config?.main?.ipam?.type;
  if (typed) return typed;
  const ipam = isJsonObject(main?.ipam) ? main.ipam : undefined;
  return typeof ipam?.type === 'string' ? ipam.type : undefined;
}

/**
 * The keys of a selection element the picture shows, each kept only when of the right type (an
 * element read from YAML may hold anything); undefined, with a note, when it names no network.
 */
function drawable(w: DiagramWorkloadInput, el: NetworkSelectionElement, what: string, notes: DiagramNote[]): NetworkSelectionElement | undefined {
  if (!isJsonObject(el) || typeof el.name !== 'string' || el.name === '') {
    notes.push({ of: 'workload', object: objectOf(w), message: `${what} not drawn: it names no network` });
    return undefined;
  }
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const ips = Array.isArray(el.ips) ? el.ips.filter((x): x is string => typeof x === 'string') : undefined;
  return {
    name: el.name,
    namespace: text(el.namespace),
    interface: text(el.interface),
    ips,
    mac: text(el.mac),
    'default-route': el['default-route'],
  };
}

/**
 * Builds the picture. NADs with the same name and the same config in several namespaces (the
 * NADs derived from one logical network) become one network node listing the namespaces; NADs of
 * the same name with different configs stay apart. An attachment to a NAD missing from the input
 * draws the NAD as an external network. Workloads with no attachment are left out. The output is
 * sorted, so the same topology gives the same picture whatever the input order.
 */
export function buildDiagram(input: DiagramInput): Diagram {
  const isList = (v: unknown): boolean => Array.isArray(v);
  if (typeof input !== 'object' || input === null || !isList(input.networks) || !isList(input.workloads)) {
    throw new Error(`'input' must be {networks: [...], workloads: [...]}: got ${renderValue(input)}; pass lists (empty ones when there is nothing)`);
  }
  const groups = new Map<string, Group>();
  const groupOfNad = new Map<string, Group>();
  const notes: DiagramNote[] = [];
  for (const n of input.networks) {
    const nadKey = `${n.namespace}/${n.name}`;
    if (groupOfNad.has(nadKey)) continue; // declared twice: lint reports it; draw the first
    let details: { types: string[]; main?: JsonObject; key: string; subnets: string[]; ipam?: string };
    try {
      const { types, main, key } = pluginsOf(n, notes);
      details = { types, main, key, subnets: subnetsOf(n), ipam: ipamOf(n, main) };
    } catch (e) {
      // one network the picture cannot read: drawn by name only, and said so
      notes.push({ of: 'network', object: objectOf(n), message: `drawn without plugin details: ${firstLine(e)}` });
      details = { types: [], key: `unreadable\u0000${nadKey}`, subnets: [] };
    }
    const { types, main, key: configKey } = details;
    const external = n.external === true;
    const key = `${n.name}\u0000${external ? 'external' : configKey}\u0000${n.resourceName ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        key,
        name: n.name,
        namespaces: new Set(),
        plugins: types,
        uplink: uplinkOf(types[0], main),
        vlan: vlanOf(main),
        subnets: details.subnets,
        ipam: details.ipam,
        resourceName: n.resourceName,
        external,
        fromAddresses: new Set(),
      };
      groups.set(key, g);
    }
    g.namespaces.add(n.namespace);
    groupOfNad.set(nadKey, g);
  }

  const undeclared = (namespace: string, name: string): Group => {
    const nadKey = `${namespace}/${name}`;
    let g = groupOfNad.get(nadKey);
    if (!g) {
      g = {
        key: `${name}\u0000undeclared\u0000${namespace}`, name, namespaces: new Set([namespace]), plugins: [], subnets: [], external: true, fromAddresses: new Set(),
      };
      groups.set(g.key, g);
      groupOfNad.set(nadKey, g);
    }
    return g;
  };

  interface PendingEdge {
    readonly workload: DiagramWorkloadInput;
    readonly group: Group;
    readonly element: NetworkSelectionElement;
    readonly ifname: string;
    readonly defaultNetwork: boolean;
    readonly order: number;
  }
  const pending: PendingEdge[] = [];
  const workloads = input.workloads.filter((w) => w.attachments.length > 0 || w.defaultNetwork !== undefined);
  for (const w of workloads) {
    if (w.defaultNetwork) {
      const el = drawable(w, w.defaultNetwork, 'the default network', notes);
      if (el) {
        const ns = el.namespace ?? w.multusNamespace ?? 'kube-system';
        pending.push({ workload: w, group: groupOfNad.get(`${ns}/${el.name}`) ?? undeclared(ns, el.name), element: el, ifname: el.interface ?? 'eth0', defaultNetwork: true, order: -1 });
      }
    }
    w.attachments.forEach((raw, i) => {
      const el = drawable(w, raw, `attachment ${i}`, notes);
      if (!el) return;
      const ns = el.namespace ?? w.namespace;
      const group = groupOfNad.get(`${ns}/${el.name}`) ?? undeclared(ns, el.name);
      pending.push({ workload: w, group, element: el, ifname: el.interface ?? `net${i + 1}`, defaultNetwork: false, order: i });
    });
  }

  // networks with no subnet in their config: show the prefixes their pods' addresses sit in
  for (const p of pending) {
    if (p.group.subnets.length > 0) continue;
    for (const ip of p.element.ips ?? []) {
      const c = Cidr.tryParse(ip);
      if (c) p.group.fromAddresses.add(c.canonical.toString());
    }
  }

  const sortedGroups = [...groups.values()].sort((a, b) =>
    compare(a.name, b.name) || compare([...a.namespaces].sort().join(','), [...b.namespaces].sort().join(',')) || compare(a.key, b.key));
  const networkId = new Map<Group, string>();
  const networks: DiagramNetwork[] = sortedGroups.map((g, i) => {
    const id = `n${i + 1}`;
    networkId.set(g, id);
    return {
      id,
      name: g.name,
      namespaces: [...g.namespaces].sort(compare),
      plugins: g.plugins,
      uplink: g.uplink,
      vlan: g.vlan,
      subnets: g.subnets.length > 0 ? g.subnets : [...g.fromAddresses].sort(compare),
      ipam: g.ipam,
      resourceName: g.resourceName,
      external: g.external,
    };
  });

  const fnKey = (w: DiagramWorkloadInput) => `${w.namespace}\u0000${w.name}\u0000${w.kind}`;
  const sortedWorkloads = [...workloads].sort((a, b) => compare(fnKey(a), fnKey(b)));
  const functionId = new Map<DiagramWorkloadInput, string>();
  const functions: DiagramFunction[] = sortedWorkloads.map((w, i) => {
    const id = `f${i + 1}`;
    functionId.set(w, id);
    return { id, kind: w.kind, name: w.name, namespace: w.namespace, replicas: w.replicas };
  });

  const rank = new Map(sortedWorkloads.map((w, i) => [w, i]));
  const edges: DiagramEdge[] = pending
    .sort((a, b) => (rank.get(a.workload)! - rank.get(b.workload)!) || (a.order - b.order))
    .map((p) => ({
      from: functionId.get(p.workload)!,
      to: networkId.get(p.group)!,
      interface: p.ifname,
      addresses: [...(p.element.ips ?? [])],
      mac: p.element.mac,
      defaultRoute: p.element['default-route'] !== undefined,
      defaultNetwork: p.defaultNetwork,
    }));
  return { networks, functions, edges, ...(notes.length > 0 ? { notes } : {}) };
}
