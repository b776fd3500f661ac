import { ApiObject, JsonPatch, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { IConstruct, Construct } from 'constructs';
import { Cidr, IpFamily } from '../addressing/ip';
import { ProblemSink, reportProblems } from '../cni/problem';
import { ClusterNetwork, ClusterNetworkProvider, multusAmong, sameClusterConstructs } from './cluster-network';
import { ContainerImage } from './container-image';
import {
  EnvEntry, HostPathType, KUBE_SYSTEM, MountPropagation, NodeAgentDaemonSet, NodeAgentSecurity, PriorityClass, UpdateStrategy,
} from './node-agent';
import { NodeAgentIdentity, RbacRule } from './node-agent-identity';
import { assertProps, pEnum, pInstance, pInt, pString, propsShape } from '../cni/props-check';
import { BOOL_PROP, COUNT_PROP, IMAGE_PROP, MTU_PROP, OBJECT_PROP, PORT_PROP, STRING_LIST_PROP, STRING_PROP } from './installer-props';

/**
 * Cilium 1.19.5: the Helm chart's default install (`helm template cilium cilium-1.19.5.tgz
 * --namespace kube-system`, 25 objects) written as constructs, with the main values typed. Cilium
 * publishes no static manifest; this reproduces the rendered defaults, not the chart's templates.
 *
 * Intended differences from the chart render:
 *  - Secrets `cilium-ca` and `hubble-server-certs`: the chart generates a CA and a Hubble server
 *    certificate with random keys on every render. The library never embeds generated keys (they
 *    would land in git and differ run to run). By default it emits no Secret: the agent's
 *    `hubble-tls` volume is optional, so the agent starts, and the certificates come from outside
 *    (cert-manager, `cilium certgen`, or the chart's certgen CronJob). With
 *    `CiliumTls.fromPem(...)` the two Secrets are rendered with the PEM data you provide.
 *  - AppArmor: the chart renders `securityContext.appArmorProfile: Unconfined` only for
 *    Kubernetes >= 1.30 (the render used 1.33); for 1.27 it writes the per-container
 *    `container.apparmor.security.beta.kubernetes.io/<container>: unconfined` pod annotations,
 *    which is what the library writes.
 *  - `cni.exclusive` defaults to false (instead of true) when the cluster has a Multus construct,
 *    because an exclusive agent renames Multus's `00-multus.conf` to `*.cilium_bak`.
 *  - CRDs: none, as in the chart; the operator creates them at start.
 */

/** The images of chart 1.19.5, with the chart's digests. */
export const CILIUM_IMAGE = ContainerImage.of('quay.io/cilium/cilium:v1.19.5@sha256:20fbbc14ac20b55a292c0dcda5571bf31cde30a7dbc68c29db3e709390ab0732');
export const CILIUM_OPERATOR_IMAGE = ContainerImage.of('quay.io/cilium/operator-generic:v1.19.5@sha256:be848a365776e07d0c5a895eda7aec928ddc52a5a1fa2f432fd7a286609e1db4');
export const CILIUM_ENVOY_IMAGE = ContainerImage.of('quay.io/cilium/cilium-envoy:v1.36.8-1781157951-a7f42a3390781539911b5b9107881b35ecc4e752@sha256:326f872e19ce8aa45170efbf583b3f301586ba3feead14b864676d4baf3b45ed');

/** `routingMode`. */
export enum CiliumRoutingMode {
  /** Encapsulate pod traffic between nodes (default). */
  TUNNEL = 'tunnel',
  /** Route pod addresses natively; needs `ipv4NativeRoutingCidr`. */
  NATIVE = 'native',
}

/** `tunnelProtocol`. */
export enum CiliumTunnelProtocol {
  VXLAN = 'vxlan',
  GENEVE = 'geneve',
}

/** `ipam.mode`. */
export enum CiliumIpamMode {
  /** The operator hands out per-node blocks from `clusterPoolIPv4PodCIDRList` (default). */
  CLUSTER_POOL = 'cluster-pool',
  /** Use `node.spec.podCIDR` (kube-controller-manager `--allocate-node-cidrs`). */
  KUBERNETES = 'kubernetes',
  /** CiliumPodIPPool resources. */
  MULTI_POOL = 'multi-pool',
}

/** `encryption.type`. */
export enum CiliumEncryptionType {
  WIREGUARD = 'wireguard',
  /** Needs Secret `cilium-ipsec-keys` (key `keys`) in kube-system. */
  IPSEC = 'ipsec',
}

/** Transparent encryption. */
export interface CiliumEncryption {
  /** The mechanism. */
  readonly type: CiliumEncryptionType;
  /** Also encrypt node-to-node traffic (`encryption.nodeEncryption`). @default false */
  readonly nodeEncryption?: boolean;
}

/** `cni.chainingMode`. */
export enum CiliumChainingMode {
  NONE = 'none',
  GENERIC_VETH = 'generic-veth',
  PORTMAP = 'portmap',
  FLANNEL = 'flannel',
  AWS_CNI = 'aws-cni',
}

/** The `cni.*` values. */
export interface CiliumCniOptions {
  /**
   * `cni.exclusive`: the agent renames every other CNI config in `/etc/cni/net.d` to `*.cilium_bak`.
   * @default - true, or false when the cluster has a Multus construct
   */
  readonly exclusive?: boolean;
  /** `cni.chainingMode`. @default CiliumChainingMode.NONE */
  readonly chainingMode?: CiliumChainingMode;
}

const PEM = { type: pString(), required: 'give the PEM text' };
const PEM_SHAPE = propsShape('CiliumTls.fromPem options', { caCrt: PEM, caKey: PEM, serverCrt: PEM, serverKey: PEM });

/** Hubble's TLS material. */
export class CiliumTls {
  /** No Secrets rendered: certificates are created outside (cert-manager, `cilium certgen`, ...). */
  public static external(): CiliumTls {
    return new CiliumTls(undefined);
  }
  /** Render Secrets `cilium-ca` and `hubble-server-certs` from PEM text you provide. */
  public static fromPem(pem: { readonly caCrt: string; readonly caKey: string; readonly serverCrt: string; readonly serverKey: string }): CiliumTls {
    assertProps(PEM_SHAPE, pem, 'CiliumTls.fromPem');
    return new CiliumTls({ ...pem });
  }
  private constructor(public readonly pem: { readonly caCrt: string; readonly caKey: string; readonly serverCrt: string; readonly serverKey: string } | undefined) {}
}

/** Properties of {@link Cilium}: the main Helm values, typed. */
export interface CiliumProps {
  /** `routingMode`. @default CiliumRoutingMode.TUNNEL */
  readonly routingMode?: CiliumRoutingMode;
  /** `tunnelProtocol`. @default CiliumTunnelProtocol.VXLAN */
  readonly tunnelProtocol?: CiliumTunnelProtocol;
  /** `tunnelPort`. @default - 8472 for vxlan, 6081 for geneve; not written */
  readonly tunnelPort?: number;
  /** `ipv4NativeRoutingCIDR`: required with native routing. @default - none */
  readonly ipv4NativeRoutingCidr?: string;
  /** `autoDirectNodeRoutes`. @default false */
  readonly autoDirectNodeRoutes?: boolean;
  /** `ipam.mode`. @default CiliumIpamMode.CLUSTER_POOL */
  readonly ipamMode?: CiliumIpamMode;
  /** `ipam.operator.clusterPoolIPv4PodCIDRList`. @default ["10.0.0.0/8"] */
  readonly clusterPoolIPv4PodCIDRList?: readonly string[];
  /** `ipam.operator.clusterPoolIPv4MaskSize`. @default 24 */
  readonly clusterPoolIPv4MaskSize?: number;
  /** `ipv6.enabled`. @default false */
  readonly enableIPv6?: boolean;
  /** `ipam.operator.clusterPoolIPv6PodCIDRList`. @default ["fd00::/104"] */
  readonly clusterPoolIPv6PodCIDRList?: readonly string[];
  /** `ipam.operator.clusterPoolIPv6MaskSize`. @default 120 */
  readonly clusterPoolIPv6MaskSize?: number;
  /** `kubeProxyReplacement`: needs `k8sServiceHost` and `k8sServicePort`. @default false */
  readonly kubeProxyReplacement?: boolean;
  /** `k8sServiceHost`: the API server address the agent uses without kube-proxy. @default - none */
  readonly k8sServiceHost?: string;
  /** `k8sServicePort`. @default - none */
  readonly k8sServicePort?: number;
  /** `cni.*`. @default - exclusive (unless Multus), no chaining */
  readonly cni?: CiliumCniOptions;
  /** `encryption`. @default - no encryption */
  readonly encryption?: CiliumEncryption;
  /** `MTU`; 0 auto-detects. @default 0 */
  readonly mtu?: number;
  /** `cluster.name`. @default "default" */
  readonly clusterName?: string;
  /** `cluster.id` (0-255; 0 outside a cluster mesh). @default 0 */
  readonly clusterId?: number;
  /** `hubble.enabled`. @default true */
  readonly hubble?: boolean;
  /** Hubble's TLS material. @default CiliumTls.external() */
  readonly tls?: CiliumTls;
  /** `debug.enabled`. @default false */
  readonly debug?: boolean;
  /** `operator.replicas`. @default 2 */
  readonly operatorReplicas?: number;
  /** Agent image. @default CILIUM_IMAGE */
  readonly image?: ContainerImage;
  /** Operator image. @default CILIUM_OPERATOR_IMAGE */
  readonly operatorImage?: ContainerImage;
  /** Envoy image. @default CILIUM_ENVOY_IMAGE */
  readonly envoyImage?: ContainerImage;
}

/** The shape of {@link CiliumProps} (runtime checks for callers without a type checker). */
const CILIUM_PROPS_SHAPE = propsShape('CiliumProps', {
  routingMode: pEnum(CiliumRoutingMode, 'CiliumRoutingMode'),
  tunnelProtocol: pEnum(CiliumTunnelProtocol, 'CiliumTunnelProtocol'),
  tunnelPort: PORT_PROP,
  ipv4NativeRoutingCidr: STRING_PROP,
  autoDirectNodeRoutes: BOOL_PROP,
  ipamMode: pEnum(CiliumIpamMode, 'CiliumIpamMode'),
  clusterPoolIPv4PodCIDRList: STRING_LIST_PROP,
  clusterPoolIPv4MaskSize: pInt({ min: 0, max: 32 }),
  enableIPv6: BOOL_PROP,
  clusterPoolIPv6PodCIDRList: STRING_LIST_PROP,
  clusterPoolIPv6MaskSize: pInt({ min: 0, max: 128 }),
  kubeProxyReplacement: BOOL_PROP,
  k8sServiceHost: STRING_PROP,
  k8sServicePort: PORT_PROP,
  cni: OBJECT_PROP,
  encryption: OBJECT_PROP,
  mtu: MTU_PROP,
  clusterName: STRING_PROP,
  clusterId: pInt({ min: 0, max: 511 }),
  hubble: BOOL_PROP,
  tls: pInstance([CiliumTls], 'a CiliumTls', 'use CiliumTls.external() or CiliumTls.fromPem({...})'),
  debug: BOOL_PROP,
  operatorReplicas: COUNT_PROP,
  image: IMAGE_PROP,
  operatorImage: IMAGE_PROP,
  envoyImage: IMAGE_PROP,
});

/** Cilium, as chart 1.19.5 installs it with default values, in kube-system. */
export class Cilium extends ClusterNetwork {
  public readonly provider = ClusterNetworkProvider.CILIUM;
  public readonly cniConfigFile = '05-cilium.conflist';
  public readonly readinessIndicatorFile = '/etc/cni/net.d/05-cilium.conflist';
  public readonly providedCniTypes: readonly string[] = ['cilium-cni', 'loopback'];

  public readonly routingMode: CiliumRoutingMode;
  public readonly tunnelProtocol: CiliumTunnelProtocol;
  public readonly tunnelPort?: number;
  public readonly ipv4NativeRoutingCidr?: string;
  public readonly autoDirectNodeRoutes: boolean;
  public readonly ipamMode: CiliumIpamMode;
  public readonly clusterPoolIPv4PodCIDRList: readonly string[];
  public readonly clusterPoolIPv4MaskSize: number;
  public readonly enableIPv6: boolean;
  public readonly clusterPoolIPv6PodCIDRList: readonly string[];
  public readonly clusterPoolIPv6MaskSize: number;
  public readonly kubeProxyReplacement: boolean;
  public readonly k8sServiceHost?: string;
  public readonly k8sServicePort?: number;
  public readonly chainingMode: CiliumChainingMode;
  public readonly encryption?: CiliumEncryption;
  public readonly mtu: number;
  public readonly clusterName: string;
  public readonly clusterId: number;
  public readonly hubble: boolean;
  public readonly tls: CiliumTls;
  public readonly debug: boolean;
  public readonly operatorReplicas: number;
  public readonly image: ContainerImage;
  public readonly operatorImage: ContainerImage;
  public readonly envoyImage: ContainerImage;
  public readonly daemonSet: NodeAgentDaemonSet;
  public readonly envoyDaemonSet: NodeAgentDaemonSet;
  private readonly exclusiveProp?: boolean;

  constructor(scope: Construct, id: string, props: CiliumProps = {}) {
    super(scope, id);
    assertProps(CILIUM_PROPS_SHAPE, props, `Cilium ${this.node.path}`);
    this.routingMode = props.routingMode ?? CiliumRoutingMode.TUNNEL;
    this.tunnelProtocol = props.tunnelProtocol ?? CiliumTunnelProtocol.VXLAN;
    this.tunnelPort = props.tunnelPort;
    this.ipv4NativeRoutingCidr = props.ipv4NativeRoutingCidr;
    this.autoDirectNodeRoutes = props.autoDirectNodeRoutes ?? false;
    this.ipamMode = props.ipamMode ?? CiliumIpamMode.CLUSTER_POOL;
    this.clusterPoolIPv4PodCIDRList = [...(props.clusterPoolIPv4PodCIDRList ?? ['10.0.0.0/8'])];
    this.clusterPoolIPv4MaskSize = props.clusterPoolIPv4MaskSize ?? 24;
    this.enableIPv6 = props.enableIPv6 ?? false;
    this.clusterPoolIPv6PodCIDRList = [...(props.clusterPoolIPv6PodCIDRList ?? ['fd00::/104'])];
    this.clusterPoolIPv6MaskSize = props.clusterPoolIPv6MaskSize ?? 120;
    this.kubeProxyReplacement = props.kubeProxyReplacement ?? false;
    this.k8sServiceHost = props.k8sServiceHost;
    this.k8sServicePort = props.k8sServicePort;
    this.exclusiveProp = props.cni?.exclusive;
    this.chainingMode = props.cni?.chainingMode ?? CiliumChainingMode.NONE;
    this.encryption = props.encryption;
    this.mtu = props.mtu ?? 0;
    this.clusterName = props.clusterName ?? 'default';
    this.clusterId = props.clusterId ?? 0;
    this.hubble = props.hubble ?? true;
    this.tls = props.tls ?? CiliumTls.external();
    this.debug = props.debug ?? false;
    this.operatorReplicas = props.operatorReplicas ?? 2;
    this.image = props.image ?? CILIUM_IMAGE;
    this.operatorImage = props.operatorImage ?? CILIUM_OPERATOR_IMAGE;
    this.envoyImage = props.envoyImage ?? CILIUM_ENVOY_IMAGE;
    reportProblems(this.propProblems(), `Cilium ${this.node.path}`);

    const partOf = { 'app.kubernetes.io/part-of': 'cilium' };
    new k8s.KubeNamespace(this, 'SecretsNamespace', { metadata: { name: 'cilium-secrets', labels: partOf } });
    const agent = new NodeAgentIdentity(this, 'AgentIdentity', {
      name: 'cilium',
      clusterRules: CILIUM_RULES.map(copyRule),
      roles: [
        { name: 'cilium-config-agent', rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }] },
        { name: 'cilium-tlsinterception-secrets', namespace: 'cilium-secrets', rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }] },
      ],
    });
    new NodeAgentIdentity(this, 'EnvoyIdentity', { name: 'cilium-envoy' });
    const operator = new NodeAgentIdentity(this, 'OperatorIdentity', {
      name: 'cilium-operator',
      clusterRules: CILIUM_OPERATOR_RULES.map(copyRule),
      roles: [
        { name: 'cilium-operator-tlsinterception-secrets', namespace: 'cilium-secrets', rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['create', 'delete', 'update', 'patch'] }] },
        { name: 'cilium-operator-ztunnel', rules: [{ apiGroups: ['apps'], resources: ['daemonsets'], verbs: ['create', 'delete', 'get', 'list', 'watch'] }] },
      ],
    });
    // the chart labels its RBAC objects app.kubernetes.io/part-of: cilium (ServiceAccounts not)
    for (const o of [agent, operator]) {
      for (const c of o.node.findAll()) {
        // (ApiObject's instanceof accepts any ApiObject, so select by kind)
        if (ApiObject.isApiObject(c) && ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'].includes(c.kind)) {
          c.metadata.addLabel('app.kubernetes.io/part-of', 'cilium');
        }
      }
    }

    const pem = this.tls.pem;
    if (pem) {
      new k8s.KubeSecret(this, 'CaSecret', {
        metadata: { name: 'cilium-ca', namespace: KUBE_SYSTEM },
        stringData: { 'ca.crt': pem.caCrt, 'ca.key': pem.caKey },
      });
      new k8s.KubeSecret(this, 'HubbleServerSecret', {
        metadata: { name: 'hubble-server-certs', namespace: KUBE_SYSTEM },
        type: 'kubernetes.io/tls',
        stringData: { 'ca.crt': pem.caCrt, 'tls.crt': pem.serverCrt, 'tls.key': pem.serverKey },
      });
    }

    new k8s.KubeConfigMap(this, 'Config', {
      metadata: { name: 'cilium-config', namespace: KUBE_SYSTEM },
      data: Lazy.any({ produce: () => this.config() }) as unknown as Record<string, string>,
    });
    new k8s.KubeConfigMap(this, 'EnvoyConfig', {
      metadata: { name: 'cilium-envoy-config', namespace: KUBE_SYSTEM },
      data: { 'bootstrap-config.json': JSON.stringify(envoyBootstrap()) },
    });
    new k8s.KubeService(this, 'EnvoyService', {
      metadata: {
        name: 'cilium-envoy', namespace: KUBE_SYSTEM,
        annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9964' },
        labels: { 'k8s-app': 'cilium-envoy', 'app.kubernetes.io/name': 'cilium-envoy', ...partOf, 'io.cilium/app': 'proxy' },
      },
      spec: {
        clusterIp: 'None', type: 'ClusterIP', selector: { 'k8s-app': 'cilium-envoy' },
        ports: [{ name: 'envoy-metrics', port: 9964, protocol: 'TCP', targetPort: k8s.IntOrString.fromNumber(9964) }],
      },
    });
    if (this.hubble) {
      new k8s.KubeService(this, 'HubblePeerService', {
        metadata: { name: 'hubble-peer', namespace: KUBE_SYSTEM, labels: { 'k8s-app': 'cilium', ...partOf, 'app.kubernetes.io/name': 'hubble-peer' } },
        spec: {
          selector: { 'k8s-app': 'cilium' },
          ports: [{ name: 'peer-service', port: 443, protocol: 'TCP', targetPort: k8s.IntOrString.fromNumber(4244) }],
          internalTrafficPolicy: 'Local',
        },
      });
    }
    this.daemonSet = this.buildAgent();
    this.envoyDaemonSet = this.buildEnvoy();
    this.buildOperator();
  }

  /** `cni.exclusive`, resolved: the prop, else false when the cluster has Multus, else true. */
  public get cniExclusive(): boolean {
    return this.exclusiveProp ?? multusAmong(sameClusterConstructs(this)).length === 0;
  }

  /** The `cilium-config` data: the chart's defaults with the typed values applied. */
  public config(): Record<string, string> {
    const c: Record<string, string> = { ...CILIUM_CONFIG_DEFAULTS };
    c.debug = String(this.debug);
    c['enable-ipv6'] = String(this.enableIPv6);
    c['cluster-name'] = this.clusterName;
    c['cluster-id'] = String(this.clusterId);
    c['routing-mode'] = this.routingMode;
    if (this.routingMode === CiliumRoutingMode.TUNNEL) {
      c['tunnel-protocol'] = this.tunnelProtocol;
      if (this.tunnelPort !== undefined) c['tunnel-port'] = String(this.tunnelPort);
    } else {
      delete c['tunnel-protocol'];
      delete c['tunnel-source-port-range'];
      c['ipv4-native-routing-cidr'] = this.ipv4NativeRoutingCidr ?? '';
    }
    c['auto-direct-node-routes'] = String(this.autoDirectNodeRoutes);
    c['kube-proxy-replacement'] = String(this.kubeProxyReplacement);
    c.ipam = this.ipamMode;
    if (this.ipamMode === CiliumIpamMode.CLUSTER_POOL) {
      c['cluster-pool-ipv4-cidr'] = this.clusterPoolIPv4PodCIDRList.join(' ');
      c['cluster-pool-ipv4-mask-size'] = String(this.clusterPoolIPv4MaskSize);
      if (this.enableIPv6) {
        c['cluster-pool-ipv6-cidr'] = this.clusterPoolIPv6PodCIDRList.join(' ');
        c['cluster-pool-ipv6-mask-size'] = String(this.clusterPoolIPv6MaskSize);
      }
    } else {
      delete c['cluster-pool-ipv4-cidr'];
      delete c['cluster-pool-ipv4-mask-size'];
    }
    c['cni-exclusive'] = String(this.cniExclusive);
    if (this.chainingMode !== CiliumChainingMode.NONE) c['cni-chaining-mode'] = this.chainingMode;
    if (this.mtu !== 0) c.mtu = String(this.mtu);
    if (this.encryption?.type === CiliumEncryptionType.WIREGUARD) c['enable-wireguard'] = 'true';
    if (this.encryption?.type === CiliumEncryptionType.IPSEC) {
      c['enable-ipsec'] = 'true';
      c['ipsec-key-file'] = '/etc/ipsec/keys';
    }
    if (this.encryption?.nodeEncryption) c['encrypt-node'] = 'true';
    if (!this.hubble) {
      for (const k of Object.keys(c)) if (k.startsWith('hubble-')) delete c[k];
      c['enable-hubble'] = 'false';
    }
    const out: Record<string, string> = {};
    for (const k of Object.keys(c).sort()) out[k] = c[k];
    return out;
  }

  protected checkCoexistence(sink: ProblemSink, peers: IConstruct[]): void {
    const multus = multusAmong(peers);
    if (multus.length > 0 && this.exclusiveProp === true) {
      sink.error('cni.exclusive', `is true, so the agent renames ${multus[0].construct.node.path}'s 00-multus.conf to 00-multus.conf.cilium_bak`, true,
        'set cni.exclusive to false (or leave it unset: it defaults to false when Multus is present)');
    }
  }

  private apiServerEnv(): k8s.EnvVar[] {
    if (this.k8sServiceHost === undefined) return [];
    return [EnvEntry.value('KUBERNETES_SERVICE_HOST', this.k8sServiceHost), EnvEntry.value('KUBERNETES_SERVICE_PORT', String(this.k8sServicePort))];
  }

  private buildAgent(): NodeAgentDaemonSet {
    const spc = { level: 's0', type: 'spc_t' };
    const caps = (add: string[]) => NodeAgentSecurity.custom({ seLinuxOptions: spc, capabilities: { add, drop: ['ALL'] } });
    const unconfined = ['cilium-agent', 'clean-cilium-state', 'mount-cgroup', 'apply-sysctl-overwrites'];
    const ds = new NodeAgentDaemonSet(this, 'Resource', {
      name: 'cilium',
      selectorLabels: { 'k8s-app': 'cilium' },
      labels: { 'app.kubernetes.io/part-of': 'cilium', 'app.kubernetes.io/name': 'cilium-agent' },
      podAnnotations: {
        'kubectl.kubernetes.io/default-container': 'cilium-agent',
        ...Object.fromEntries(unconfined.map((n) => [`container.apparmor.security.beta.kubernetes.io/${n}`, 'unconfined'])),
      },
      serviceAccountName: 'cilium',
      automountServiceAccountToken: true,
      terminationGracePeriodSeconds: 1,
      restartPolicy: 'Always',
      updateStrategy: UpdateStrategy.rollingUpdate({ maxUnavailable: 2 }),
      cniBinVolumeName: 'cni-path',
      cniConfVolumeName: 'etc-cni-netd',
    });
    ds.addVolume({ name: 'tmp', emptyDir: {} });
    ds.addHostPathVolume('cilium-run', '/var/run/cilium', HostPathType.DIRECTORY_OR_CREATE);
    ds.addHostPathVolume('cilium-netns', '/var/run/netns', HostPathType.DIRECTORY_OR_CREATE);
    ds.addHostPathVolume('bpf-maps', '/sys/fs/bpf', HostPathType.DIRECTORY_OR_CREATE);
    ds.addHostPathVolume('hostproc', '/proc', HostPathType.DIRECTORY);
    ds.addHostPathVolume('cilium-cgroup', '/run/cilium/cgroupv2', HostPathType.DIRECTORY_OR_CREATE);
    ds.addHostPathVolume('cni-path', '/opt/cni/bin', HostPathType.DIRECTORY_OR_CREATE);
    ds.addHostPathVolume('etc-cni-netd', '/etc/cni/net.d', HostPathType.DIRECTORY_OR_CREATE);
    ds.addHostPathVolume('lib-modules', '/lib/modules');
    ds.addHostPathVolume('xtables-lock', '/run/xtables.lock', HostPathType.FILE_OR_CREATE);
    ds.addHostPathVolume('envoy-sockets', '/var/run/cilium/envoy/sockets', HostPathType.DIRECTORY_OR_CREATE);
    ds.addVolume({
      name: 'clustermesh-secrets',
      projected: {
        defaultMode: 0o400,
        sources: [
          { secret: { name: 'cilium-clustermesh', optional: true } },
          { secret: { name: 'clustermesh-apiserver-remote-cert', optional: true, items: tlsItems('common-etcd-client') } },
          { secret: { name: 'clustermesh-apiserver-local-cert', optional: true, items: tlsItems('local-etcd-client') } },
        ],
      },
    });
    ds.addHostPathVolume('host-proc-sys-net', '/proc/sys/net', HostPathType.DIRECTORY);
    ds.addHostPathVolume('host-proc-sys-kernel', '/proc/sys/kernel', HostPathType.DIRECTORY);
    ds.addVolume({
      name: 'hubble-tls',
      projected: {
        defaultMode: 0o400,
        sources: [{
          secret: {
            name: 'hubble-server-certs', optional: true,
            items: [{ key: 'tls.crt', path: 'server.crt' }, { key: 'tls.key', path: 'server.key' }, { key: 'ca.crt', path: 'client-ca.crt' }],
          },
        }],
      },
    });
    if (this.encryption?.type === CiliumEncryptionType.IPSEC) ds.addSecretVolume('cilium-ipsec-secrets', 'cilium-ipsec-keys');

    const nodeEnv = [EnvEntry.fieldRef('K8S_NODE_NAME', 'spec.nodeName'), EnvEntry.fieldRef('CILIUM_K8S_NAMESPACE', 'metadata.namespace')];
    const fallback = 'FallbackToLogsOnError' as const;
    const health = (headers: k8s.HttpHeader[]) => ({ host: '127.0.0.1', path: '/healthz', port: k8s.IntOrString.fromString('health'), scheme: 'HTTP', httpHeaders: headers });
    const brief = { name: 'brief', value: 'true' };
    ds.addContainer({
      name: 'cilium-agent',
      image: this.image,
      command: ['cilium-agent'],
      args: ['--config-dir=/tmp/cilium/config-map'],
      startupProbe: { httpGet: health([brief]), failureThreshold: 300, periodSeconds: 2, successThreshold: 1, initialDelaySeconds: 5 },
      livenessProbe: { httpGet: health([brief, { name: 'require-k8s-connectivity', value: 'false' }]), periodSeconds: 30, successThreshold: 1, failureThreshold: 10, timeoutSeconds: 5 },
      readinessProbe: { httpGet: health([brief]), periodSeconds: 30, successThreshold: 1, failureThreshold: 3, timeoutSeconds: 5 },
      env: [
        ...nodeEnv,
        EnvEntry.value('CILIUM_CLUSTERMESH_CONFIG', '/var/lib/cilium/clustermesh/'),
        EnvEntry.resourceField('GOMEMLIMIT', 'limits.memory', undefined, '1'),
        EnvEntry.value('KUBE_CLIENT_BACKOFF_BASE', '1'),
        EnvEntry.value('KUBE_CLIENT_BACKOFF_DURATION', '120'),
        ...this.apiServerEnv(),
      ],
      lifecycle: {
        postStart: { exec: { command: ['bash', '-c', AWS_SNAT_CLEANUP] } },
        preStop: { exec: { command: ['/cni-uninstall.sh'] } },
      },
      ports: [
        { name: 'health', containerPort: 9879, hostPort: 9879, protocol: 'TCP' },
        ...(this.hubble ? [{ name: 'peer-service', containerPort: 4244, hostPort: 4244, protocol: 'TCP' }] : []),
      ],
      security: caps(['CHOWN', 'KILL', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'SYS_MODULE', 'SYS_ADMIN', 'SYS_RESOURCE', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID', 'SYSLOG']),
      terminationMessagePolicy: fallback,
      mounts: [
        { volume: 'envoy-sockets', mountPath: '/var/run/cilium/envoy/sockets', readOnly: false },
        { volume: 'host-proc-sys-net', mountPath: '/host/proc/sys/net' },
        { volume: 'host-proc-sys-kernel', mountPath: '/host/proc/sys/kernel' },
        { volume: 'bpf-maps', mountPath: '/sys/fs/bpf', propagation: MountPropagation.HOST_TO_CONTAINER },
        { volume: 'cilium-run', mountPath: '/var/run/cilium' },
        { volume: 'cilium-netns', mountPath: '/var/run/cilium/netns', propagation: MountPropagation.HOST_TO_CONTAINER },
        { volume: 'etc-cni-netd', mountPath: '/host/etc/cni/net.d' },
        { volume: 'clustermesh-secrets', mountPath: '/var/lib/cilium/clustermesh', readOnly: true },
        { volume: 'lib-modules', mountPath: '/lib/modules', readOnly: true },
        { volume: 'xtables-lock', mountPath: '/run/xtables.lock' },
        ...(this.encryption?.type === CiliumEncryptionType.IPSEC ? [{ volume: 'cilium-ipsec-secrets', mountPath: '/etc/ipsec', readOnly: true }] : []),
        { volume: 'hubble-tls', mountPath: '/var/lib/cilium/tls/hubble', readOnly: true },
        { volume: 'tmp', mountPath: '/tmp' },
      ],
    });
    ds.addInitContainer({
      name: 'config', image: this.image, command: ['cilium-dbg', 'build-config'], env: [...nodeEnv, ...this.apiServerEnv()],
      mounts: [{ volume: 'tmp', mountPath: '/tmp' }], terminationMessagePolicy: fallback,
      security: NodeAgentSecurity.custom({ capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] } }),
    });
    const hostMounts = [{ volume: 'hostproc', mountPath: '/hostproc' }, { volume: 'cni-path', mountPath: '/hostbin' }];
    ds.addInitContainer({
      name: 'mount-cgroup', image: this.image,
      env: [EnvEntry.value('CGROUP_ROOT', '/run/cilium/cgroupv2'), EnvEntry.value('BIN_PATH', '/opt/cni/bin')],
      command: ['bash', '-ec', 'cp /usr/bin/cilium-mount /hostbin/cilium-mount;\nnsenter --cgroup=/hostproc/1/ns/cgroup --mount=/hostproc/1/ns/mnt "${BIN_PATH}/cilium-mount" $CGROUP_ROOT;\nrm /hostbin/cilium-mount\n'],
      mounts: hostMounts, terminationMessagePolicy: fallback, security: caps(['SYS_ADMIN', 'SYS_CHROOT', 'SYS_PTRACE']),
    });
    ds.addInitContainer({
      name: 'apply-sysctl-overwrites', image: this.image,
      env: [EnvEntry.value('BIN_PATH', '/opt/cni/bin')],
      command: ['bash', '-ec', 'cp /usr/bin/cilium-sysctlfix /hostbin/cilium-sysctlfix;\nnsenter --mount=/hostproc/1/ns/mnt "${BIN_PATH}/cilium-sysctlfix";\nrm /hostbin/cilium-sysctlfix\n'],
      mounts: hostMounts, terminationMessagePolicy: fallback, security: caps(['SYS_ADMIN', 'SYS_CHROOT', 'SYS_PTRACE']),
    });
    ds.addInitContainer({
      name: 'mount-bpf-fs', image: this.image,
      args: ['mount | grep "/sys/fs/bpf type bpf" || mount -t bpf bpf /sys/fs/bpf'],
      command: ['/bin/bash', '-c', '--'],
      terminationMessagePolicy: fallback,
      // the one privileged container: Bidirectional propagation needs it
      security: NodeAgentSecurity.privileged(),
      mounts: [{ volume: 'bpf-maps', mountPath: '/sys/fs/bpf', propagation: MountPropagation.BIDIRECTIONAL }],
    });
    ds.addInitContainer({
      name: 'clean-cilium-state', image: this.image, command: ['/init-container.sh'],
      env: [
        EnvEntry.configMapKey('CILIUM_ALL_STATE', 'cilium-config', 'clean-cilium-state', true),
        EnvEntry.configMapKey('CILIUM_BPF_STATE', 'cilium-config', 'clean-cilium-bpf-state', true),
        EnvEntry.configMapKey('WRITE_CNI_CONF_WHEN_READY', 'cilium-config', 'write-cni-conf-when-ready', true),
        ...this.apiServerEnv(),
      ],
      terminationMessagePolicy: fallback,
      security: caps(['NET_ADMIN', 'SYS_MODULE', 'SYS_ADMIN', 'SYS_RESOURCE']),
      mounts: [
        { volume: 'bpf-maps', mountPath: '/sys/fs/bpf' },
        { volume: 'cilium-cgroup', mountPath: '/run/cilium/cgroupv2', propagation: MountPropagation.HOST_TO_CONTAINER },
        { volume: 'cilium-run', mountPath: '/var/run/cilium' },
      ],
    });
    ds.addInitContainer({
      name: 'install-cni-binaries', image: this.image, command: ['/install-plugin.sh'],
      resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '100m', memory: '10Mi' } },
      security: NodeAgentSecurity.custom({ seLinuxOptions: spc, capabilities: { drop: ['ALL'] } }),
      terminationMessagePolicy: fallback,
      mounts: [{ volume: 'cni-path', mountPath: '/host/opt/cni/bin' }],
    });
    ds.addJsonPatch(
      JsonPatch.add('/spec/template/spec/securityContext', { seccompProfile: { type: 'Unconfined' } }),
      JsonPatch.add('/spec/template/spec/affinity', {
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { 'k8s-app': 'cilium' } }, topologyKey: 'kubernetes.io/hostname' }] },
      }),
    );
    return ds;
  }

  private buildEnvoy(): NodeAgentDaemonSet {
    const ds = new NodeAgentDaemonSet(this, 'Envoy', {
      name: 'cilium-envoy',
      selectorLabels: { 'k8s-app': 'cilium-envoy' },
      labels: { 'app.kubernetes.io/part-of': 'cilium', 'app.kubernetes.io/name': 'cilium-envoy', 'name': 'cilium-envoy' },
      podAnnotations: { 'container.apparmor.security.beta.kubernetes.io/cilium-envoy': 'unconfined' },
      serviceAccountName: 'cilium-envoy',
      automountServiceAccountToken: true,
      terminationGracePeriodSeconds: 1,
      restartPolicy: 'Always',
      updateStrategy: UpdateStrategy.rollingUpdate({ maxUnavailable: 2 }),
    });
    ds.addHostPathVolume('envoy-sockets', '/var/run/cilium/envoy/sockets', HostPathType.DIRECTORY_OR_CREATE);
    ds.addHostPathVolume('envoy-artifacts', '/var/run/cilium/envoy/artifacts', HostPathType.DIRECTORY_OR_CREATE);
    ds.addConfigMapVolume('envoy-config', 'cilium-envoy-config', { defaultMode: 0o400, items: [{ key: 'bootstrap-config.json', path: 'bootstrap-config.json' }] });
    ds.addHostPathVolume('bpf-maps', '/sys/fs/bpf', HostPathType.DIRECTORY_OR_CREATE);
    const probe = { host: '127.0.0.1', path: '/healthz', port: k8s.IntOrString.fromNumber(9878), scheme: 'HTTP' };
    ds.addContainer({
      name: 'cilium-envoy',
      image: this.envoyImage,
      command: ['/usr/bin/cilium-envoy-starter'],
      args: ['--', '-c /var/run/cilium/envoy/bootstrap-config.json', '--base-id 0', '--log-level info'],
      startupProbe: { httpGet: probe, failureThreshold: 105, periodSeconds: 2, successThreshold: 1, initialDelaySeconds: 5 },
      livenessProbe: { httpGet: probe, periodSeconds: 30, successThreshold: 1, failureThreshold: 10, timeoutSeconds: 5 },
      readinessProbe: { httpGet: probe, periodSeconds: 30, successThreshold: 1, failureThreshold: 3, timeoutSeconds: 5 },
      env: [EnvEntry.fieldRef('K8S_NODE_NAME', 'spec.nodeName'), EnvEntry.fieldRef('CILIUM_K8S_NAMESPACE', 'metadata.namespace'), ...this.apiServerEnv()],
      ports: [{ name: 'envoy-metrics', containerPort: 9964, hostPort: 9964, protocol: 'TCP' }],
      security: NodeAgentSecurity.custom({ seLinuxOptions: { level: 's0', type: 'spc_t' }, capabilities: { add: ['NET_ADMIN', 'SYS_ADMIN'], drop: ['ALL'] } }),
      terminationMessagePolicy: 'FallbackToLogsOnError',
      mounts: [
        { volume: 'envoy-sockets', mountPath: '/var/run/cilium/envoy/sockets', readOnly: false },
        { volume: 'envoy-artifacts', mountPath: '/var/run/cilium/envoy/artifacts', readOnly: true },
        { volume: 'envoy-config', mountPath: '/var/run/cilium/envoy/', readOnly: true },
        { volume: 'bpf-maps', mountPath: '/sys/fs/bpf', propagation: MountPropagation.HOST_TO_CONTAINER },
      ],
    });
    ds.addJsonPatch(JsonPatch.add('/spec/template/spec/affinity', {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'cilium.io/no-schedule', operator: 'NotIn', values: ['true'] }] }] } },
      podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { 'k8s-app': 'cilium' } }, topologyKey: 'kubernetes.io/hostname' }] },
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { 'k8s-app': 'cilium-envoy' } }, topologyKey: 'kubernetes.io/hostname' }] },
    }));
    return ds;
  }

  private buildOperator(): void {
    const selector = { 'io.cilium/app': 'operator', 'name': 'cilium-operator' };
    const labels = { ...selector, 'app.kubernetes.io/part-of': 'cilium', 'app.kubernetes.io/name': 'cilium-operator' };
    const health = (extra: Partial<k8s.Probe>): k8s.Probe => ({
      httpGet: { host: '127.0.0.1', path: '/healthz', port: k8s.IntOrString.fromString('health'), scheme: 'HTTP' }, ...extra,
    });
    new k8s.KubeDeployment(this, 'Operator', {
      metadata: { name: 'cilium-operator', namespace: KUBE_SYSTEM, labels },
      spec: {
        replicas: this.operatorReplicas,
        selector: { matchLabels: selector },
        strategy: { rollingUpdate: { maxSurge: k8s.IntOrString.fromString('25%'), maxUnavailable: k8s.IntOrString.fromString('50%') }, type: 'RollingUpdate' },
        template: {
          metadata: { annotations: { 'prometheus.io/port': '9963', 'prometheus.io/scrape': 'true' }, labels },
          spec: {
            securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'cilium-operator',
              image: this.operatorImage.toString(),
              imagePullPolicy: 'IfNotPresent',
              command: ['cilium-operator-generic'],
              args: ['--config-dir=/tmp/cilium/config-map', '--debug=$(CILIUM_DEBUG)'],
              env: [
                EnvEntry.fieldRef('K8S_NODE_NAME', 'spec.nodeName'),
                EnvEntry.fieldRef('CILIUM_K8S_NAMESPACE', 'metadata.namespace'),
                EnvEntry.configMapKey('CILIUM_DEBUG', 'cilium-config', 'debug', true),
                ...this.apiServerEnv(),
              ],
              ports: [
                { name: 'health', containerPort: 9234, hostPort: 9234 },
                { name: 'prometheus', containerPort: 9963, hostPort: 9963, protocol: 'TCP' },
              ],
              livenessProbe: health({ initialDelaySeconds: 60, periodSeconds: 10, timeoutSeconds: 3 }),
              readinessProbe: health({ initialDelaySeconds: 0, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 5 }),
              volumeMounts: [{ name: 'cilium-config-path', mountPath: '/tmp/cilium/config-map', readOnly: true }],
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              terminationMessagePolicy: 'FallbackToLogsOnError',
            }],
            hostNetwork: true,
            restartPolicy: 'Always',
            priorityClassName: PriorityClass.SYSTEM_CLUSTER_CRITICAL.name,
            serviceAccountName: 'cilium-operator',
            automountServiceAccountToken: true,
            affinity: {
              podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { 'io.cilium/app': 'operator' } }, topologyKey: 'kubernetes.io/hostname' }] },
            },
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            tolerations: [
              'node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master', 'node.kubernetes.io/not-ready',
              'node.cloudprovider.kubernetes.io/uninitialized', 'node.cilium.io/agent-not-ready',
            ].map((key) => ({ key, operator: 'Exists' })),
            volumes: [{ name: 'cilium-config-path', configMap: { name: 'cilium-config' } }],
          },
        },
      },
    });
  }

  private propProblems() {
    const sink = new ProblemSink();
    const cidrs = (field: string, list: readonly string[], family: IpFamily, mask: number) => {
      if (list.length === 0) sink.error(field, 'is empty', list, 'give at least one pod CIDR');
      list.forEach((s, i) => {
        const c = Cidr.tryParse(s);
        if (!c || c.family !== family) sink.error(`${field}[${i}]`, `is not an IPv${family} prefix`, s, 'write a CIDR such as "10.0.0.0/8"');
        else if (c.hasHostBits) sink.error(`${field}[${i}]`, 'has host bits set', s, `use the network address ${c.canonical.toString()}`);
        else if (mask <= c.prefix) sink.error(`${field}[${i}]`, `is not larger than the per-node mask /${mask}`, s, 'use a shorter prefix or a longer mask size');
      });
    };
    if (this.ipamMode === CiliumIpamMode.CLUSTER_POOL) {
      cidrs('clusterPoolIPv4PodCIDRList', this.clusterPoolIPv4PodCIDRList, IpFamily.IPV4, this.clusterPoolIPv4MaskSize);
      if (this.enableIPv6) cidrs('clusterPoolIPv6PodCIDRList', this.clusterPoolIPv6PodCIDRList, IpFamily.IPV6, this.clusterPoolIPv6MaskSize);
    }
    if (this.routingMode === CiliumRoutingMode.NATIVE) {
      const c = this.ipv4NativeRoutingCidr === undefined ? undefined : Cidr.tryParse(this.ipv4NativeRoutingCidr);
      if (!c || c.family !== IpFamily.IPV4) {
        sink.error('ipv4NativeRoutingCidr', 'is required with native routing: the CIDR Cilium may route without masquerading', this.ipv4NativeRoutingCidr,
          'set it to the pod network, e.g. "10.0.0.0/8"');
      }
    } else if (this.ipv4NativeRoutingCidr !== undefined) {
      sink.error('ipv4NativeRoutingCidr', 'is only read with native routing', this.ipv4NativeRoutingCidr, 'set routingMode to CiliumRoutingMode.NATIVE or drop it');
    }
    if (this.tunnelPort !== undefined && (!Number.isInteger(this.tunnelPort) || this.tunnelPort < 1 || this.tunnelPort > 65535)) {
      sink.error('tunnelPort', 'is not a port number', this.tunnelPort, 'use an integer from 1 to 65535');
    }
    if (this.kubeProxyReplacement && (this.k8sServiceHost === undefined || this.k8sServicePort === undefined)) {
      sink.error('k8sServiceHost', 'is required with kubeProxyReplacement: without kube-proxy the agent cannot reach the API server through its Service IP',
        this.k8sServiceHost, 'set k8sServiceHost and k8sServicePort to the API server endpoint, e.g. "192.0.2.10" and 6443');
    }
    if (this.mtu !== 0 && (!Number.isInteger(this.mtu) || this.mtu < 576 || this.mtu > 9216)) {
      sink.error('mtu', 'is not a usable MTU', this.mtu, 'use 0 for auto-detection or an integer from 576 to 9216');
    }
    if (!Number.isInteger(this.clusterId) || this.clusterId < 0 || this.clusterId > 255) {
      sink.error('clusterId', 'is out of range', this.clusterId, 'use an integer from 0 to 255');
    }
    if (this.chainingMode !== CiliumChainingMode.NONE && this.exclusiveProp === true) {
      sink.error('cni.exclusive', `is true with chaining mode ${this.chainingMode}, which would remove the config Cilium chains onto`, true, 'set cni.exclusive to false');
    }
    return sink.problems;
  }
}

function tlsItems(prefix: string): k8s.KeyToPath[] {
  return [{ key: 'tls.key', path: `${prefix}.key` }, { key: 'tls.crt', path: `${prefix}.crt` }, { key: 'ca.crt', path: `${prefix}-ca.crt` }];
}

function copyRule(r: RbacRule): RbacRule {
  return { apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs], resourceNames: r.resourceNames ? [...r.resourceNames] : undefined };
}

/** The agent's postStart hook: removes SNAT rules the AWS VPC CNI may have left (as the chart). */
const AWS_SNAT_CLEANUP = [
  'set -o errexit',
  'set -o pipefail',
  'set -o nounset',
  '',
  '# When running in AWS ENI mode, aws-node may have installed SNAT iptables rules that drop',
  '# traffic; remove them (idempotent, safe to run on every start).',
  'if [[ "$(iptables-save | grep -E -c \'AWS-SNAT-CHAIN|AWS-CONNMARK-CHAIN\')" != "0" ]];',
  'then',
  '    echo \'Deleting iptables rules created by the AWS CNI VPC plugin\'',
  '    iptables-save | grep -E -v \'AWS-SNAT-CHAIN|AWS-CONNMARK-CHAIN\' | iptables-restore',
  'fi',
  'echo \'Done!\'',
  '',
].join('\n');

/** The Envoy bootstrap of the chart's `cilium-envoy-config` (default values). */
function envoyBootstrap(): Record<string, unknown> {
  const httpOptions = (upstream: boolean) => ({
    'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
      '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
      'commonHttpProtocolOptions': { idleTimeout: '60s', maxConnectionDuration: '0s', maxRequestsPerConnection: 0 },
      ...(upstream ? { upstreamHttpProtocolOptions: {} } : {}),
      'useDownstreamProtocolConfig': {},
    },
  });
  const originalDst = (name: string, tls: boolean) => ({
    circuitBreakers: { thresholds: [{ maxConnections: 1024, maxRequests: 1024, maxRetries: 128 }] },
    cleanupInterval: '2.500s',
    connectTimeout: '2s',
    lbPolicy: 'CLUSTER_PROVIDED',
    name,
    ...(tls ? { transportSocket: { name: 'cilium.tls_wrapper', typedConfig: { '@type': 'type.googleapis.com/cilium.UpstreamTlsWrapperContext' } } } : {}),
    type: 'ORIGINAL_DST',
    typedExtensionProtocolOptions: httpOptions(tls),
  });
  const pipeCluster = (name: string, path: string) => ({
    connectTimeout: '2s',
    loadAssignment: { clusterName: name, endpoints: [{ lbEndpoints: [{ endpoint: { address: { pipe: { path } } } }] }] },
    name,
    type: 'STATIC',
  });
  const xds = {
    ...pipeCluster('xds-grpc-cilium', '/var/run/cilium/envoy/sockets/xds.sock'),
    typedExtensionProtocolOptions: {
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
        '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
        'explicitHttpConfig': { http2ProtocolOptions: {} },
      },
    },
  };
  const internal = {
    cidrRanges: [
      { addressPrefix: '10.0.0.0', prefixLen: 8 }, { addressPrefix: '172.16.0.0', prefixLen: 12 },
      { addressPrefix: '192.168.0.0', prefixLen: 16 }, { addressPrefix: '127.0.0.1', prefixLen: 32 },
    ],
  };
  const listener = (name: string, address: string, port: number, routeKey: string, vhost: string, prefix: string, rewrite: string, statPrefix: string) => ({
    address: { socketAddress: { address, portValue: port } },
    filterChains: [{
      filters: [{
        name: 'envoy.filters.network.http_connection_manager',
        typedConfig: {
          '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
          'httpFilters': [{ name: 'envoy.filters.http.router', typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } }],
          'internalAddressConfig': internal,
          'routeConfig': {
            [routeKey]: [{ domains: ['*'], name: vhost, routes: [{ match: { prefix }, name: vhost, route: { cluster: '/envoy-admin', prefixRewrite: rewrite } }] }],
          },
          statPrefix,
          'streamIdleTimeout': '300s',
        },
      }],
    }],
    name,
  });
  const ads = {
    apiConfigSource: {
      apiType: 'GRPC', grpcServices: [{ envoyGrpc: { clusterName: 'xds-grpc-cilium' } }], setNodeOnFirstMessageOnly: true, transportApiVersion: 'V3',
    },
    initialFetchTimeout: '30s',
    resourceApiVersion: 'V3',
  };
  return {
    admin: { address: { pipe: { mode: 432, path: '/var/run/cilium/envoy/sockets/admin.sock' } } },
    applicationLogConfig: { logFormat: { textFormat: '[%Y-%m-%d %T.%e][%t][%l][%n] [%g:%#] %v' } },
    bootstrapExtensions: [{
      name: 'envoy.bootstrap.internal_listener',
      typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.bootstrap.internal_listener.v3.InternalListener' },
    }],
    dynamicResources: { cdsConfig: ads, ldsConfig: ads },
    node: { cluster: 'ingress-cluster', id: 'host~127.0.0.1~no-id~localdomain' },
    overloadManager: {
      resourceMonitors: [{
        name: 'envoy.resource_monitors.global_downstream_max_connections',
        typedConfig: {
          '@type': 'type.googleapis.com/envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig',
          'max_active_downstream_connections': '50000',
        },
      }],
    },
    staticResources: {
      clusters: [
        originalDst('ingress-cluster', false),
        originalDst('egress-cluster-tls', true),
        originalDst('egress-cluster', false),
        originalDst('ingress-cluster-tls', true),
        xds,
        pipeCluster('/envoy-admin', '/var/run/cilium/envoy/sockets/admin.sock'),
      ],
      listeners: [
        listener('envoy-prometheus-metrics-listener', '0.0.0.0', 9964, 'virtualHosts', 'prometheus_metrics_route', '/metrics', '/stats/prometheus', 'envoy-prometheus-metrics-listener'),
        // the chart writes `virtual_hosts` (snake case) in this listener; envoy accepts both
        listener('envoy-health-listener', '127.0.0.1', 9878, 'virtual_hosts', 'health', '/healthz', '/ready', 'envoy-health-listener'),
      ],
    },
  };
}

/** The chart's default `cilium-config` data (1.19.5); typed values override their keys. */
const CILIUM_CONFIG_DEFAULTS: Readonly<Record<string, string>> = {
  'identity-allocation-mode': 'crd',
  'identity-heartbeat-timeout': '30m0s',
  'identity-gc-interval': '15m0s',
  'cilium-endpoint-gc-interval': '5m0s',
  'nodes-gc-interval': '5m0s',
  'debug': 'false',
  'debug-verbose': '',
  'metrics-sampling-interval': '5m',
  'enable-policy': 'default',
  'policy-cidr-match-mode': '',
  'operator-prometheus-serve-addr': ':9963',
  'enable-metrics': 'true',
  'enable-policy-secrets-sync': 'true',
  'policy-secrets-only-from-secrets-namespace': 'true',
  'policy-secrets-namespace': 'cilium-secrets',
  'enable-ipv4': 'true',
  'enable-ipv6': 'false',
  'custom-cni-conf': 'false',
  'enable-bpf-clock-probe': 'false',
  'monitor-aggregation': 'medium',
  'monitor-aggregation-interval': '5s',
  'monitor-aggregation-flags': 'all',
  'bpf-map-dynamic-size-ratio': '0.0025',
  'bpf-policy-map-max': '16384',
  'bpf-policy-stats-map-max': '65536',
  'bpf-lb-map-max': '65536',
  'bpf-lb-external-clusterip': 'false',
  'bpf-lb-source-range-all-types': 'false',
  'bpf-lb-algorithm-annotation': 'false',
  'bpf-lb-mode-annotation': 'false',
  'bpf-distributed-lru': 'false',
  'bpf-events-drop-enabled': 'true',
  'bpf-events-policy-verdict-enabled': 'true',
  'bpf-events-trace-enabled': 'true',
  'preallocate-bpf-maps': 'false',
  'cluster-name': 'default',
  'cluster-id': '0',
  'routing-mode': 'tunnel',
  'tunnel-protocol': 'vxlan',
  'tunnel-source-port-range': '0-0',
  'service-no-backend-response': 'reject',
  'policy-deny-response': 'none',
  'enable-l7-proxy': 'true',
  'enable-ipv4-masquerade': 'true',
  'enable-ipv4-big-tcp': 'false',
  'enable-ipv6-big-tcp': 'false',
  'enable-ipv6-masquerade': 'true',
  'enable-tcx': 'true',
  'datapath-mode': 'veth',
  'enable-masquerade-to-route-source': 'false',
  'enable-xt-socket-fallback': 'true',
  'install-no-conntrack-iptables-rules': 'false',
  'iptables-random-fully': 'false',
  'auto-direct-node-routes': 'false',
  'direct-routing-skip-unreachable': 'false',
  'kube-proxy-replacement': 'false',
  'enable-no-service-endpoints-routable': 'true',
  'bpf-lb-sock': 'false',
  'nodeport-addresses': '',
  'enable-health-check-nodeport': 'true',
  'enable-health-check-loadbalancer-ip': 'false',
  'node-port-bind-protection': 'true',
  'enable-auto-protect-node-port-range': 'true',
  'bpf-lb-acceleration': 'disabled',
  'enable-service-topology': 'false',
  'enable-l2-neigh-discovery': 'false',
  'k8s-require-ipv4-pod-cidr': 'false',
  'k8s-require-ipv6-pod-cidr': 'false',
  'enable-k8s-networkpolicy': 'true',
  'enable-endpoint-lockdown-on-policy-overflow': 'false',
  'write-cni-conf-when-ready': '/host/etc/cni/net.d/05-cilium.conflist',
  'cni-exclusive': 'true',
  'cni-log-file': '/var/run/cilium/cilium-cni.log',
  'enable-endpoint-health-checking': 'true',
  'enable-health-checking': 'true',
  'health-check-icmp-failure-threshold': '3',
  'enable-well-known-identities': 'false',
  'enable-node-selector-labels': 'false',
  'synchronize-k8s-nodes': 'true',
  'operator-api-serve-addr': '127.0.0.1:9234',
  'enable-hubble': 'true',
  'hubble-socket-path': '/var/run/cilium/hubble.sock',
  'hubble-network-policy-correlation-enabled': 'true',
  'hubble-listen-address': ':4244',
  'hubble-disable-tls': 'false',
  'hubble-tls-cert-file': '/var/lib/cilium/tls/hubble/server.crt',
  'hubble-tls-key-file': '/var/lib/cilium/tls/hubble/server.key',
  'hubble-tls-client-ca-files': '/var/lib/cilium/tls/hubble/client-ca.crt',
  'ipam': 'cluster-pool',
  'ipam-cilium-node-update-rate': '15s',
  'cluster-pool-ipv4-cidr': '10.0.0.0/8',
  'cluster-pool-ipv4-mask-size': '24',
  'default-lb-service-ipam': 'lbipam',
  'egress-gateway-reconciliation-trigger-interval': '1s',
  'enable-vtep': 'false',
  'vtep-endpoint': '',
  'vtep-cidr': '',
  'vtep-mask': '',
  'vtep-mac': '',
  'packetization-layer-pmtud-mode': 'blackhole',
  'procfs': '/host/proc',
  'bpf-root': '/sys/fs/bpf',
  'cgroup-root': '/run/cilium/cgroupv2',
  'identity-management-mode': 'agent',
  'enable-sctp': 'false',
  'remove-cilium-node-taints': 'true',
  'set-cilium-node-taints': 'true',
  'set-cilium-is-up-condition': 'true',
  'unmanaged-pod-watcher-interval': '15s',
  'dnsproxy-enable-transparent-mode': 'true',
  'dnsproxy-socket-linger-timeout': '10',
  'tofqdns-dns-reject-response-code': 'refused',
  'tofqdns-enable-dns-compression': 'true',
  'tofqdns-endpoint-max-ip-per-hostname': '1000',
  'tofqdns-idle-connection-grace-period': '0s',
  'tofqdns-max-deferred-connection-deletes': '10000',
  'tofqdns-proxy-response-max-delay': '100ms',
  'tofqdns-preallocate-identities': 'true',
  'agent-not-ready-taint-key': 'node.cilium.io/agent-not-ready',
  'mesh-auth-enabled': 'false',
  'mesh-auth-queue-size': '1024',
  'mesh-auth-rotated-identities-queue-size': '1024',
  'mesh-auth-gc-interval': '5m0s',
  'proxy-xff-num-trusted-hops-ingress': '0',
  'proxy-xff-num-trusted-hops-egress': '0',
  'proxy-connect-timeout': '2',
  'proxy-initial-fetch-timeout': '30',
  'proxy-max-active-downstream-connections': '50000',
  'proxy-max-requests-per-connection': '0',
  'proxy-max-connection-duration-seconds': '0',
  'proxy-idle-timeout-seconds': '60',
  'proxy-max-concurrent-retries': '128',
  'proxy-use-original-source-address': 'true',
  'proxy-cluster-max-connections': '1024',
  'proxy-cluster-max-requests': '1024',
  'http-retry-count': '3',
  'http-stream-idle-timeout': '300',
  'external-envoy-proxy': 'true',
  'envoy-base-id': '0',
  'envoy-access-log-buffer-size': '4096',
  'envoy-keep-cap-netbindservice': 'false',
  'max-connected-clusters': '255',
  'clustermesh-cache-ttl': '0s',
  'clustermesh-enable-endpoint-sync': 'false',
  'clustermesh-enable-mcs-api': 'false',
  'clustermesh-mcs-api-install-crds': 'true',
  'policy-default-local-cluster': 'true',
  'nat-map-stats-entries': '32',
  'nat-map-stats-interval': '30s',
  'enable-lb-ipam': 'true',
  'enable-non-default-deny-policies': 'true',
  'enable-source-ip-verification': 'true',
  'enable-dynamic-config': 'true',
  'enable-drift-checker': 'true',
};

/** ClusterRole `cilium` (chart 1.19.5). */
export const CILIUM_RULES: readonly RbacRule[] = [
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['namespaces', 'services', 'pods', 'endpoints', 'nodes'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['list', 'watch', 'get'] },
  { apiGroups: ['cilium.io'], resources: ['ciliumloadbalancerippools', 'ciliumbgppeeringpolicies', 'ciliumbgpnodeconfigs', 'ciliumbgpadvertisements', 'ciliumbgppeerconfigs', 'ciliumclusterwideenvoyconfigs', 'ciliumclusterwidenetworkpolicies', 'ciliumegressgatewaypolicies', 'ciliumendpoints', 'ciliumendpointslices', 'ciliumenvoyconfigs', 'ciliumidentities', 'ciliumlocalredirectpolicies', 'ciliumnetworkpolicies', 'ciliumnodes', 'ciliumnodeconfigs', 'ciliumcidrgroups', 'ciliuml2announcementpolicies', 'ciliumpodippools'], verbs: ['list', 'watch'] },
  { apiGroups: ['cilium.io'], resources: ['ciliumidentities', 'ciliumendpoints', 'ciliumnodes'], verbs: ['create'] },
  { apiGroups: ['cilium.io'], resources: ['ciliumidentities'], verbs: ['update'] },
  { apiGroups: ['cilium.io'], resources: ['ciliumendpoints'], verbs: ['delete', 'get'] },
  { apiGroups: ['cilium.io'], resources: ['ciliumnodes', 'ciliumnodes/status'], verbs: ['get', 'update'] },
  { apiGroups: ['cilium.io'], resources: ['ciliumendpoints/status', 'ciliumendpoints', 'ciliuml2announcementpolicies/status', 'ciliumbgpnodeconfigs/status'], verbs: ['patch'] },
];

/** ClusterRole `cilium-operator` (chart 1.19.5). */
export const CILIUM_OPERATOR_RULES: readonly RbacRule[] = [
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'delete'] },
  { apiGroups: [''], resources: ['configmaps'], resourceNames: ['cilium-config'], verbs: ['patch'] },
  { apiGroups: [''], resources: ['nodes'], verbs: ['list', 'watch'] },
  { apiGroups: [''], resources: ['nodes', 'nodes/status'], verbs: ['patch'] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['services/status'], verbs: ['update', 'patch'] },
  { apiGroups: [''], resources: ['namespaces', 'secrets'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['services', 'endpoints'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['cilium.io'], resources: ['ciliumnetworkpolicies', 'ciliumclusterwidenetworkpolicies'], verbs: ['create', 'update', 'deletecollection', 'patch', 'get', 'list', 'watch'] },
  { apiGroups: ['cilium.io'], resources: ['ciliumnetworkpolicies/status', 'ciliumclusterwidenetworkpolicies/status'], verbs: ['patch', 'update'] },
  { apiGroups: ['cilium.io'], resources: ['ciliumendpoints', 'ciliumidentities'], verbs: ['delete', 'list', 'watch'] },
  { apiGroups: ['cilium.io'], resources: ['ciliumidentities'], verbs: ['update'] },
  { apiGroups: ['cilium.io'], resources: ['ciliumnodes'], verbs: ['create', 'update', 'get', 'list', 'watch', 'delete'] },
  { apiGroups: ['cilium.io'], resources: ['ciliumnodes/status'], verbs: ['update'] },
  { apiGroups: ['cilium.io'], resources: ['ciliumendpointslices', 'ciliumenvoyconfigs', 'ciliumbgppeerconfigs', 'ciliumbgpadvertisements', 'ciliumbgpnodeconfigs'], verbs: ['create', 'update', 'get', 'list', 'watch', 'delete', 'patch'] },
  { apiGroups: ['cilium.io'], resources: ['ciliumbgpclusterconfigs/status', 'ciliumbgppeerconfigs/status'], verbs: ['update'] },
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['create', 'get', 'list', 'watch'] },
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], resourceNames: ['ciliumloadbalancerippools.cilium.io', 'ciliumbgpclusterconfigs.cilium.io', 'ciliumbgppeerconfigs.cilium.io', 'ciliumbgpadvertisements.cilium.io', 'ciliumbgpnodeconfigs.cilium.io', 'ciliumbgpnodeconfigoverrides.cilium.io', 'ciliumclusterwideenvoyconfigs.cilium.io', 'ciliumclusterwidenetworkpolicies.cilium.io', 'ciliumegressgatewaypolicies.cilium.io', 'ciliumendpoints.cilium.io', 'ciliumendpointslices.cilium.io', 'ciliumenvoyconfigs.cilium.io', 'ciliumidentities.cilium.io', 'ciliumlocalredirectpolicies.cilium.io', 'ciliumnetworkpolicies.cilium.io', 'ciliumnodes.cilium.io', 'ciliumnodeconfigs.cilium.io', 'ciliumcidrgroups.cilium.io', 'ciliuml2announcementpolicies.cilium.io', 'ciliumpodippools.cilium.io', 'ciliumgatewayclassconfigs.cilium.io'], verbs: ['update'] },
  { apiGroups: ['cilium.io'], resources: ['ciliumloadbalancerippools', 'ciliumpodippools', 'ciliumbgppeeringpolicies', 'ciliumbgpclusterconfigs', 'ciliumbgpnodeconfigoverrides', 'ciliumbgppeerconfigs'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['cilium.io'], resources: ['ciliumpodippools'], verbs: ['create'] },
  { apiGroups: ['cilium.io'], resources: ['ciliumloadbalancerippools/status'], verbs: ['patch'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create', 'get', 'update'] },
  { apiGroups: ['cilium.io'], resources: ['ciliumendpointslices'], verbs: ['deletecollection'] },
];
