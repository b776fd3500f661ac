import { CheckPhase, FieldType, arrayOf, bool, field, int, objectOf, str } from '../field';
import { AddressingMode, Ipam, IpamAddressing, IpamSpec } from '../ipam';
import { ProblemSink } from '../problem';
import { PluginProject } from '../profile';
import { registerIpam } from '../registry';

/** DHCP options the dhcp IPAM knows by name; any other option is written as its number (0 to 255). */
export enum DhcpOption {
  /** Option 61. */
  CLIENT_IDENTIFIER = 'dhcp-client-identifier',
  /** Option 1. */
  SUBNET_MASK = 'subnet-mask',
  /** Option 3. */
  ROUTERS = 'routers',
  /** Option 12. */
  HOST_NAME = 'host-name',
  /** Option 77. */
  USER_CLASS = 'user-class',
  /** Option 60. */
  VENDOR_CLASS_IDENTIFIER = 'vendor-class-identifier',
}

/** An option asked from the server. */
export interface DhcpRequestOption {
  /** A {@link DhcpOption} name, or an option number from 0 to 255. */
  readonly option: DhcpOption | string | number;
  /**
   * Leave the option out of the default request list instead of asking for it.
   * @default false
   */
  readonly skipDefault?: boolean;
}

/** An option sent to the server. */
export interface DhcpProvideOption {
  /** A {@link DhcpOption} name, or an option number from 0 to 255. */
  readonly option: DhcpOption | string | number;
  /**
   * The value sent, at most 255 bytes.
   * @default - none: `fromArg` gives it
   */
  readonly value?: string;
  /**
   * Take the value from this CNI_ARGS key (e.g. `K8S_POD_NAME`) instead.
   * @default - none: `value` gives it
   */
  readonly fromArg?: string;
}

/** Properties of a {@link DhcpIpam}. */
export interface DhcpIpamProps {
  /**
   * The socket of the dhcp daemon on the node.
   * @default /run/cni/dhcp.sock
   */
  readonly daemonSocketPath?: string;
  /**
   * Options to ask for (or to leave out of the default request list).
   * @default - the daemon's default request list
   */
  readonly request?: readonly DhcpRequestOption[];
  /**
   * Options to send.
   * @default - none
   */
  readonly provide?: readonly DhcpProvideOption[];
  /**
   * Metric of the routes the lease gives (containernetworking/plugins 1.6.0 and later).
   * @default 0
   */
  readonly priority?: number;
}

const OPTION_NAMES: readonly string[] = Object.values(DhcpOption);

/** The number or name of a DHCP option, written as a JSON string as the plugin reads it. */
function dhcpOption(): FieldType {
  const description = `an option name (${OPTION_NAMES.join(', ')}) or number from 0 to 255`;
  const valid = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 255)
    || (typeof v === 'string' && (OPTION_NAMES.includes(v) || (/^\d{1,3}$/.test(v) && Number(v) <= 255)));
  return {
    description,
    check(value: unknown, f: string, sink: ProblemSink, phase: CheckPhase) {
      if (phase.kind === 'shape' && !valid(value)) {
        sink.error(f, `must be ${description}`, value, 'use a DhcpOption name (exact case) or the decimal option number');
      }
    },
    toJson: (v) => (typeof v === 'number' ? String(v) : v),
    fromJson: (j) => j,
  };
}

/** The option number or name as written, for duplicate detection. */
function optionKey(option: unknown): string {
  return String(option);
}

const REQUEST = objectOf({
  option: field('option', dhcpOption(), { required: 'name the option, e.g. "routers" or "42"' }),
  skipDefault: field('skipDefault', bool()),
}, { description: 'a requested option {option, skipDefault}' });

const PROVIDE = objectOf({
  option: field('option', dhcpOption(), { required: 'name the option, e.g. "host-name" or "60"' }),
  value: field('value', str({ allowEmpty: true })),
  fromArg: field('fromArg', str()),
}, {
  description: 'a provided option {option, value, fromArg}',
  check(v: DhcpProvideOption, sink) {
    if (v.value !== undefined && v.fromArg !== undefined) {
      sink.error('fromArg', "is set together with 'value', and the plugin silently prefers it", v.fromArg, "keep either 'value' or 'fromArg'");
    } else if (v.value === undefined && v.fromArg === undefined) {
      sink.error('value', "is missing, and so is 'fromArg'", undefined, "give the option a 'value', or a CNI_ARGS key in 'fromArg'");
    }
    if (typeof v.value === 'string' && Buffer.byteLength(v.value, 'utf8') > 255) {
      sink.error('value', `is longer than 255 bytes (${Buffer.byteLength(v.value, 'utf8')})`, v.value, 'shorten it: a DHCP option holds at most 255 bytes');
    }
  },
});

/**
 * dhcp IPAM: leases addresses from a DHCP server on the segment, through the dhcp daemon that must
 * run on every node (without it: `error dialing DHCP daemon`). It suits attachments that reach an
 * L2 segment with a DHCP server (macvlan, bridge, host-device, sriov), not ptp or ipvlan l3.
 */
export class DhcpIpam extends Ipam {
  public static readonly SPEC: IpamSpec = {
    type: 'dhcp',
    project: PluginProject.CNI_PLUGINS,
    consumes: [],
    fields: {
      daemonSocketPath: field('daemonSocketPath', str({ pattern: /^\//, patternText: 'an absolute path' })),
      request: field('request', arrayOf(REQUEST)),
      provide: field('provide', arrayOf(PROVIDE)),
      priority: field('priority', int({ min: 0, max: 4294967295 }), { since: '1.6.0' }),
    },
    create: (props: DhcpIpamProps, sink?: ProblemSink) => new DhcpIpam(props, sink),
  };

  /** The daemon's default socket. */
  public static readonly DEFAULT_SOCKET_PATH = '/run/cni/dhcp.sock';

  constructor(props?: DhcpIpamProps);
  /** @internal */
  constructor(props: DhcpIpamProps | undefined, sink: ProblemSink | undefined);
  constructor(props: DhcpIpamProps = {}, sink?: ProblemSink) {
    super(DhcpIpam.SPEC, props, sink);
  }

  /** Always true: the dhcp daemon must run on every node (the App adds its DaemonSet). */
  public get requiresDaemon(): boolean {
    return true;
  }

  /** The socket the plugin dials. */
  public get daemonSocketPath(): string {
    return (this.values.daemonSocketPath as string | undefined) ?? DhcpIpam.DEFAULT_SOCKET_PATH;
  }

  public addressing(): IpamAddressing {
    return { mode: AddressingMode.DHCP, pools: [], staticAddresses: [], routes: [], clusterWide: true };
  }

  protected checkShape(sink: ProblemSink): void {
    for (const key of ['request', 'provide'] as const) {
      const list = (this.values[key] as { option: unknown }[] | undefined) ?? [];
      const seen = new Map<string, number>();
      list.forEach((o, i) => {
        const k = optionKey(o.option);
        const before = seen.get(k);
        if (before !== undefined) {
          sink.error(`${key}[${i}].option`, `repeats ${key}[${before}]`, o.option, 'list each option once');
        } else {
          seen.set(k, i);
        }
      });
    }
  }
}

registerIpam(DhcpIpam.SPEC);
