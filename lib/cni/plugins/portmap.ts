import { IpAddress } from '../../addressing/ip';
import { CniCapability } from '../common';
import { arrayOf, bool, field, int, oneOf, str } from '../field';
import { CniPlugin, IpamUse, PluginBaseProps, PluginRole, PluginSpec } from '../plugin';
import { Problem, ProblemSink } from '../problem';
import { PluginProject } from '../profile';
import { registerPlugin } from '../registry';

/** The packet-filter framework portmap writes its rules with. */
export enum PortmapBackend {
  IPTABLES = 'iptables',
  NFTABLES = 'nftables',
}

/** The transport protocol of a port mapping (lowercase: the plugins pass it to iptables/nft as is). */
export enum PortProtocol {
  TCP = 'tcp',
  UDP = 'udp',
  SCTP = 'sctp',
}

/** One host port mapping, as passed per pod through the `portMappings` capability. */
export interface PortMapping {
  /** The port on the node, 1..65535. */
  readonly hostPort: number;
  /** The port in the pod, 1..65535. */
  readonly containerPort: number;
  readonly protocol: PortProtocol;
  /**
   * The node address to listen on.
   * @default - every node address
   */
  readonly hostIP?: string;
}

const PROTOCOLS: readonly string[] = Object.values(PortProtocol);

/** Problems of one port mapping, with fields under `field` (e.g. `portMappings[0]`). */
export function portMappingProblems(m: PortMapping, field: string): Problem[] {
  const sink = new ProblemSink(field);
  if (typeof m !== 'object' || m === null || Array.isArray(m)) {
    sink.error('', 'must be a port mapping {hostPort, containerPort, protocol}', m, 'write an object such as {"hostPort": 8080, "containerPort": 80, "protocol": "tcp"}');
    return sink.problems;
  }
  for (const key of ['hostPort', 'containerPort'] as const) {
    const port = m[key];
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
      sink.error(key, 'must be a port number from 1 to 65535', port, 'write a port such as 8080 as a JSON number');
    }
  }
  if (typeof m.protocol !== 'string' || !PROTOCOLS.includes(m.protocol)) {
    sink.error('protocol', `must be one of ${PROTOCOLS.map((p) => JSON.stringify(p)).join(', ')}`, m.protocol,
      'use PortProtocol.TCP, UDP or SCTP (lowercase: the plugin passes it to iptables/nft as is)');
  }
  if (m.hostIP !== undefined && (typeof m.hostIP !== 'string' || IpAddress.tryParse(m.hostIP) === undefined)) {
    sink.error('hostIP', 'must be an IP address', m.hostIP, 'write a node address such as 192.0.2.10, or leave it out to listen on every address');
  }
  return sink.problems;
}

/** Properties of a {@link PortmapPlugin}. */
export interface PortmapProps extends PluginBaseProps {
  /**
   * The rule framework (containernetworking/plugins 1.6.0+).
   * @default - iptables, unless only nftables exists on the node
   */
  readonly backend?: PortmapBackend;
  /**
   * Masquerade hairpin traffic (a pod reaching its own host port).
   * @default true
   */
  readonly snat?: boolean;
  /**
   * Masquerade all mapped traffic, not only hairpin (containernetworking/plugins 1.2.0+).
   * @default false
   */
  readonly masqAll?: boolean;
  /**
   * The mark bit used for masquerading, 0..31; not together with `externalSetMarkChain`.
   * @default 13
   */
  readonly markMasqBit?: number;
  /**
   * An existing iptables chain that marks packets for masquerading (e.g. kube-proxy's
   * `KUBE-MARK-MASQ`); iptables only; not together with `markMasqBit`.
   * @default - the plugin's own marking with `markMasqBit`
   */
  readonly externalSetMarkChain?: string;
  /**
   * Extra match conditions for IPv4 rules: iptables arguments (starting with `-` or `!`) or nft
   * expressions; the form must match the backend.
   * @default - none
   */
  readonly conditionsV4?: readonly string[];
  /**
   * Extra match conditions for IPv6 rules.
   * @default - none
   */
  readonly conditionsV6?: readonly string[];
}

/** Which framework a list of conditions is written for, by its first token (the plugin's rule). */
function conditionsBackend(conditions: readonly string[] | undefined): PortmapBackend | undefined {
  if (!conditions || conditions.length === 0) return undefined;
  const first = conditions[0].trim();
  return first.startsWith('-') || first.startsWith('!') ? PortmapBackend.IPTABLES : PortmapBackend.NFTABLES;
}

/** The portmap plugin: host ports forwarded to the pod (`plugins/meta/portmap`). */
export class PortmapPlugin extends CniPlugin {
  public static readonly SPEC: PluginSpec = {
    type: 'portmap',
    project: PluginProject.CNI_PLUGINS,
    role: PluginRole.CHAINED,
    ipam: IpamUse.NONE,
    dns: false,
    consumes: [CniCapability.PORT_MAPPINGS],
    fields: {
      backend: field('backend', oneOf(PortmapBackend, 'PortmapBackend'), { since: '1.6.0' }),
      snat: field('snat', bool()),
      masqAll: field('masqAll', bool(), { since: '1.2.0' }),
      markMasqBit: field('markMasqBit', int({ min: 0, max: 31 })),
      externalSetMarkChain: field('externalSetMarkChain', str()),
      conditionsV4: field('conditionsV4', arrayOf(str())),
      conditionsV6: field('conditionsV6', arrayOf(str())),
    },
    create: (props: PortmapProps, sink?: ProblemSink) => new PortmapPlugin(props, sink),
  };

  constructor(props?: PortmapProps);
  /** @internal */
  constructor(props: PortmapProps | undefined, sink: ProblemSink | undefined);
  constructor(props: PortmapProps = {}, sink?: ProblemSink) {
    super(PortmapPlugin.SPEC, props, sink);
  }

  protected checkShape(sink: ProblemSink): void {
    const v = this.values;
    if (v.markMasqBit !== undefined && v.externalSetMarkChain !== undefined) {
      sink.error('externalSetMarkChain', "cannot be used with 'markMasqBit' (the plugin refuses both)", v.externalSetMarkChain,
        "remove one: 'externalSetMarkChain' to reuse an existing marking chain, or 'markMasqBit' for the plugin's own");
    }
    const backend = v.backend as PortmapBackend | undefined;
    if (backend === PortmapBackend.NFTABLES && v.externalSetMarkChain !== undefined) {
      sink.error('externalSetMarkChain', 'is iptables-specific, but the backend is nftables', v.externalSetMarkChain,
        'remove it, or use backend iptables');
    }
    const v4 = conditionsBackend(v.conditionsV4 as string[] | undefined);
    const v6 = conditionsBackend(v.conditionsV6 as string[] | undefined);
    if (v4 && v6 && v4 !== v6) {
      sink.error('conditionsV6', `are written for ${v6} but 'conditionsV4' for ${v4}`, v.conditionsV6,
        'write both lists for the same framework');
    }
    for (const [key, style] of [['conditionsV4', v4], ['conditionsV6', v6]] as const) {
      if (backend && style && style !== backend) {
        sink.error(key, `are written for ${style}, but the backend is ${backend}`, v[key],
          style === PortmapBackend.IPTABLES ? 'write nft expressions such as "ip saddr 192.0.2.0/24", or use backend iptables'
            : 'write iptables arguments such as "-s 192.0.2.0/24", or use backend nftables');
      }
    }
    if (!this.capabilities.includes(CniCapability.PORT_MAPPINGS)) {
      sink.warn('capabilities.portMappings', 'is not declared, so the plugin never receives port mappings and does nothing', undefined,
        'declare the portMappings capability (new PortmapPlugin({ capabilities: [CniCapability.PORT_MAPPINGS] }))');
    }
  }

  public get backend(): PortmapBackend | undefined {
    return this.values.backend as PortmapBackend | undefined;
  }
}

registerPlugin(PortmapPlugin.SPEC);
