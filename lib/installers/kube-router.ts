import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { IConstruct, Construct } from 'constructs';
import { IpAddress } from '../addressing/ip';
import { ProblemSink, reportProblems } from '../cni/problem';
import { ClusterNetwork, ClusterNetworkProvider, multusAmong, sameClusterConstructs } from './cluster-network';
import { ContainerImage } from './container-image';
import {
  EnvEntry, HostPathType, KUBE_SYSTEM, NodeAgentDaemonSet, NodeAgentSecurity, TaintEffect, Toleration, UpdateStrategy,
} from './node-agent';
import { assertArg, assertProps, pArray, pInstance, pNumber, pString, propsShape } from '../cni/props-check';
import { BOOL_PROP, IMAGE_PROP, OBJECT_PROP } from './installer-props';

/**
 * kube-router v2.11.1, `daemonset/kubeadm-kuberouter-all-features.yaml`: ConfigMap
 * `kube-router-cfg` (the conflist), DaemonSet `kube-router` (hostNetwork, hostPID, privileged),
 * ServiceAccount, ClusterRole and ClusterRoleBinding `kube-router`. The three feature switches and
 * the BGP/overlay flags are typed and rendered as arguments.
 */

/**
 * kube-router's image. Upstream uses `docker.io/cloudnativelabs/kube-router` with no tag (latest)
 * and `imagePullPolicy: Always`; the library pins the release the manifest comes from.
 */
export const KUBE_ROUTER_IMAGE = ContainerImage.of('docker.io/cloudnativelabs/kube-router:v2.11.1');

/** `--overlay-type`. */
export enum KubeRouterOverlayType {
  /** IP-in-IP only between nodes of different subnets (default). */
  SUBNET = 'subnet',
  /** Always encapsulate. */
  FULL = 'full',
}

/** `--overlay-encap`. */
export enum KubeRouterOverlayEncap {
  IPIP = 'ipip',
  FOU = 'fou',
}

/** The overlay options. */
export interface KubeRouterOverlay {
  /** `--enable-overlay`. @default true */
  readonly enabled?: boolean;
  /** `--overlay-type`. @default KubeRouterOverlayType.SUBNET */
  readonly type?: KubeRouterOverlayType;
  /** `--overlay-encap`. @default KubeRouterOverlayEncap.IPIP */
  readonly encap?: KubeRouterOverlayEncap;
  /** `--overlay-encap-port` (FoU only). @default 5555 */
  readonly encapPort?: number;
}

/** An external BGP peer (`--peer-router-ips`, `--peer-router-asns`, ...). */
export interface KubeRouterPeer {
  /** The peer's address. */
  readonly ip: string;
  /** The peer's AS number. */
  readonly asn: number;
  /**
   * The MD5 password, base64-encoded as kube-router expects (`--peer-router-passwords`).
   * @default - none
   */
  readonly password?: string;
}

/** Where kube-router reads its kubeconfig. */
export class KubeRouterKubeconfig {
  /**
   * kubeadm's `kube-proxy` ConfigMap, key `kubeconfig.conf` (what the upstream manifest mounts; a
   * kubeadm-specific coupling).
   */
  public static kubeadmKubeProxy(): KubeRouterKubeconfig {
    return new KubeRouterKubeconfig({ name: 'kubeconfig', configMap: { name: 'kube-proxy', items: [{ key: 'kubeconfig.conf', path: 'kubeconfig' }] } });
  }
  /** A kubeconfig file on the node, in directory `dir` as file `kubeconfig`. */
  public static hostPath(dir: string): KubeRouterKubeconfig {
    assertArg(pString({ pattern: /^\//, patternText: 'an absolute path' }), dir, 'dir', 'KubeRouterKubeconfig.hostPath', 'give the absolute directory on the node');
    return new KubeRouterKubeconfig({ name: 'kubeconfig', hostPath: { path: dir } });
  }
  /** The pod's ServiceAccount token (no `--kubeconfig`). */
  public static inCluster(): KubeRouterKubeconfig {
    return new KubeRouterKubeconfig(undefined);
  }
  private constructor(public readonly volume: k8s.Volume | undefined) {}
}

/** Properties of {@link KubeRouter}. */
export interface KubeRouterProps {
  /** `--run-router`: pod routing with BGP. @default true */
  readonly runRouter?: boolean;
  /** `--run-firewall`: NetworkPolicy enforcement. @default true */
  readonly runFirewall?: boolean;
  /** `--run-service-proxy`: the IPVS service proxy (replaces kube-proxy). @default true */
  readonly runServiceProxy?: boolean;
  /** `--bgp-graceful-restart`. @default true */
  readonly bgpGracefulRestart?: boolean;
  /** Overlay flags. @default - kube-router's defaults (enabled, subnet, ipip); no flag written */
  readonly overlay?: KubeRouterOverlay;
  /** `--cluster-asn`. @default - kube-router's implicit 64512; no flag written */
  readonly clusterAsn?: number;
  /** External BGP peers. @default - none */
  readonly peers?: readonly KubeRouterPeer[];
  /** `--auto-mtu`. @default true (kube-router's default; no flag written) */
  readonly autoMtu?: boolean;
  /** Where the kubeconfig comes from. @default KubeRouterKubeconfig.kubeadmKubeProxy() */
  readonly kubeconfig?: KubeRouterKubeconfig;
  /**
   * Whether the install script removes every other `*.conf` in `/etc/cni/net.d` on first install
   * (upstream does). That deletes Multus's `00-multus.conf`.
   * @default - true, or false when the cluster has a Multus construct
   */
  readonly removeOtherConfFiles?: boolean;
  /** The image (init container and agent). @default KUBE_ROUTER_IMAGE */
  readonly image?: ContainerImage;
}

/** The shape of {@link KubeRouterProps} (runtime checks for callers without a type checker). */
const KUBE_ROUTER_PROPS_SHAPE = propsShape('KubeRouterProps', {
  runRouter: BOOL_PROP,
  runFirewall: BOOL_PROP,
  runServiceProxy: BOOL_PROP,
  bgpGracefulRestart: BOOL_PROP,
  overlay: OBJECT_PROP,
  // the AS number range is checked by the installer itself
  clusterAsn: pNumber(),
  peers: pArray(OBJECT_PROP),
  autoMtu: BOOL_PROP,
  kubeconfig: pInstance([KubeRouterKubeconfig], 'a KubeRouterKubeconfig', 'use KubeRouterKubeconfig.inCluster() or another factory'),
  removeOtherConfFiles: BOOL_PROP,
  image: IMAGE_PROP,
});

/** kube-router, as the kubeadm all-features manifest v2.11.1 installs it. */
export class KubeRouter extends ClusterNetwork {
  public readonly provider = ClusterNetworkProvider.KUBE_ROUTER;
  public readonly cniConfigFile = '10-kuberouter.conflist';
  public readonly readinessIndicatorFile = '/etc/cni/net.d/10-kuberouter.conflist';
  public readonly providedCniTypes: readonly string[] = ['bridge', 'portmap', 'host-local', 'loopback'];

  public readonly runRouter: boolean;
  public readonly runFirewall: boolean;
  public readonly runServiceProxy: boolean;
  public readonly bgpGracefulRestart: boolean;
  public readonly overlay?: KubeRouterOverlay;
  public readonly clusterAsn?: number;
  public readonly peers: readonly KubeRouterPeer[];
  public readonly autoMtu: boolean;
  public readonly kubeconfig: KubeRouterKubeconfig;
  public readonly image: ContainerImage;
  public readonly daemonSet: NodeAgentDaemonSet;
  private readonly removeOtherConfFilesProp?: boolean;

  constructor(scope: Construct, id: string, props: KubeRouterProps = {}) {
    super(scope, id);
    assertProps(KUBE_ROUTER_PROPS_SHAPE, props, `KubeRouter ${this.node.path}`);
    this.runRouter = props.runRouter ?? true;
    this.runFirewall = props.runFirewall ?? true;
    this.runServiceProxy = props.runServiceProxy ?? true;
    this.bgpGracefulRestart = props.bgpGracefulRestart ?? true;
    this.overlay = props.overlay;
    this.clusterAsn = props.clusterAsn;
    this.peers = [...(props.peers ?? [])];
    this.autoMtu = props.autoMtu ?? true;
    this.kubeconfig = props.kubeconfig ?? KubeRouterKubeconfig.kubeadmKubeProxy();
    this.image = props.image ?? KUBE_ROUTER_IMAGE;
    this.removeOtherConfFilesProp = props.removeOtherConfFiles;
    reportProblems(this.propProblems(), `KubeRouter ${this.node.path}`);

    const labels = { 'tier': 'node', 'k8s-app': 'kube-router' };
    new k8s.KubeConfigMap(this, 'ConfigMap', {
      metadata: { name: 'kube-router-cfg', namespace: KUBE_SYSTEM, labels },
      data: { 'cni-conf.json': JSON.stringify(this.cniConfig(), null, 2) + '\n' },
    });
    this.daemonSet = this.buildDaemonSet();
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: 'kube-router', namespace: KUBE_SYSTEM } });
    new k8s.KubeClusterRole(this, 'ClusterRole', {
      // upstream also writes `namespace: kube-system` on this cluster-scoped object; it means
      // nothing and is dropped
      metadata: { name: 'kube-router' },
      rules: KUBE_ROUTER_CLUSTER_ROLE_RULES.map((r) => ({ ...r })),
    });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: 'kube-router' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kube-router' },
      subjects: [{ kind: 'ServiceAccount', name: 'kube-router', namespace: KUBE_SYSTEM }],
    });
  }

  /**
   * Whether the install script removes other `*.conf` files: the prop, else false when the
   * cluster has Multus, else true (upstream). Resolved at synth time.
   */
  public get removeOtherConfFiles(): boolean {
    return this.removeOtherConfFilesProp ?? multusAmong(this.peerConstructs()).length === 0;
  }

  /** The conflist kube-router patches at start (it adds the podCIDR ranges and the MTU). */
  public cniConfig(): Record<string, unknown> {
    return {
      cniVersion: '0.3.0',
      name: 'mynet',
      plugins: [
        { name: 'kubernetes', type: 'bridge', bridge: 'kube-bridge', isDefaultGateway: true, hairpinMode: true, ipam: { type: 'host-local' } },
      ],
    };
  }

  /** The agent's arguments. */
  public args(): string[] {
    const args = [
      `--run-router=${this.runRouter}`,
      `--run-firewall=${this.runFirewall}`,
      `--run-service-proxy=${this.runServiceProxy}`,
      `--bgp-graceful-restart=${this.bgpGracefulRestart}`,
    ];
    if (this.kubeconfig.volume) args.push('--kubeconfig=/var/lib/kube-router/kubeconfig');
    const o = this.overlay;
    if (o?.enabled !== undefined) args.push(`--enable-overlay=${o.enabled}`);
    if (o?.type !== undefined) args.push(`--overlay-type=${o.type}`);
    if (o?.encap !== undefined) args.push(`--overlay-encap=${o.encap}`);
    if (o?.encapPort !== undefined) args.push(`--overlay-encap-port=${o.encapPort}`);
    if (this.clusterAsn !== undefined) args.push(`--cluster-asn=${this.clusterAsn}`);
    if (this.peers.length > 0) {
      args.push(`--peer-router-ips=${this.peers.map((p) => p.ip).join(',')}`);
      args.push(`--peer-router-asns=${this.peers.map((p) => p.asn).join(',')}`);
      if (this.peers.some((p) => p.password !== undefined)) {
        args.push(`--peer-router-passwords=${this.peers.map((p) => p.password ?? '').join(',')}`);
      }
    }
    if (!this.autoMtu) args.push('--auto-mtu=false');
    return args;
  }

  protected checkCoexistence(sink: ProblemSink, peers: IConstruct[]): void {
    const multus = multusAmong(peers);
    if (multus.length > 0 && this.removeOtherConfFilesProp === true) {
      sink.error('removeOtherConfFiles', `deletes every *.conf in /etc/cni/net.d on first install, including 00-multus.conf of ${multus[0].construct.node.path}`,
        true, 'leave removeOtherConfFiles unset or set it to false when Multus is installed');
    }
  }

  private peerConstructs(): IConstruct[] {
    return sameClusterConstructs(this);
  }

  private installScript(): string {
    const remove = this.removeOtherConfFiles
      ? 'if [ -f /etc/cni/net.d/*.conf ]; then rm -f /etc/cni/net.d/*.conf; fi; '
      : '';
    return 'set -e -x; '
      + `if [ ! -f /etc/cni/net.d/${this.cniConfigFile} ]; then `
      + remove
      + 'TMP=/etc/cni/net.d/.tmp-kuberouter-cfg; '
      + 'cp /etc/kube-router/cni-conf.json ${TMP}; '
      + `mv \${TMP} /etc/cni/net.d/${this.cniConfigFile}; `
      + 'fi; '
      + 'if [ -x /usr/local/bin/cni-install ]; then /usr/local/bin/cni-install; fi;';
  }

  private buildDaemonSet(): NodeAgentDaemonSet {
    const ds = new NodeAgentDaemonSet(this, 'Resource', {
      name: 'kube-router',
      selectorLabels: { 'k8s-app': 'kube-router', 'tier': 'node' },
      hostPid: true,
      tolerations: [
        Toleration.exists({ effect: TaintEffect.NO_SCHEDULE }),
        Toleration.exists({ key: 'CriticalAddonsOnly' }),
        Toleration.exists({ effect: TaintEffect.NO_EXECUTE }),
      ],
      // upstream has no nodeSelector and no updateStrategy
      nodeSelector: {},
      updateStrategy: UpdateStrategy.UNSET,
      serviceAccountName: 'kube-router',
      cniConfVolumeName: 'cni-conf-dir',
    });
    ds.addHostPathVolume('lib-modules', '/lib/modules');
    ds.addConfigMapVolume('kube-router-cfg', 'kube-router-cfg');
    if (this.kubeconfig.volume) ds.addVolume(this.kubeconfig.volume);
    ds.addHostPathVolume('xtables-lock', '/run/xtables.lock', HostPathType.FILE_OR_CREATE);
    ds.addHostPathVolume('host-opt', '/opt');
    ds.addInitContainer({
      name: 'install-cni',
      image: this.image,
      command: ['/bin/sh', '-c', Lazy.any({ produce: () => this.installScript() }) as unknown as string],
      mounts: [
        { volume: ds.cniConfVolume, mountPath: '/etc/cni/net.d' },
        { volume: 'kube-router-cfg', mountPath: '/etc/kube-router' },
        { volume: 'host-opt', mountPath: '/opt' },
      ],
    });
    ds.addContainer({
      name: 'kube-router',
      image: this.image,
      args: this.args(),
      env: [
        EnvEntry.fieldRef('NODE_NAME', 'spec.nodeName'),
        EnvEntry.fieldRef('POD_NAME', 'metadata.name'),
        EnvEntry.value('KUBE_ROUTER_CNI_CONF_FILE', `/etc/cni/net.d/${this.cniConfigFile}`),
      ],
      livenessProbe: { httpGet: { path: '/healthz', port: k8s.IntOrString.fromNumber(20244) }, initialDelaySeconds: 10, periodSeconds: 3 },
      resources: { requests: { cpu: '250m', memory: '250Mi' } },
      security: NodeAgentSecurity.privileged(),
      mounts: [
        { volume: 'lib-modules', mountPath: '/lib/modules', readOnly: true },
        { volume: ds.cniConfVolume, mountPath: '/etc/cni/net.d' },
        ...(this.kubeconfig.volume ? [{ volume: 'kubeconfig', mountPath: '/var/lib/kube-router', readOnly: true }] : []),
        { volume: 'xtables-lock', mountPath: '/run/xtables.lock', readOnly: false },
      ],
    });
    return ds;
  }

  private propProblems() {
    const sink = new ProblemSink();
    const asn = (field: string, v: number) => {
      if (!Number.isInteger(v) || v < 1 || v > 4294967295) sink.error(field, 'is not an AS number', v, 'use an integer from 1 to 4294967295, e.g. 64512');
    };
    if (this.clusterAsn !== undefined) asn('clusterAsn', this.clusterAsn);
    this.peers.forEach((p, i) => {
      if (!IpAddress.tryParse(p.ip)) sink.error(`peers[${i}].ip`, 'is not an IP address', p.ip, 'write the peer router address, e.g. "192.0.2.1"');
      asn(`peers[${i}].asn`, p.asn);
    });
    const port = this.overlay?.encapPort;
    if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
      sink.error('overlay.encapPort', 'is not a port number', port, 'use an integer from 1 to 65535');
    }
    if (port !== undefined && this.overlay?.encap !== KubeRouterOverlayEncap.FOU) {
      sink.error('overlay.encapPort', 'is only read with the fou encapsulation', port, 'set overlay.encap to KubeRouterOverlayEncap.FOU or drop encapPort');
    }
    if (!this.runRouter && !this.runFirewall && !this.runServiceProxy) {
      sink.error('runRouter', 'is false, as are runFirewall and runServiceProxy, so kube-router would do nothing', false, 'turn on at least one of the three');
    }
    return sink.problems;
  }
}

/** The rules of ClusterRole `kube-router` (v2.11.1). */
export const KUBE_ROUTER_CLUSTER_ROLE_RULES: readonly k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['namespaces', 'pods', 'services', 'nodes', 'endpoints'], verbs: ['list', 'get', 'watch'] },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['list', 'get', 'watch'] },
  { apiGroups: ['extensions'], resources: ['networkpolicies'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
  { apiGroups: [''], resources: ['services/status'], verbs: ['update'] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
];
