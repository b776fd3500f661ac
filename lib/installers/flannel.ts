import { IConstruct, Construct } from 'constructs';
import { JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Cidr, IpFamily } from '../addressing/ip';
import { ProblemSink, reportProblems } from '../cni/problem';
import { ClusterNetwork, ClusterNetworkProvider, multusAmong } from './cluster-network';
import { ContainerImage } from './container-image';
import {
  EnvEntry, HostPathType, NodeAgentDaemonSet, NodeAgentSecurity, TaintEffect, Toleration, UpdateStrategy,
} from './node-agent';
import { assertProps, pEnum, pInstance, pInt, pNumber, propsShape } from '../cni/props-check';
import { BOOL_PROP, IMAGE_PROP, STRING_LIST_PROP, STRING_PROP } from './installer-props';

/**
 * Flannel v0.28.9 (`Documentation/kube-flannel.yml`): a Namespace `kube-flannel`, RBAC, a
 * ServiceAccount, the `kube-flannel-cfg` ConfigMap (CNI conflist + `net-conf.json` built from typed
 * options) and the `kube-flannel-ds` DaemonSet (hostNetwork, NET_ADMIN + NET_RAW, not privileged).
 */

/** Flannel's image, as the v0.28.9 manifest pins it. */
export const FLANNEL_IMAGE = ContainerImage.of('ghcr.io/flannel-io/flannel:v0.28.9');
/** The flannel CNI plugin installer image of the v0.28.9 manifest. */
export const FLANNEL_CNI_PLUGIN_IMAGE = ContainerImage.of('ghcr.io/flannel-io/flannel-cni-plugin:v1.9.1-flannel3');

/** The backends of flanneld (`Documentation/backends.md`). */
export enum FlannelBackendType {
  VXLAN = 'vxlan',
  HOST_GW = 'host-gw',
  WIREGUARD = 'wireguard',
  UDP = 'udp',
  /** Experimental upstream. */
  IPIP = 'ipip',
  /** Experimental upstream. */
  IPSEC = 'ipsec',
}

/** Options of the vxlan backend. */
export interface FlannelVxlanOptions {
  /** VXLAN Identifier. @default 1 (flanneld's default; not written) */
  readonly vni?: number;
  /** UDP port. @default 8472 (the kernel default; not written) */
  readonly port?: number;
  /** Group Based Policy. @default false */
  readonly gbp?: boolean;
  /** Route directly (host-gw style) between hosts on the same subnet. @default false */
  readonly directRouting?: boolean;
  /** Let the kernel learn remote MACs. @default false */
  readonly learning?: boolean;
  /** MTU of the vxlan device. @default - the MTU of the external interface minus the overhead */
  readonly mtu?: number;
  /** MAC prefix of the vtep devices. @default "0E:2A" (flanneld; not written) */
  readonly macPrefix?: string;
}

/** How the wireguard backend builds its devices. */
export enum FlannelWireguardMode {
  SEPARATE = 'separate',
  AUTO = 'auto',
  IPV4 = 'ipv4',
  IPV6 = 'ipv6',
}

/** Options of the wireguard backend. */
export interface FlannelWireguardOptions {
  /** Pre-shared key (base64, as `wg genpsk` prints). @default - none */
  readonly psk?: string;
  /** Listen port (IPv4). @default 51820 */
  readonly listenPort?: number;
  /** Listen port (IPv6). @default 51821 */
  readonly listenPortV6?: number;
  /** Device MTU. @default - external interface MTU minus the overhead */
  readonly mtu?: number;
  /** Device layout. @default FlannelWireguardMode.SEPARATE */
  readonly mode?: FlannelWireguardMode;
  /** Keepalive interval, in seconds. @default 0 (off) */
  readonly persistentKeepaliveInterval?: number;
}

/** Options of the udp backend. */
export interface FlannelUdpOptions {
  /** UDP port. @default 8285 */
  readonly port?: number;
}

/** Options of the ipip backend. */
export interface FlannelIpipOptions {
  /** Route directly between hosts on the same subnet. @default false */
  readonly directRouting?: boolean;
  /** Device MTU. @default - external interface MTU minus the overhead */
  readonly mtu?: number;
}

/** Options of the ipsec backend. */
export interface FlannelIpsecOptions {
  /** Pre-shared key, at least 96 characters (required by flanneld). */
  readonly psk: string;
  /** Encapsulate ESP in UDP (NAT traversal). @default false */
  readonly udpEncap?: boolean;
  /** ESP proposal. @default "aes128gcm16-sha256-prfsha256-ecp256" (flanneld; not written) */
  readonly espProposal?: string;
}

// The runtime shapes of the backend options (unknown keys would otherwise be dropped silently); the
// number ranges are checked once, with the Flannel config (checkMtu and the port checks).
const NUMBER = pNumber();
const VXLAN_OPTIONS = propsShape('FlannelVxlanOptions', {
  vni: NUMBER, port: NUMBER, gbp: BOOL_PROP, directRouting: BOOL_PROP, learning: BOOL_PROP, mtu: NUMBER, macPrefix: STRING_PROP,
});
const WIREGUARD_OPTIONS = propsShape('FlannelWireguardOptions', {
  psk: STRING_PROP, listenPort: NUMBER, listenPortV6: NUMBER, mtu: NUMBER, mode: pEnum(FlannelWireguardMode, 'FlannelWireguardMode'), persistentKeepaliveInterval: NUMBER,
});
const UDP_OPTIONS = propsShape('FlannelUdpOptions', { port: NUMBER });
const IPIP_OPTIONS = propsShape('FlannelIpipOptions', { directRouting: BOOL_PROP, mtu: NUMBER });
const IPSEC_OPTIONS = propsShape('FlannelIpsecOptions', { psk: { type: STRING_PROP, required: 'give the pre-shared key' }, udpEncap: BOOL_PROP, espProposal: STRING_PROP });

/** A flanneld backend: the `Backend` object of `net-conf.json`. Build with the static factories. */
export class FlannelBackend {
  /** vxlan (flannel's default). */
  public static vxlan(options: FlannelVxlanOptions = {}): FlannelBackend {
    assertProps(VXLAN_OPTIONS, options, 'FlannelBackend.vxlan');
    return new FlannelBackend(FlannelBackendType.VXLAN, {
      VNI: options.vni, Port: options.port, GBP: options.gbp, DirectRouting: options.directRouting,
      Learning: options.learning, MTU: options.mtu, MacPrefix: options.macPrefix,
    });
  }
  /** host-gw: plain routes; needs layer-2 adjacency between nodes. */
  public static hostGw(): FlannelBackend {
    return new FlannelBackend(FlannelBackendType.HOST_GW, {});
  }
  /** wireguard: encrypted tunnels. */
  public static wireguard(options: FlannelWireguardOptions = {}): FlannelBackend {
    assertProps(WIREGUARD_OPTIONS, options, 'FlannelBackend.wireguard');
    return new FlannelBackend(FlannelBackendType.WIREGUARD, {
      PSK: options.psk, ListenPort: options.listenPort, ListenPortV6: options.listenPortV6, MTU: options.mtu,
      Mode: options.mode, PersistentKeepaliveInterval: options.persistentKeepaliveInterval,
    });
  }
  /** udp: userspace encapsulation (debugging only). */
  public static udp(options: FlannelUdpOptions = {}): FlannelBackend {
    assertProps(UDP_OPTIONS, options, 'FlannelBackend.udp');
    return new FlannelBackend(FlannelBackendType.UDP, { Port: options.port });
  }
  /** ipip (experimental upstream). */
  public static ipip(options: FlannelIpipOptions = {}): FlannelBackend {
    assertProps(IPIP_OPTIONS, options, 'FlannelBackend.ipip');
    return new FlannelBackend(FlannelBackendType.IPIP, { DirectRouting: options.directRouting, MTU: options.mtu });
  }
  /** ipsec (experimental upstream). */
  public static ipsec(options: FlannelIpsecOptions): FlannelBackend {
    assertProps(IPSEC_OPTIONS, options, 'FlannelBackend.ipsec');
    return new FlannelBackend(FlannelBackendType.IPSEC, { PSK: options.psk, UDPEncap: options.udpEncap, ESPProposal: options.espProposal });
  }

  private readonly fields: Record<string, string | number | boolean>;

  private constructor(public readonly type: FlannelBackendType, fields: Record<string, string | number | boolean | undefined>) {
    const set: Record<string, string | number | boolean> = {};
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) set[k] = v;
    this.fields = set;
  }

  /** The `Backend` object of `net-conf.json`. */
  public toJson(): Record<string, unknown> {
    return { Type: this.type, ...this.fields };
  }

  /** Range and shape checks of the backend's fields, under `backend`. */
  public check(sink: ProblemSink): void {
    const port = (key: string, v: unknown) => {
      if (v !== undefined && (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 65535)) {
        sink.error(`backend.${key}`, 'is not a port number', v, 'use an integer from 1 to 65535');
      }
    };
    for (const k of ['Port', 'ListenPort', 'ListenPortV6']) port(k, this.fields[k]);
    const vni = this.fields.VNI;
    if (vni !== undefined && (!Number.isInteger(vni) || (vni as number) < 1 || (vni as number) > 16777215)) {
      sink.error('backend.VNI', 'is not a VXLAN identifier', vni, 'use an integer from 1 to 16777215');
    }
    checkMtu(sink, 'backend.MTU', this.fields.MTU);
    const ka = this.fields.PersistentKeepaliveInterval;
    if (ka !== undefined && (!Number.isInteger(ka) || (ka as number) < 0)) {
      sink.error('backend.PersistentKeepaliveInterval', 'is not a number of seconds', ka, 'use 0 (off) or a positive integer such as 25');
    }
    if (this.type === FlannelBackendType.IPSEC && String(this.fields.PSK ?? '').length < 96) {
      sink.error('backend.PSK', 'is shorter than the 96 characters flanneld requires for ipsec', `${String(this.fields.PSK ?? '').length} characters`,
        'generate one with `dd if=/dev/urandom count=48 bs=1 status=none | xxd -p -c 48`');
    }
  }
}

function checkMtu(sink: ProblemSink, field: string, mtu: unknown): void {
  if (mtu !== undefined && (!Number.isInteger(mtu) || (mtu as number) < 576 || (mtu as number) > 9216)) {
    sink.error(field, 'is not a usable MTU', mtu, 'use an integer from 576 to 9216, or leave it unset for auto-detection');
  }
}

/** Properties of {@link Flannel}. */
export interface FlannelProps {
  /**
   * The IPv4 pod network (`net-conf.json` `Network`); must equal kube-controller-manager
   * `--cluster-cidr`, since `--kube-subnet-mgr` reads `node.spec.podCIDR`.
   * @default "10.244.0.0/16"
   */
  readonly network?: string;
  /** The backend. @default FlannelBackend.vxlan() */
  readonly backend?: FlannelBackend;
  /** Program nftables instead of iptables (`EnableNFTables`). @default false */
  readonly enableNFTables?: boolean;
  /** Turn on IPv6 (`EnableIPv6`); requires `ipv6Network`. @default false */
  readonly enableIPv6?: boolean;
  /** The IPv6 pod network (`IPv6Network`). @default - none */
  readonly ipv6Network?: string;
  /** Turn off IPv4 for an IPv6-only cluster (`EnableIPv4: false`). @default true */
  readonly enableIPv4?: boolean;
  /** The size of each node's subnet (`SubnetLen`). @default 24 (flanneld; not written) */
  readonly subnetLen?: number;
  /** Masquerade traffic leaving the pod network (`--ip-masq`). @default true */
  readonly ipMasq?: boolean;
  /** Interfaces (names or addresses) for inter-host traffic (`--iface`, repeated). @default - the interface of the default route */
  readonly iface?: readonly string[];
  /** Interface name patterns (`--iface-regex`, repeated). @default - none */
  readonly ifaceRegex?: readonly string[];
  /** The namespace. @default "kube-flannel" */
  readonly namespace?: string;
  /** The flanneld image. @default FLANNEL_IMAGE */
  readonly image?: ContainerImage;
  /** The CNI plugin installer image. @default FLANNEL_CNI_PLUGIN_IMAGE */
  readonly cniPluginImage?: ContainerImage;
}

/** The file flanneld writes for the flannel CNI plugin, and the Multus readiness indicator. */
export const FLANNEL_SUBNET_ENV = '/run/flannel/subnet.env';

/** The shape of {@link FlannelProps} (runtime checks for callers without a type checker). */
const FLANNEL_PROPS_SHAPE = propsShape('FlannelProps', {
  network: STRING_PROP,
  backend: pInstance([FlannelBackend], 'a FlannelBackend', 'use FlannelBackend.vxlan() or another factory'),
  enableNFTables: BOOL_PROP,
  enableIPv6: BOOL_PROP,
  ipv6Network: STRING_PROP,
  enableIPv4: BOOL_PROP,
  subnetLen: pInt({ min: 0, max: 128 }),
  ipMasq: BOOL_PROP,
  iface: STRING_LIST_PROP,
  ifaceRegex: STRING_LIST_PROP,
  namespace: STRING_PROP,
  image: IMAGE_PROP,
  cniPluginImage: IMAGE_PROP,
});

/**
 * Flannel, as `kube-flannel.yml` v0.28.9 installs it. The pod network and backend are typed;
 * the CNI config is the upstream conflist (flannel delegating to bridge, plus portmap).
 */
export class Flannel extends ClusterNetwork {
  public readonly provider = ClusterNetworkProvider.FLANNEL;
  public readonly cniConfigFile = '10-flannel.conflist';
  public readonly readinessIndicatorFile = FLANNEL_SUBNET_ENV;
  public readonly providedCniTypes: readonly string[] = ['flannel'];

  public readonly namespace: string;
  public readonly network: string;
  public readonly backend: FlannelBackend;
  public readonly enableNFTables: boolean;
  public readonly enableIPv4: boolean;
  public readonly enableIPv6: boolean;
  public readonly ipv6Network?: string;
  public readonly subnetLen?: number;
  public readonly ipMasq: boolean;
  public readonly iface: readonly string[];
  public readonly ifaceRegex: readonly string[];
  public readonly image: ContainerImage;
  public readonly cniPluginImage: ContainerImage;

  public readonly daemonSet: NodeAgentDaemonSet;
  public readonly configMap: k8s.KubeConfigMap;

  constructor(scope: Construct, id: string, props: FlannelProps = {}) {
    super(scope, id);
    assertProps(FLANNEL_PROPS_SHAPE, props, `Flannel ${this.node.path}`);
    this.namespace = props.namespace ?? 'kube-flannel';
    this.network = props.network ?? '10.244.0.0/16';
    this.backend = props.backend ?? FlannelBackend.vxlan();
    this.enableNFTables = props.enableNFTables ?? false;
    this.enableIPv4 = props.enableIPv4 ?? true;
    this.enableIPv6 = props.enableIPv6 ?? false;
    this.ipv6Network = props.ipv6Network;
    this.subnetLen = props.subnetLen;
    this.ipMasq = props.ipMasq ?? true;
    this.iface = [...(props.iface ?? [])];
    this.ifaceRegex = [...(props.ifaceRegex ?? [])];
    this.image = props.image ?? FLANNEL_IMAGE;
    this.cniPluginImage = props.cniPluginImage ?? FLANNEL_CNI_PLUGIN_IMAGE;
    reportProblems(this.propProblems(), `Flannel ${this.node.path}`);

    const ns = this.namespace;
    const appLabels = { 'k8s-app': 'flannel' };

    new k8s.KubeNamespace(this, 'Namespace', {
      metadata: { name: ns, labels: { ...appLabels, 'pod-security.kubernetes.io/enforce': 'privileged' } },
    });
    new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: { name: 'flannel', labels: appLabels },
      rules: FLANNEL_CLUSTER_ROLE_RULES.map((r) => ({ ...r })),
    });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: 'flannel', labels: appLabels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'flannel' },
      subjects: [{ kind: 'ServiceAccount', name: 'flannel', namespace: ns }],
    });
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: 'flannel', namespace: ns, labels: appLabels },
    });
    this.configMap = new k8s.KubeConfigMap(this, 'ConfigMap', {
      metadata: { name: 'kube-flannel-cfg', namespace: ns, labels: { 'tier': 'node', 'k8s-app': 'flannel', 'app': 'flannel' } },
      data: {
        'cni-conf.json': JSON.stringify(this.cniConfig(), null, 2) + '\n',
        'net-conf.json': JSON.stringify(this.netConf(), null, 2) + '\n',
      },
    });
    this.daemonSet = this.buildDaemonSet(ns);
  }

  /** The CNI conflist written to `/etc/cni/net.d/10-flannel.conflist`. */
  public cniConfig(): Record<string, unknown> {
    return {
      name: 'cbr0',
      cniVersion: '0.3.1',
      plugins: [
        { type: 'flannel', delegate: { hairpinMode: true, isDefaultGateway: true } },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    };
  }

  /** The `net-conf.json` flanneld reads. */
  public netConf(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (this.enableIPv4) out.Network = this.network;
    else out.EnableIPv4 = false;
    if (this.enableIPv6) {
      out.EnableIPv6 = true;
      out.IPv6Network = this.ipv6Network;
    }
    if (this.subnetLen !== undefined) out.SubnetLen = this.subnetLen;
    out.EnableNFTables = this.enableNFTables;
    out.Backend = this.backend.toJson();
    return out;
  }

  protected checkCoexistence(sink: ProblemSink, peers: IConstruct[]): void {
    // Under thick Multus the flannel delegate runs inside the Multus daemon's pod: it can read
    // /run/flannel/subnet.env only through `chrootDir` (upstream default /hostroot).
    for (const m of multusAmong(peers)) {
      if (m.thick && !m.chrootDir) {
        sink.error('multus.chrootDir', `is unset on the thick Multus ${m.construct.node.path}, so the flannel delegate cannot read ${FLANNEL_SUBNET_ENV}`,
          m.chrootDir, 'set the Multus daemon chrootDir to "/hostroot" (the upstream default) or mount /run/flannel into the Multus daemon');
      }
    }
  }

  private propProblems() {
    const sink = new ProblemSink();
    const v4 = Cidr.tryParse(this.network);
    if (this.enableIPv4) {
      if (!v4 || v4.family !== IpFamily.IPV4) {
        sink.error('network', 'is not an IPv4 prefix', this.network, 'write the cluster CIDR, e.g. "10.244.0.0/16"');
      } else if (v4.hasHostBits) {
        sink.error('network', 'has host bits set', this.network, `use the network address ${v4.canonical.toString()}`);
      } else if (this.subnetLen !== undefined && (this.subnetLen <= v4.prefix || this.subnetLen > 30)) {
        sink.error('subnetLen', `does not fit in network ${this.network}`, this.subnetLen, `use a length from ${v4.prefix + 1} to 30`);
      }
    } else if (!this.enableIPv6) {
      sink.error('enableIPv4', 'is false while IPv6 is off, which leaves no pod network', false, 'set enableIPv6 and ipv6Network');
    }
    if (this.enableIPv6) {
      const v6 = this.ipv6Network === undefined ? undefined : Cidr.tryParse(this.ipv6Network);
      if (!v6 || v6.family !== IpFamily.IPV6) {
        sink.error('ipv6Network', 'is not an IPv6 prefix', this.ipv6Network, 'write the IPv6 cluster CIDR, e.g. "fd00:10:244::/56"');
      } else if (v6.hasHostBits) {
        sink.error('ipv6Network', 'has host bits set', this.ipv6Network, `use the network address ${v6.canonical.toString()}`);
      }
    } else if (this.ipv6Network !== undefined) {
      sink.error('ipv6Network', 'is set while enableIPv6 is false, so flanneld ignores it', this.ipv6Network, 'set enableIPv6: true or drop ipv6Network');
    }
    this.backend.check(sink);
    return sink.problems;
  }

  private buildDaemonSet(ns: string): NodeAgentDaemonSet {
    const args = [
      ...(this.ipMasq ? ['--ip-masq'] : []),
      '--kube-subnet-mgr',
      ...this.iface.map((i) => `--iface=${i}`),
      ...this.ifaceRegex.map((r) => `--iface-regex=${r}`),
      '--healthz-port=8081',
    ];
    const ds = new NodeAgentDaemonSet(this, 'Resource', {
      name: 'kube-flannel-ds',
      namespace: ns,
      // Documentation/kube-flannel.yml selects on `app: flannel` only (the release asset adds
      // `k8s-app`); selectors are immutable, so the library keeps the Documentation one.
      selectorLabels: { app: 'flannel' },
      labels: { tier: 'node' },
      tolerations: [Toleration.exists({ effect: TaintEffect.NO_SCHEDULE })],
      // upstream pins linux through a required nodeAffinity (added below), not a nodeSelector
      nodeSelector: {},
      serviceAccountName: 'flannel',
      // upstream sets no updateStrategy (Kubernetes defaults to RollingUpdate)
      updateStrategy: UpdateStrategy.UNSET,
      cniBinVolumeName: 'cni-plugin',
      cniConfVolumeName: 'cni',
    });
    ds.addHostPathVolume('run', '/run/flannel');
    ds.addConfigMapVolume('flannel-cfg', 'kube-flannel-cfg');
    ds.addHostPathVolume('xtables-lock', '/run/xtables.lock', HostPathType.FILE_OR_CREATE);
    ds.addInitContainer({
      name: 'install-cni-plugin',
      image: this.cniPluginImage,
      command: ['cp'],
      args: ['-f', '/flannel', '/opt/cni/bin/flannel'],
      mounts: [{ volume: ds.cniBinVolume, mountPath: '/opt/cni/bin' }],
    });
    ds.addInitContainer({
      name: 'install-cni',
      image: this.image,
      command: ['/opt/bin/install-conf'],
      args: ['/etc/kube-flannel/cni-conf.json', `/etc/cni/net.d/${this.cniConfigFile}`],
      mounts: [
        { volume: ds.cniConfVolume, mountPath: '/etc/cni/net.d' },
        { volume: 'flannel-cfg', mountPath: '/etc/kube-flannel/' },
      ],
    });
    ds.addContainer({
      name: 'kube-flannel',
      image: this.image,
      command: ['/opt/bin/flanneld'],
      args,
      ports: [{ name: 'healthz', containerPort: 8081, protocol: 'TCP' }],
      livenessProbe: { httpGet: { path: '/healthz', port: k8s.IntOrString.fromString('healthz') }, initialDelaySeconds: 10, periodSeconds: 30 },
      readinessProbe: { httpGet: { path: '/readyz', port: k8s.IntOrString.fromString('healthz') }, initialDelaySeconds: 5, periodSeconds: 10 },
      resources: { requests: { cpu: '100m', memory: '50Mi' } },
      security: NodeAgentSecurity.capabilities(['NET_ADMIN', 'NET_RAW']),
      env: [
        EnvEntry.fieldRef('POD_NAME', 'metadata.name'),
        EnvEntry.fieldRef('POD_NAMESPACE', 'metadata.namespace'),
        EnvEntry.value('EVENT_QUEUE_DEPTH', '5000'),
        EnvEntry.value('CONT_WHEN_CACHE_NOT_READY', 'false'),
      ],
      mounts: [
        { volume: 'run', mountPath: '/run/flannel' },
        { volume: 'flannel-cfg', mountPath: '/etc/kube-flannel/' },
        { volume: 'xtables-lock', mountPath: '/run/xtables.lock' },
      ],
    });
    // upstream labels the DaemonSet object (not the pod) with k8s-app too
    ds.addJsonPatch(JsonPatch.add('/metadata/labels/k8s-app', 'flannel'));
    ds.addJsonPatch(JsonPatch.add('/spec/template/spec/affinity', {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] }],
        },
      },
    }));
    return ds;
  }
}

/** The rules of ClusterRole `flannel` (v0.28.9). */
export const FLANNEL_CLUSTER_ROLE_RULES: readonly k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
  { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch'] },
];
