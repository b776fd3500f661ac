import { JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { IConstruct, Construct } from 'constructs';
import { Cidr, IpAddress, IpFamily } from '../addressing/ip';
import { ProblemSink, reportProblems } from '../cni/problem';
import { ClusterNetwork, ClusterNetworkProvider, multusAmong } from './cluster-network';
import { ContainerImage } from './container-image';
import { EnvEntry, KUBE_SYSTEM, NodeAgentDaemonSet, NodeAgentSecurity, PriorityClass, TaintEffect } from './node-agent';
import { NodeAgentIdentity } from './node-agent-identity';
import { assertProps, propsShape } from '../cni/props-check';
import { BOOL_PROP, MTU_PROP, OBJECT_PROP, STRING_PROP } from './installer-props';

/**
 * Romana v2.0.2 (defunct since 2018), from `docs/kubernetes/romana-kubeadm.yml` @ 7f3b49f8:
 * RBAC for the listener and the agent, Services `romana-etcd` and `romana` on fixed cluster IPs,
 * Deployments `romana-etcd`, `romana-daemon`, `romana-listener` and the `romana-agent` DaemonSet.
 *
 * LEGACY. The upstream file does not apply on Kubernetes 1.27; it is rendered with APIs 1.27 serves:
 *  - `extensions/v1beta1` Deployment and DaemonSet (removed in 1.16) become `apps/v1`, which
 *    requires `spec.selector`: it is set to the pod template's `romana-app` label (what the
 *    extensions API defaulted it to).
 *  - `rbac.authorization.k8s.io/v1beta1` ClusterRole/ClusterRoleBinding (removed in 1.22) become
 *    `rbac.authorization.k8s.io/v1` with the same rules.
 *  - the `node-role.kubernetes.io/master` node label (no longer set since 1.24) is replaced in the
 *    control-plane nodeSelector by `node-role.kubernetes.io/control-plane`; the master taint
 *    (gone since 1.25) is still tolerated and the control-plane taint is tolerated as well.
 * The rules are kept as upstream wrote them (never broader). The v2.0.2 listener watches
 * `extensions` NetworkPolicies, which 1.27 no longer serves: policy does not work on 1.27, and the
 * library cannot fix that without a newer Romana.
 */

/** Romana images of the v2.0.2 release. */
export const ROMANA_DAEMON_IMAGE = ContainerImage.of('quay.io/romana/daemon:v2.0.2');
export const ROMANA_LISTENER_IMAGE = ContainerImage.of('quay.io/romana/listener:v2.0.2');
export const ROMANA_AGENT_IMAGE = ContainerImage.of('quay.io/romana/agent:v2.0.2');
/** The etcd Romana's manifest runs (frozen gcr.io/google_containers registry). */
export const ROMANA_ETCD_IMAGE = ContainerImage.of('gcr.io/google_containers/etcd-amd64:3.0.17');

/** Romana's etcd Service. */
export interface RomanaEtcdOptions {
  /** The fixed cluster IP of Service `romana-etcd`; must lie in the service range. @default "10.96.0.88" */
  readonly clusterIP?: string;
  /** The client port. @default 12379 */
  readonly port?: number;
}

/** Properties of {@link Romana}. */
export interface RomanaProps {
  /**
   * The pod network (`--network-cidr-overrides=romana-network=<CIDR>` on the daemon).
   * @default - the daemon's built-in kubeadm network, 10.112.0.0/12; no argument written
   */
  readonly networkCidr?: string;
  /**
   * The Service CIDR (`--service-cluster-ip-range` on the daemon and the agent); the fixed
   * cluster IPs must lie inside it.
   * @default "10.96.0.0/12" (kubeadm's; no argument written)
   */
  readonly serviceClusterIpRange?: string;
  /** The pod interface MTU (`--mtu` on the agent). @default - the MTU of the node's interface */
  readonly mtu?: number;
  /** Masquerade pod traffic leaving the cluster (`--nat`). @default true */
  readonly nat?: boolean;
  /** Enforce network policies (`--policies`). @default true */
  readonly policies?: boolean;
  /** The etcd Service. @default - 10.96.0.88:12379 */
  readonly etcd?: RomanaEtcdOptions;
  /** The fixed cluster IP of Service `romana` (daemon API, port 9600). @default "10.96.0.99" */
  readonly daemonClusterIP?: string;
}

/** The shape of {@link RomanaProps} (runtime checks for callers without a type checker). */
const ROMANA_PROPS_SHAPE = propsShape('RomanaProps', {
  networkCidr: STRING_PROP,
  serviceClusterIpRange: STRING_PROP,
  mtu: MTU_PROP,
  nat: BOOL_PROP,
  policies: BOOL_PROP,
  etcd: OBJECT_PROP,
  daemonClusterIP: STRING_PROP,
});

/** Romana, as `romana-kubeadm.yml` installs it, converted to APIs Kubernetes 1.27 serves. */
export class Romana extends ClusterNetwork {
  public readonly provider = ClusterNetworkProvider.ROMANA;
  public readonly cniConfigFile = '10-romana.conf';
  public readonly readinessIndicatorFile = '/etc/cni/net.d/10-romana.conf';
  public readonly providedCniTypes: readonly string[] = ['romana'];

  public readonly networkCidr?: string;
  public readonly serviceClusterIpRange: string;
  public readonly mtu?: number;
  public readonly nat: boolean;
  public readonly policies: boolean;
  public readonly etcdClusterIP: string;
  public readonly etcdPort: number;
  public readonly daemonClusterIP: string;
  public readonly daemonSet: NodeAgentDaemonSet;
  private readonly serviceRangeSet: boolean;

  constructor(scope: Construct, id: string, props: RomanaProps = {}) {
    super(scope, id);
    assertProps(ROMANA_PROPS_SHAPE, props, `Romana ${this.node.path}`);
    this.networkCidr = props.networkCidr;
    this.serviceRangeSet = props.serviceClusterIpRange !== undefined;
    this.serviceClusterIpRange = props.serviceClusterIpRange ?? '10.96.0.0/12';
    this.mtu = props.mtu;
    this.nat = props.nat ?? true;
    this.policies = props.policies ?? true;
    this.etcdClusterIP = props.etcd?.clusterIP ?? '10.96.0.88';
    this.etcdPort = props.etcd?.port ?? 12379;
    this.daemonClusterIP = props.daemonClusterIP ?? '10.96.0.99';
    reportProblems(this.propProblems(), `Romana ${this.node.path}`);

    new NodeAgentIdentity(this, 'ListenerIdentity', {
      name: 'romana-listener',
      clusterRules: [
        { apiGroups: ['*'], resources: ['pods', 'namespaces', 'nodes', 'endpoints'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['extensions'], resources: ['networkpolicies'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['*'], resources: ['services'], verbs: ['update', 'list', 'watch'] },
      ],
    });
    new NodeAgentIdentity(this, 'AgentIdentity', {
      name: 'romana-agent',
      clusterRules: [{ apiGroups: ['*'], resources: ['pods', 'nodes'], verbs: ['get'] }],
    });

    this.service('EtcdService', 'romana-etcd', this.etcdClusterIP, 'etcd', this.etcdPort, 'etcd');
    this.deployment('Etcd', 'romana-etcd', 'etcd', {
      hostNetwork: true,
      securityContext: { seLinuxOptions: { type: 'spc_t' } },
      containers: [{
        name: 'romana-etcd',
        image: ROMANA_ETCD_IMAGE.toString(),
        imagePullPolicy: 'IfNotPresent',
        command: [
          'etcd',
          `--listen-client-urls=http://0.0.0.0:${this.etcdPort}`,
          '--listen-peer-urls=http://127.0.0.1:12380',
          `--advertise-client-urls=http://${this.etcdClusterIP}:${this.etcdPort}`,
          '--data-dir=/var/etcd/data',
        ],
        volumeMounts: [{ name: 'etcd-data', mountPath: '/var/etcd/data' }],
        livenessProbe: {
          httpGet: { path: '/health', port: k8s.IntOrString.fromNumber(this.etcdPort), host: '127.0.0.1' },
          initialDelaySeconds: 15, timeoutSeconds: 15,
        },
      }],
      volumes: [{ name: 'etcd-data', hostPath: { path: '/var/lib/romana/etcd-db' } }],
    });
    this.service('DaemonService', 'romana', this.daemonClusterIP, 'daemon', 9600, 'daemon');
    this.deployment('Daemon', 'romana-daemon', 'daemon', {
      hostNetwork: true,
      containers: [{
        name: 'romana-daemon', image: ROMANA_DAEMON_IMAGE.toString(), imagePullPolicy: 'IfNotPresent',
        args: this.daemonArgs().length > 0 ? this.daemonArgs() : undefined,
      }],
    });
    this.deployment('Listener', 'romana-listener', 'listener', {
      hostNetwork: true,
      serviceAccountName: 'romana-listener',
      containers: [{ name: 'romana-listener', image: ROMANA_LISTENER_IMAGE.toString(), imagePullPolicy: 'IfNotPresent' }],
    });
    this.daemonSet = this.buildAgent();
  }

  /** The daemon's arguments (none with the defaults, as upstream). */
  public daemonArgs(): string[] {
    const args: string[] = [];
    if (this.networkCidr !== undefined) args.push(`--network-cidr-overrides=romana-network=${this.networkCidr}`);
    if (this.serviceRangeSet) args.push(`--service-cluster-ip-range=${this.serviceClusterIpRange}`);
    return args;
  }

  /** The agent's arguments (none with the defaults, as upstream). */
  public agentArgs(): string[] {
    const args: string[] = [];
    if (this.serviceRangeSet) args.push(`--service-cluster-ip-range=${this.serviceClusterIpRange}`);
    if (this.mtu !== undefined) args.push(`--mtu=${this.mtu}`);
    if (!this.nat) args.push('--nat=false');
    if (!this.policies) args.push('--policies=false');
    return args;
  }

  protected checkCoexistence(sink: ProblemSink, peers: IConstruct[]): void {
    const multus = multusAmong(peers);
    if (multus.length > 0) {
      sink.error('romana', `refuses to install its ${this.cniConfigFile} while another *.conf exists, and Multus ${multus[0].construct.node.path} writes 00-multus.conf`,
        this.cniConfigFile, 'do not combine Romana with Multus (Romana is unmaintained); use a maintained primary network such as Calico or Flannel');
    }
  }

  private service(id: string, name: string, clusterIP: string, portName: string, port: number, app: string): void {
    new k8s.KubeService(this, id, {
      metadata: { name, namespace: KUBE_SYSTEM },
      spec: {
        clusterIp: clusterIP,
        ports: [{ name: portName, port, protocol: 'TCP', targetPort: k8s.IntOrString.fromNumber(port) }],
        selector: { 'romana-app': app },
        sessionAffinity: 'None',
        type: 'ClusterIP',
      },
    });
  }

  private deployment(id: string, name: string, app: string, spec: Omit<k8s.PodSpec, 'nodeSelector' | 'tolerations'>): void {
    const labels = { 'romana-app': app };
    new k8s.KubeDeployment(this, id, {
      metadata: { name, namespace: KUBE_SYSTEM },
      spec: {
        replicas: 1,
        // apps/v1 requires a selector; extensions/v1beta1 defaulted it to the template labels
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { nodeSelector: { 'node-role.kubernetes.io/control-plane': '' }, tolerations: ROMANA_TOLERATIONS.map((t) => ({ ...t })), ...spec },
        },
      },
    });
  }

  private buildAgent(): NodeAgentDaemonSet {
    const ds = new NodeAgentDaemonSet(this, 'Resource', {
      name: 'romana-agent',
      selectorLabels: { 'romana-app': 'agent' },
      tolerations: ROMANA_TOLERATIONS.map((t) => ({ ...t })),
      // upstream: no priorityClassName, no nodeSelector
      priorityClass: PriorityClass.NONE,
      nodeSelector: {},
      serviceAccountName: 'romana-agent',
      cniBinVolumeName: 'host-cni-bin',
      cniConfVolumeName: 'host-cni-net-d',
    });
    ds.addHostPathVolume('host-usr-local-bin', '/usr/local/bin');
    ds.addHostPathVolume('host-etc-romana', '/etc/romana');
    ds.addHostPathVolume('run-path', '/var/run/romana');
    ds.addHostPathVolume('host-etc-rlog', '/etc/rlog');
    const args = this.agentArgs();
    ds.addContainer({
      name: 'romana-agent',
      image: ROMANA_AGENT_IMAGE,
      args: args.length > 0 ? args : undefined,
      env: [EnvEntry.fieldRef('NODENAME', 'spec.nodeName'), EnvEntry.fieldRef('NODEIP', 'status.hostIP')],
      security: NodeAgentSecurity.privileged(),
      mounts: [
        { volume: 'host-usr-local-bin', mountPath: '/host/usr/local/bin' },
        { volume: 'host-etc-romana', mountPath: '/host/etc/romana' },
        { volume: ds.cniBinVolume, mountPath: '/host/opt/cni/bin' },
        { volume: ds.cniConfVolume, mountPath: '/host/etc/cni/net.d' },
        { volume: 'run-path', mountPath: '/var/run/romana' },
        { volume: 'host-etc-rlog', mountPath: '/host/etc/rlog' },
      ],
    });
    ds.addJsonPatch(JsonPatch.add('/spec/template/spec/securityContext', { seLinuxOptions: { type: 'spc_t' } }));
    return ds;
  }

  private propProblems() {
    const sink = new ProblemSink();
    if (this.networkCidr !== undefined) {
      const c = Cidr.tryParse(this.networkCidr);
      if (!c || c.family !== IpFamily.IPV4) sink.error('networkCidr', 'is not an IPv4 prefix', this.networkCidr, 'write a CIDR such as "10.112.0.0/12"');
      else if (c.hasHostBits) sink.error('networkCidr', 'has host bits set', this.networkCidr, `use the network address ${c.canonical.toString()}`);
    }
    const svc = Cidr.tryParse(this.serviceClusterIpRange);
    if (!svc || svc.family !== IpFamily.IPV4) {
      sink.error('serviceClusterIpRange', 'is not an IPv4 prefix', this.serviceClusterIpRange, 'write the Service CIDR, e.g. "10.96.0.0/12"');
    } else {
      for (const [field, ip] of [['etcd.clusterIP', this.etcdClusterIP], ['daemonClusterIP', this.daemonClusterIP]] as const) {
        const a = IpAddress.tryParse(ip);
        if (!a) sink.error(field, 'is not an IP address', ip, 'write an address of the Service CIDR');
        else if (!svc.contains(a)) sink.error(field, `is outside the service range ${this.serviceClusterIpRange}`, ip, 'pick a free address inside serviceClusterIpRange');
      }
      if (this.etcdClusterIP === this.daemonClusterIP) {
        sink.error('daemonClusterIP', 'equals etcd.clusterIP', this.daemonClusterIP, 'give the two Services different addresses');
      }
      const net = this.networkCidr === undefined ? undefined : Cidr.tryParse(this.networkCidr);
      if (net && net.overlaps(svc)) {
        sink.error('networkCidr', `overlaps the service range ${this.serviceClusterIpRange}`, this.networkCidr, 'use a pod network apart from the Service CIDR');
      }
    }
    if (this.mtu !== undefined && (!Number.isInteger(this.mtu) || this.mtu < 576 || this.mtu > 9216)) {
      sink.error('mtu', 'is not a usable MTU', this.mtu, 'use an integer from 576 to 9216, or leave it unset for the interface MTU');
    }
    if (!Number.isInteger(this.etcdPort) || this.etcdPort < 1 || this.etcdPort > 65535) {
      sink.error('etcd.port', 'is not a port number', this.etcdPort, 'use an integer from 1 to 65535');
    }
    return sink.problems;
  }
}

/**
 * Tolerations of every Romana workload: upstream's master and not-ready ones (written as upstream,
 * `{key, effect}`: operator Equal with an empty value), plus the control-plane taint of 1.25+.
 */
const ROMANA_TOLERATIONS: readonly k8s.Toleration[] = [
  { key: 'node-role.kubernetes.io/master', effect: TaintEffect.NO_SCHEDULE },
  { key: 'node-role.kubernetes.io/control-plane', effect: TaintEffect.NO_SCHEDULE },
  { key: 'node.kubernetes.io/not-ready', effect: TaintEffect.NO_SCHEDULE },
];
