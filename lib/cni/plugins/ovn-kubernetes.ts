import { Cidr, IpAddress } from '../../addressing/ip';
import { CniCapability } from '../common';
import { FieldType, field, int, oneOf, str } from '../field';
import { IpamUse, PluginBaseProps, PluginRole, PluginSpec } from '../plugin';
import { ProblemSink } from '../problem';
import { registerPlugin } from '../registry';
import { ThirdPartyPlugin, ThirdPartyProject, ThirdPartyPluginSpec, thirdPartyPluginSpec } from './third-party-plugin';

/**
 * The fields of `ovn-k8s-cni-overlay` follow the "Network Configuration reference" of OVN-Kubernetes'
 * docs/features/multiple-networks/multi-homing.md at ovn-org/ovn-kubernetes@6c366bb49d6fa57c80d6b39834952ce1d4d9dbb6.
 */

/** The topology of an OVN-Kubernetes secondary network. */
export enum OvnTopology {
  /** A logical switch per node, each with its slice of the subnet, and a router between them (east/west only). */
  LAYER3 = 'layer3',
  /** One cluster-wide logical switch (east/west only). */
  LAYER2 = 'layer2',
  /** One cluster-wide logical switch bridged to a physical network (`ovn-bridge-mappings` on the nodes). */
  LOCALNET = 'localnet',
}

/** Properties of an {@link OvnKubernetesPlugin}. */
export interface OvnKubernetesProps extends PluginBaseProps {
  /** The topology of the network. */
  readonly topology: OvnTopology;
  /**
   * `<namespace>/<name>` of the NetworkAttachmentDefinition that carries the config (OVN-K requires it
   * and it must match the NAD).
   */
  readonly netAttachDefName: string;
  /**
   * The subnets addresses are allocated from, centrally by OVN-K (one address per subnet). For
   * layer3, each is `cidr/hostPrefix` (the cluster-wide subnet and each node's slice, e.g.
   * `10.128.0.0/16/24`) or a plain CIDR.
   * @default - required for layer3; for layer2 and localnet, no addresses (pods bring their own `ips`)
   */
  readonly subnets?: readonly string[];
  /**
   * Prefixes or addresses never handed out (layer2 and localnet).
   * @default - none
   */
  readonly excludeSubnets?: readonly string[];
  /**
   * The MTU of the pod interface.
   * @default - chosen by the kernel
   */
  readonly mtu?: number;
  /**
   * The VLAN tag of a localnet network, 1..4094.
   * @default - untagged
   */
  readonly vlanID?: number;
  /**
   * The physical network of a localnet network, as named in the nodes' `ovn-bridge-mappings`.
   * @default - the network's `name`
   */
  readonly physicalNetworkName?: string;
}

const DNS1123 = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';

/** What ovnkube reads from the pod's selection element. */
const READ_FROM_SELECTION: readonly CniCapability[] = [CniCapability.IPS, CniCapability.MAC];

/** A comma-separated list on the wire, a list of strings in the model. */
function commaList(description: string, itemOk: (item: string) => string | undefined): FieldType {
  return {
    description,
    check(value, f, sink, phase) {
      if (phase.kind !== 'shape') return;
      if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string')) {
        sink.error(f, `must be a non-empty list of ${description}`, value, 'write a list such as ["10.100.200.0/24"]');
        return;
      }
      value.forEach((v: string, i) => {
        const why = itemOk(v);
        if (why) sink.error(`${f}[${i}]`, why, v, `write ${description}`);
      });
    },
    toJson: (v) => (v as string[]).join(','),
    fromJson: (j) => (typeof j === 'string' ? j.split(',').map((s) => s.trim()) : j),
  };
}

/** `cidr` or `cidr/hostPrefix` (layer3). */
function subnetProblem(item: string): string | undefined {
  const m = /^(.+)\/(\d{1,3})$/.exec(item);
  const layer3 = m && Cidr.tryParse(m[1]) !== undefined ? { cidr: Cidr.parse(m[1]), hostPrefix: Number(m[2]) } : undefined;
  if (layer3) {
    if (layer3.hostPrefix <= layer3.cidr.prefix || layer3.hostPrefix > layer3.cidr.address.bits) {
      return `has a host prefix /${layer3.hostPrefix} that is not longer than the subnet's /${layer3.cidr.prefix}`;
    }
    return undefined;
  }
  if (Cidr.tryParse(item) === undefined) return 'is not a prefix in CIDR notation (nor cidr/hostPrefix)';
  return undefined;
}

const SPEC: ThirdPartyPluginSpec = {
  type: 'ovn-k8s-cni-overlay',
  thirdPartyProject: ThirdPartyProject.OVN_KUBERNETES,
  role: PluginRole.INTERFACE,
  ipam: IpamUse.NONE,
  dns: false,
  // the selection's ips and mac are read by ovnkube from the pod's annotation, not from runtimeConfig
  consumes: [],
  fields: {
    topology: field('topology', oneOf(OvnTopology, 'OvnTopology'), { required: 'write the topology: OvnTopology.LAYER3, LAYER2 or LOCALNET' }),
    subnets: field('subnets', commaList('CIDR prefixes (cidr/hostPrefix for layer3)', subnetProblem)),
    mtu: field('mtu', int({ min: 576, max: 65535 })),
    netAttachDefName: field('netAttachDefName', str({ pattern: new RegExp(`^${DNS1123}/${DNS1123}$`), patternText: '<namespace>/<name> of the NetworkAttachmentDefinition' }),
      { required: 'write <namespace>/<name> of the NetworkAttachmentDefinition that carries the config' }),
    excludeSubnets: field('excludeSubnets', commaList('CIDR prefixes or addresses', (v) => (Cidr.tryParse(v) ?? IpAddress.tryParse(v) ? undefined : 'is neither a prefix nor an address'))),
    vlanID: field('vlanID', int({ min: 1, max: 4094 })),
    physicalNetworkName: field('physicalNetworkName', str()),
  },
  create: (props: OvnKubernetesProps, sink?: ProblemSink) => new OvnKubernetesPlugin(props, sink),
};

/**
 * `ovn-k8s-cni-overlay`: a secondary network implemented by OVN-Kubernetes (the cluster's primary
 * CNI), with addresses allocated centrally from `subnets`. Networks are not namespaced: the
 * config's `name` is the network's cluster-wide identity.
 */
export class OvnKubernetesPlugin extends ThirdPartyPlugin {
  public static readonly SPEC: PluginSpec = thirdPartyPluginSpec(SPEC);

  constructor(props: OvnKubernetesProps);
  /** @internal */
  constructor(props: OvnKubernetesProps, sink: ProblemSink | undefined);
  constructor(props: OvnKubernetesProps, sink?: ProblemSink) {
    super(SPEC, OvnKubernetesPlugin.SPEC, props, sink);
  }

  public get topology(): OvnTopology {
    return this.values.topology as OvnTopology;
  }

  /**
   * OVN-Kubernetes reads a pod's `ips` and `mac` from its network selection element itself (not
   * from the `runtimeConfig` Multus passes): they reach it without a declared capability.
   */
  public declaresCapability(cap: CniCapability): boolean {
    return READ_FROM_SELECTION.includes(cap) || super.declaresCapability(cap);
  }

  protected checkShape(sink: ProblemSink): void {
    const v = this.values;
    const topology = v.topology as OvnTopology;
    const subnets = (v.subnets as string[] | undefined) ?? [];
    if (topology !== OvnTopology.LOCALNET) {
      for (const key of ['vlanID', 'physicalNetworkName'] as const) {
        if (v[key] !== undefined) sink.error(key, `is only read with topology "localnet" (this network is ${JSON.stringify(topology)})`, v[key], `remove ${key}, or use OvnTopology.LOCALNET`);
      }
    }
    if (topology === OvnTopology.LAYER3) {
      if (subnets.length === 0) sink.error('subnets', 'is required with topology "layer3"', undefined, 'give the cluster subnet and the per-node prefix, e.g. ["10.128.0.0/16/24"]');
      if (v.excludeSubnets !== undefined) sink.error('excludeSubnets', 'is not read with topology "layer3"', v.excludeSubnets, 'remove it, or use OvnTopology.LAYER2 or LOCALNET');
    } else {
      subnets.forEach((s, i) => {
        if (Cidr.tryParse(s) === undefined) sink.error(`subnets[${i}]`, `is cidr/hostPrefix, which only topology "layer3" reads (this network is ${JSON.stringify(topology)})`, s, 'write a plain CIDR such as 10.100.200.0/24');
      });
      const excluded = (v.excludeSubnets as string[] | undefined) ?? [];
      if (excluded.length > 0 && subnets.length === 0) {
        sink.error('excludeSubnets', "is set while 'subnets' is empty, so there is nothing to exclude from", excluded, "remove it, or give 'subnets'");
      }
      const nets = subnets.map((s) => Cidr.tryParse(s)).filter((c): c is Cidr => c !== undefined);
      excluded.forEach((e, i) => {
        const c = Cidr.tryParse(e) ?? (IpAddress.tryParse(e) ? Cidr.parse(`${e}/${IpAddress.parse(e).bits}`) : undefined);
        if (c && nets.length > 0 && !nets.some((n) => n.contains(c.network) && n.contains(c.last))) {
          sink.error(`excludeSubnets[${i}]`, `is outside every subnet (${subnets.join(', ')})`, e, 'exclude a part of one of the subnets');
        }
      });
    }
  }
}

registerPlugin(OvnKubernetesPlugin.SPEC);
