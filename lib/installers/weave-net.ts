import { JsonPatch } from 'cdk8s';
import { IConstruct, Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { Cidr, IpFamily } from '../addressing/ip';
import { ProblemSink, reportProblems } from '../cni/problem';
import { ClusterNetwork, ClusterNetworkProvider } from './cluster-network';
import { ContainerImage } from './container-image';
import { EnvEntry, HostPathType, KUBE_SYSTEM, NodeAgentDaemonSet, NodeAgentSecurity, TaintEffect, Toleration, UpdateStrategy } from './node-agent';
import { NodeAgentIdentity } from './node-agent-identity';
import { assertProps, pArray, pEnum, propsShape } from '../cni/props-check';
import { BOOL_PROP, COUNT_PROP, IMAGE_PROP, MTU_PROP, OBJECT_PROP, STRING_PROP, TEXT_PROP } from './installer-props';

/**
 * Weave Net v2.8.1 (archived project), from the release asset `weave-daemonset-k8s.yaml`:
 * ServiceAccount, ClusterRole, ClusterRoleBinding, Role and RoleBinding `weave-net` (the IPAM
 * peer-list ConfigMap lock) and the `weave-net` DaemonSet (weave + weave-npc, init weave-init, all
 * privileged). Upstream wraps the six objects in one `kind: List`; they are rendered here as
 * individual objects, which is what `kubectl apply` creates from the List anyway.
 */

/** The weave router image of the v2.8.1 release (docker.io, frozen). */
export const WEAVE_KUBE_IMAGE = ContainerImage.of('weaveworks/weave-kube:2.8.1');
/** The weave network-policy controller image of the v2.8.1 release. */
export const WEAVE_NPC_IMAGE = ContainerImage.of('weaveworks/weave-npc:2.8.1');

/** A key of a Secret, for env `valueFrom.secretKeyRef`. */
export interface SecretKeyReference {
  /** The Secret's name (in kube-system). */
  readonly secretName: string;
  /** The key holding the value. */
  readonly key: string;
}

/** `IPTABLES_BACKEND`. */
export enum WeaveIptablesBackend {
  NFT = 'nft',
  LEGACY = 'legacy',
}

/** Properties of {@link WeaveNet}. */
export interface WeaveNetProps {
  /** The pod network (`IPALLOC_RANGE`). @default - weave's 10.32.0.0/12; no env written */
  readonly ipallocRange?: string;
  /**
   * The encryption password, read from a Secret you create (`WEAVE_PASSWORD` from
   * `secretKeyRef`). Upstream leaves encryption off.
   * @default - no encryption
   */
  readonly password?: SecretKeyReference;
  /** `WEAVE_MTU`. @default - weave's 1376; no env written */
  readonly mtu?: number;
  /** `CONN_LIMIT`. @default - weave's 200; no env written */
  readonly connLimit?: number;
  /** `NO_MASQ_LOCAL`: keep client source IPs for local-traffic services. @default - weave's default; no env written */
  readonly noMasqLocal?: boolean;
  /** `EXPECT_NPC`: false when weave-npc is not wanted. @default true (weave-npc runs; no env written) */
  readonly expectNpc?: boolean;
  /** `IPTABLES_BACKEND`. @default - auto-detected; no env written */
  readonly iptablesBackend?: WeaveIptablesBackend;
  /** `EXTRA_ARGS` of the router, e.g. `['--log-level=debug']`. @default - none */
  readonly extraArgs?: readonly string[];
  /** Router image. @default WEAVE_KUBE_IMAGE */
  readonly image?: ContainerImage;
  /** weave-npc image. @default WEAVE_NPC_IMAGE */
  readonly npcImage?: ContainerImage;
}

/** The shape of {@link WeaveNetProps} (runtime checks for callers without a type checker). */
const WEAVE_NET_PROPS_SHAPE = propsShape('WeaveNetProps', {
  ipallocRange: STRING_PROP,
  password: OBJECT_PROP,
  mtu: MTU_PROP,
  connLimit: COUNT_PROP,
  noMasqLocal: BOOL_PROP,
  expectNpc: BOOL_PROP,
  iptablesBackend: pEnum(WeaveIptablesBackend, 'WeaveIptablesBackend'),
  extraArgs: pArray(TEXT_PROP),
  image: IMAGE_PROP,
  npcImage: IMAGE_PROP,
});

/** Weave Net, as the v2.8.1 release asset installs it, in kube-system. */
export class WeaveNet extends ClusterNetwork {
  public readonly provider = ClusterNetworkProvider.WEAVE_NET;
  public readonly cniConfigFile = '10-weave.conflist';
  public readonly readinessIndicatorFile = '/etc/cni/net.d/10-weave.conflist';
  public readonly providedCniTypes: readonly string[] = ['weave-net', 'weave-ipam'];

  public readonly ipallocRange?: string;
  public readonly password?: SecretKeyReference;
  public readonly mtu?: number;
  public readonly connLimit?: number;
  public readonly noMasqLocal?: boolean;
  public readonly expectNpc: boolean;
  public readonly iptablesBackend?: WeaveIptablesBackend;
  public readonly extraArgs: readonly string[];
  public readonly image: ContainerImage;
  public readonly npcImage: ContainerImage;
  public readonly identity: NodeAgentIdentity;
  public readonly daemonSet: NodeAgentDaemonSet;

  constructor(scope: Construct, id: string, props: WeaveNetProps = {}) {
    super(scope, id);
    assertProps(WEAVE_NET_PROPS_SHAPE, props, `WeaveNet ${this.node.path}`);
    this.ipallocRange = props.ipallocRange;
    this.password = props.password;
    this.mtu = props.mtu;
    this.connLimit = props.connLimit;
    this.noMasqLocal = props.noMasqLocal;
    this.expectNpc = props.expectNpc ?? true;
    this.iptablesBackend = props.iptablesBackend;
    this.extraArgs = [...(props.extraArgs ?? [])];
    this.image = props.image ?? WEAVE_KUBE_IMAGE;
    this.npcImage = props.npcImage ?? WEAVE_NPC_IMAGE;
    reportProblems(this.propProblems(), `WeaveNet ${this.node.path}`);

    this.identity = new NodeAgentIdentity(this, 'Identity', {
      name: 'weave-net',
      labels: { name: 'weave-net' },
      clusterRules: [
        { apiGroups: [''], resources: ['pods', 'namespaces', 'nodes'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['extensions'], resources: ['networkpolicies'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch', 'update'] },
      ],
      roles: [{
        name: 'weave-net',
        rules: [
          { apiGroups: [''], resources: ['configmaps'], resourceNames: ['weave-net'], verbs: ['get', 'update'] },
          { apiGroups: [''], resources: ['configmaps'], verbs: ['create'] },
        ],
      }],
    });
    this.daemonSet = this.buildDaemonSet();
  }

  /** The env of the `weave` container. */
  public routerEnv(): k8s.EnvVar[] {
    const env: k8s.EnvVar[] = [
      EnvEntry.value('INIT_CONTAINER', 'true'),
      // upstream also writes `apiVersion: v1` in this fieldRef (the default)
      EnvEntry.fieldRef('HOSTNAME', 'spec.nodeName'),
    ];
    if (this.ipallocRange !== undefined) env.push(EnvEntry.value('IPALLOC_RANGE', this.ipallocRange));
    if (this.password) env.push(EnvEntry.secretKey('WEAVE_PASSWORD', this.password.secretName, this.password.key));
    if (this.mtu !== undefined) env.push(EnvEntry.value('WEAVE_MTU', String(this.mtu)));
    if (this.connLimit !== undefined) env.push(EnvEntry.value('CONN_LIMIT', String(this.connLimit)));
    if (this.noMasqLocal !== undefined) env.push(EnvEntry.value('NO_MASQ_LOCAL', this.noMasqLocal ? '1' : '0'));
    if (!this.expectNpc) env.push(EnvEntry.value('EXPECT_NPC', '0'));
    if (this.iptablesBackend !== undefined) env.push(EnvEntry.value('IPTABLES_BACKEND', this.iptablesBackend));
    if (this.extraArgs.length > 0) env.push(EnvEntry.value('EXTRA_ARGS', this.extraArgs.join(' ')));
    return env;
  }

  protected checkCoexistence(_sink: ProblemSink, _peers: IConstruct[]): void {
    // Weave writes 10-weave.conflist only if absent and touches no other file: nothing to check
    // beyond the one-primary-network rule of the base.
  }

  private buildDaemonSet(): NodeAgentDaemonSet {
    const ds = new NodeAgentDaemonSet(this, 'Resource', {
      name: 'weave-net',
      selectorLabels: { name: 'weave-net' },
      tolerations: [Toleration.exists({ effect: TaintEffect.NO_SCHEDULE }), Toleration.exists({ effect: TaintEffect.NO_EXECUTE })],
      // upstream has no nodeSelector
      nodeSelector: {},
      serviceAccountName: this.identity.serviceAccountName,
      dnsPolicy: 'ClusterFirstWithHostNet',
      restartPolicy: 'Always',
      updateStrategy: UpdateStrategy.rollingUpdate(),
      // weave mounts the parents of the CNI directories (/opt, /etc), not the directories
      cniBinVolumeName: 'cni-bin', cniBinDir: '/opt',
      cniConfVolumeName: 'cni-conf', cniConfDir: '/etc',
    });
    ds.addHostPathVolume('weavedb', '/var/lib/weave');
    ds.addHostPathVolume('cni-bin2', '/home');
    ds.addHostPathVolume('cni-machine-id', '/etc/machine-id');
    ds.addHostPathVolume('dbus', '/var/lib/dbus');
    ds.addHostPathVolume('lib-modules', '/lib/modules');
    ds.addHostPathVolume('xtables-lock', '/run/xtables.lock', HostPathType.FILE_OR_CREATE);
    const xtables = { volume: 'xtables-lock', mountPath: '/run/xtables.lock', readOnly: false };
    ds.addInitContainer({
      name: 'weave-init',
      image: this.image,
      command: ['/home/weave/init.sh'],
      security: NodeAgentSecurity.privileged(),
      mounts: [
        { volume: 'cni-bin', mountPath: '/host/opt' },
        { volume: 'cni-bin2', mountPath: '/host/home' },
        { volume: 'cni-conf', mountPath: '/host/etc' },
        { volume: 'lib-modules', mountPath: '/lib/modules' },
        xtables,
      ],
    });
    ds.addContainer({
      name: 'weave',
      image: this.image,
      command: ['/home/weave/launch.sh'],
      env: this.routerEnv(),
      readinessProbe: { httpGet: { host: '127.0.0.1', path: '/status', port: k8s.IntOrString.fromNumber(6784) } },
      resources: { requests: { cpu: '50m' } },
      security: NodeAgentSecurity.privileged(),
      mounts: [
        { volume: 'weavedb', mountPath: '/weavedb' },
        { volume: 'dbus', mountPath: '/host/var/lib/dbus', readOnly: true },
        { volume: 'cni-machine-id', mountPath: '/host/etc/machine-id', readOnly: true },
        xtables,
      ],
    });
    ds.addContainer({
      name: 'weave-npc',
      image: this.npcImage,
      env: [EnvEntry.fieldRef('HOSTNAME', 'spec.nodeName')],
      resources: { requests: { cpu: '50m' } },
      security: NodeAgentSecurity.privileged(),
      mounts: [xtables],
    });
    // upstream: `minReadySeconds: 5` (wait for the pod to connect before rolling the next) and
    // `hostPID: false`, `securityContext.seLinuxOptions: {}` (both the defaults; not written)
    ds.addJsonPatch(JsonPatch.add('/spec/minReadySeconds', 5));
    return ds;
  }

  private propProblems() {
    const sink = new ProblemSink();
    if (this.ipallocRange !== undefined) {
      const c = Cidr.tryParse(this.ipallocRange);
      if (!c || c.family !== IpFamily.IPV4) sink.error('ipallocRange', 'is not an IPv4 prefix', this.ipallocRange, 'write a CIDR such as "10.32.0.0/12"');
      else if (c.hasHostBits) sink.error('ipallocRange', 'has host bits set', this.ipallocRange, `use the network address ${c.canonical.toString()}`);
    }
    if (this.mtu !== undefined && (!Number.isInteger(this.mtu) || this.mtu < 576 || this.mtu > 9216)) {
      sink.error('mtu', 'is not a usable MTU', this.mtu, 'use an integer from 576 to 9216 (weave default 1376)');
    }
    if (this.connLimit !== undefined && (!Number.isInteger(this.connLimit) || this.connLimit < 1)) {
      sink.error('connLimit', 'is not a positive integer', this.connLimit, 'use a connection count such as 200');
    }
    if (this.password) {
      if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(this.password.secretName)) {
        sink.error('password.secretName', 'is not a Secret name', this.password.secretName, 'use a DNS-1123 name such as "weave-passwd"');
      }
      if (!/^[-._a-zA-Z0-9]+$/.test(this.password.key)) {
        sink.error('password.key', 'is not a Secret key', this.password.key, 'use letters, digits, "-", "_" and ".", e.g. "weave-passwd"');
      }
    }
    return sink.problems;
  }
}

/** The namespace Weave Net installs into. */
export const WEAVE_NET_NAMESPACE = KUBE_SYSTEM;
