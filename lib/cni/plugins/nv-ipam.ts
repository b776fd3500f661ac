import { CniCapability } from '../common';
import { FieldType, bool, field, int, oneOf, str } from '../field';
import { AddressingMode, IpamAddressing } from '../ipam';
import { ProblemSink } from '../problem';
import { registerIpam } from '../registry';
import { ThirdPartyIpam, ThirdPartyIpamSpec, ThirdPartyProject, thirdPartyIpamSpec } from './third-party-plugin';

/**
 * NVIDIA's IPAM plugin `nv-ipam` (installed by the NVIDIA network operator), with the keys of
 * `IPAMConf` in Mellanox/nvidia-k8s-ipam pkg/cni/types/types.go
 * (@2980418f9d9dc3a2b3db8d0689aad89e179ba68c).
 */

/** The kind of pool `poolName` names. */
export enum NvIpamPoolType {
  /** An `IPPool` resource: each node gets a block of a subnet. */
  IP_POOL = 'ippool',
  /** A `CIDRPool` resource: each node gets a prefix of a CIDR. */
  CIDR_POOL = 'cidrpool',
}

/** The log levels of nv-ipam. */
export enum NvIpamLogLevel {
  PANIC = 'panic',
  ERROR = 'error',
  WARNING = 'warning',
  INFO = 'info',
  DEBUG = 'debug',
  VERBOSE = 'verbose',
}

/** Properties of an {@link NvIpam}. */
export interface NvIpamProps {
  /**
   * The pool(s) the addresses come from: one name, or two (an IPv4 and an IPv6 pool) for a
   * dual-stack interface. Written comma-separated.
   * @default - the CNI network name (unless `forcePoolName`)
   */
  readonly poolName?: readonly string[];
  /**
   * The kind of pool named.
   * @default NvIpamPoolType.IP_POOL
   */
  readonly poolType?: NvIpamPoolType;
  /**
   * Refuse to fall back to the network name when no pool is named.
   * @default false
   */
  readonly forcePoolName?: boolean;
  /**
   * The nv-ipam node daemon's socket.
   * @default - unix:///var/lib/cni/nv-ipam/daemon.sock
   */
  readonly daemonSocket?: string;
  /**
   * Timeout of a call to the daemon.
   * @default 5
   */
  readonly daemonCallTimeoutSeconds?: number;
  /**
   * The directory of the plugin's own config file on the node.
   * @default - /etc/cni/net.d/nv-ipam.d
   */
  readonly confDir?: string;
  /**
   * The plugin's log file on the node.
   * @default - /var/log/nv-ipam-cni.log
   */
  readonly logFile?: string;
  /**
   * The log level.
   * @default NvIpamLogLevel.INFO
   */
  readonly logLevel?: NvIpamLogLevel;
}

const K8S_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** One or two pool names, comma-separated on the wire. */
const POOL_NAMES: FieldType = {
  description: 'one or two pool names',
  check(value, f, sink, phase) {
    if (phase.kind !== 'shape') return;
    if (!Array.isArray(value) || value.length < 1 || value.length > 2) {
      sink.error(f, 'must name one pool, or two (IPv4 and IPv6)', value, 'write ["my-pool"] or ["pool-v4", "pool-v6"]');
      return;
    }
    value.forEach((v, i) => {
      if (typeof v !== 'string' || !K8S_NAME.test(v)) sink.error(`${f}[${i}]`, 'is not the name of an IPPool or CIDRPool resource', v, 'write a lowercase DNS-1123 name such as "my-pool"');
    });
  },
  toJson: (v) => (v as string[]).join(','),
  fromJson: (j) => (typeof j === 'string' ? j.split(',') : j),
};

const PATH = str({ pattern: /^\//, patternText: 'an absolute path' });

const SPEC: ThirdPartyIpamSpec = {
  type: 'nv-ipam',
  thirdPartyProject: ThirdPartyProject.NVIDIA_K8S_IPAM,
  // static addresses per pod through runtimeConfig.ips
  consumes: [CniCapability.IPS],
  fields: {
    forcePoolName: field('forcePoolName', bool()),
    poolName: field('poolName', POOL_NAMES),
    poolType: field('poolType', oneOf(NvIpamPoolType, 'NvIpamPoolType')),
    daemonSocket: field('daemonSocket', str({ pattern: /^(unix|tcp):\/\/.+$/, patternText: 'a gRPC address such as unix:///var/lib/cni/nv-ipam/daemon.sock' })),
    daemonCallTimeoutSeconds: field('daemonCallTimeoutSeconds', int({ min: 1, unit: 's' })),
    confDir: field('confDir', PATH),
    logFile: field('logFile', PATH),
    logLevel: field('logLevel', oneOf(NvIpamLogLevel, 'NvIpamLogLevel')),
  },
  create: (props: NvIpamProps, sink?: ProblemSink) => new NvIpam(props, sink),
};

/**
 * `nv-ipam`: addresses from NVIDIA's cluster-wide pools (`IPPool` or `CIDRPool` resources), each
 * node holding its own block, through a daemon on the node.
 */
export class NvIpam extends ThirdPartyIpam {
  public static readonly SPEC = thirdPartyIpamSpec(SPEC);

  constructor(props?: NvIpamProps);
  /** @internal */
  constructor(props: NvIpamProps | undefined, sink: ProblemSink | undefined);
  constructor(props: NvIpamProps = {}, sink?: ProblemSink) {
    super(NvIpam.SPEC, props, sink);
  }

  public addressing(): IpamAddressing {
    // the pools are Kubernetes resources, not part of the config
    return { mode: AddressingMode.UNKNOWN, pools: [], staticAddresses: [], routes: [], clusterWide: true };
  }

  protected checkShape(sink: ProblemSink): void {
    if (this.values.forcePoolName === true && this.values.poolName === undefined) {
      sink.error('poolName', "is required when 'forcePoolName' is true", undefined, 'name the pool, or leave forcePoolName out to use the network name');
    }
  }
}

registerIpam(NvIpam.SPEC);
