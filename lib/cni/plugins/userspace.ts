import { field, int, objectOf, oneOf, str } from '../field';
import { InterfacePluginProps, IpamUse, PluginRole, PluginSpec } from '../plugin';
import { ProblemSink } from '../problem';
import { registerPlugin } from '../registry';
import { ThirdPartyPlugin, ThirdPartyPluginSpec, ThirdPartyProject, thirdPartyPluginSpec } from './third-party-plugin';

/**
 * The Userspace CNI plugin (`userspace`): a pod interface in a userspace dataplane on the node
 * (OVS-DPDK vhost-user, VPP memif), with the keys of `NetConf` and `UserSpaceConf` in
 * intel/userspace-cni-network-plugin pkg/types/types.go (@39ae87096d0393e21d9e3a205b3313608bc1038a).
 */

/** The userspace dataplane. */
export enum UserspaceEngine {
  VPP = 'vpp',
  OVS_DPDK = 'ovs-dpdk',
}

/** The kind of userspace interface. */
export enum UserspaceInterfaceType {
  MEMIF = 'memif',
  VHOSTUSER = 'vhostuser',
}

/** What the interface is connected to on its side. */
export enum UserspaceNetType {
  NONE = 'none',
  BRIDGE = 'bridge',
  INTERFACE = 'interface',
}

/** The role of a memif end. */
export enum MemifRole {
  MASTER = 'master',
  SLAVE = 'slave',
}

/** The mode of a memif. */
export enum MemifMode {
  ETHERNET = 'ethernet',
  IP = 'ip',
  INJECT_PUNT = 'inject-punt',
}

/** The vhost-user socket mode of one end. */
export enum VhostMode {
  CLIENT = 'client',
  SERVER = 'server',
}

/** The memif settings of one end. */
export interface UserspaceMemif {
  /** @default - the engine's default */
  readonly role?: MemifRole;
  /** @default - the engine's default */
  readonly mode?: MemifMode;
  /** @default - memif-<container id>-<ifname>.sock */
  readonly socketfile?: string;
}

/** The vhost-user settings of one end. */
export interface UserspaceVhost {
  /** @default - the engine's default */
  readonly mode?: VhostMode;
  /** Group owning the socket file. @default - none */
  readonly group?: string;
  /** @default - <container id>-<ifname> */
  readonly socketfile?: string;
}

/** The bridge of one end. */
export interface UserspaceBridge {
  /** The bridge (OVS) or bridge domain (VPP, a number written as a string). @default - br-0 for OVS-DPDK */
  readonly bridgeName?: string;
  /** VLAN on the bridge port. @default - none */
  readonly vlanId?: number;
}

/** One side (host or container) of a userspace interface. */
export interface UserspaceSide {
  /** @default - the host's value (for the container side) */
  readonly engine?: UserspaceEngine;
  /** @default - the host's value (for the container side) */
  readonly iftype?: UserspaceInterfaceType;
  /** @default - the host's value (for the container side) */
  readonly netType?: UserspaceNetType;
  /** With iftype memif. @default - none */
  readonly memif?: UserspaceMemif;
  /** With iftype vhostuser. @default - none */
  readonly vhost?: UserspaceVhost;
  /** With netType bridge. @default - none */
  readonly bridge?: UserspaceBridge;
}

/** Properties of a {@link UserspacePlugin}. */
export interface UserspaceProps extends InterfacePluginProps {
  /** The host side: the dataplane on the node. */
  readonly host: UserspaceSide;
  /**
   * The container side (each key defaults to the host's).
   * @default - as the host side
   */
  readonly container?: UserspaceSide;
  /**
   * A kubeconfig on the node with which the plugin reads the pod's volume mounts and writes its
   * configuration into the pod's annotations; one of `kubeconfig` and `sharedDir` is required.
   * @default - none
   */
  readonly kubeconfig?: string;
  /**
   * The node directory the socket files are created in (a subdirectory per container).
   * @default - none
   */
  readonly sharedDir?: string;
  /**
   * The plugin's log file on the node.
   * @default - no log file
   */
  readonly logFile?: string;
  /**
   * The log level, e.g. `debug`.
   * @default - the plugin's default
   */
  readonly logLevel?: string;
}

const PATH = str({ pattern: /^\//, patternText: 'an absolute path' });

const SIDE = objectOf({
  engine: field('engine', oneOf(UserspaceEngine, 'UserspaceEngine')),
  iftype: field('iftype', oneOf(UserspaceInterfaceType, 'UserspaceInterfaceType')),
  netType: field('netType', oneOf(UserspaceNetType, 'UserspaceNetType')),
  memif: field('memif', objectOf({
    role: field('role', oneOf(MemifRole, 'MemifRole')),
    mode: field('mode', oneOf(MemifMode, 'MemifMode')),
    socketfile: field('socketfile', str({ pattern: /^[^/]+$/, patternText: 'a file name without a path' })),
  }, { description: 'memif settings {role, mode, socketfile}' })),
  vhost: field('vhost', objectOf({
    mode: field('mode', oneOf(VhostMode, 'VhostMode')),
    group: field('group', str()),
    socketfile: field('socketfile', str({ pattern: /^[^/]+$/, patternText: 'a file name without a path' })),
  }, { description: 'vhost-user settings {mode, group, socketfile}' })),
  bridge: field('bridge', objectOf({
    bridgeName: field('bridgeName', str()),
    vlanId: field('vlanId', int({ min: 1, max: 4094 })),
  }, { description: 'a bridge {bridgeName, vlanId}' })),
}, {
  description: 'a userspace side {engine, iftype, netType, memif, vhost, bridge}',
  check(side: UserspaceSide, sink) {
    if (side.memif !== undefined && side.iftype !== undefined && side.iftype !== UserspaceInterfaceType.MEMIF) {
      sink.error('memif', `is only read with iftype "memif" (this side is ${JSON.stringify(side.iftype)})`, side.memif, 'remove it, or use UserspaceInterfaceType.MEMIF');
    }
    if (side.vhost !== undefined && side.iftype !== undefined && side.iftype !== UserspaceInterfaceType.VHOSTUSER) {
      sink.error('vhost', `is only read with iftype "vhostuser" (this side is ${JSON.stringify(side.iftype)})`, side.vhost, 'remove it, or use UserspaceInterfaceType.VHOSTUSER');
    }
    if (side.engine === UserspaceEngine.OVS_DPDK && side.iftype === UserspaceInterfaceType.MEMIF) {
      sink.error('iftype', 'is memif, which the ovs-dpdk engine does not create', side.iftype, 'use UserspaceInterfaceType.VHOSTUSER with OVS-DPDK, or the vpp engine');
    }
  },
});

const SPEC: ThirdPartyPluginSpec = {
  type: 'userspace',
  thirdPartyProject: ThirdPartyProject.USERSPACE_CNI,
  role: PluginRole.INTERFACE,
  ipam: IpamUse.OPTIONAL,
  dns: false,
  consumes: [],
  fields: {
    kubeconfig: field('kubeconfig', PATH),
    sharedDir: field('sharedDir', PATH),
    logFile: field('logFile', PATH),
    logLevel: field('logLevel', str({ pattern: /^[a-z]+$/, patternText: 'a lowercase level such as debug' })),
    host: field('host', SIDE, { required: 'describe the host side: { engine, iftype, netType, ... }' }),
    container: field('container', SIDE),
  },
  create: (props: UserspaceProps, sink?: ProblemSink) => new UserspacePlugin(props, sink),
};

/**
 * `userspace`: a pod interface in a userspace dataplane (OVS-DPDK vhost-user, VPP memif); the
 * socket is shared with the pod through a hostPath, and the addresses the IPAM returns are for the
 * application (the kernel never sees the interface).
 */
export class UserspacePlugin extends ThirdPartyPlugin {
  public static readonly SPEC: PluginSpec = thirdPartyPluginSpec(SPEC);

  constructor(props: UserspaceProps);
  /** @internal */
  constructor(props: UserspaceProps, sink: ProblemSink | undefined);
  constructor(props: UserspaceProps, sink?: ProblemSink) {
    super(SPEC, UserspacePlugin.SPEC, props, sink);
  }

  protected checkShape(sink: ProblemSink): void {
    if (this.values.kubeconfig === undefined && this.values.sharedDir === undefined) {
      sink.error('kubeconfig', "is required unless 'sharedDir' is set", undefined, 'give the node kubeconfig (e.g. Multus\'s /etc/cni/net.d/multus.d/multus.kubeconfig) or a sharedDir');
    }
  }
}

registerPlugin(UserspacePlugin.SPEC);
