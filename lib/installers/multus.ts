/**
 * Multus CNI v4.3.0, thick (default, `deployments/multus-daemonset-thick.yml`) or thin
 * (`deployments/multus-daemonset.yml`): the NetworkAttachmentDefinition CRD, the `multus`
 * ClusterRole/Binding and ServiceAccount, a ConfigMap built from a typed {@link MultusDaemonConfProps}
 * and the `kube-multus-ds` DaemonSet with its init container and mounts.
 *
 * Intended differences from upstream (all documented next to the test assertions):
 * - images pinned to `v4.3.0-thick` / `v4.3.0` instead of `snapshot-thick` / `snapshot`;
 * - a `kubernetes.io/os: linux` nodeSelector (the Multus images are Linux-only);
 * - `imagePullPolicy: IfNotPresent` written explicitly (upstream leaves the default, which is
 *   `IfNotPresent` for a non-`latest` tag);
 * - thin: the ConfigMap holds the typed configuration instead of a sample flannel delegate;
 * - `readinessindicatorfile` is set from the primary network of the cluster when one is known.
 *
 * Co-existence: `Multus.of(scope)` finds the Multus of the same cluster (see
 * lib/installers/cluster-network.ts `assignCluster`); the cluster networks' guards read `mode` and
 * `chrootDir`.
 */
import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { ProblemSink, formatProblem, throwIfErrors } from '../cni/problem';
import { ClusterNetwork, sameClusterConstructs } from './cluster-network';
import { ContainerImage } from './container-image';
import { networkAttachmentDefinitionCrd } from './crd';
import { ICniPluginProvider } from './inventory';
import {
  MULTUS_DAEMON_ONLY_KEYS, MULTUS_THICK_DEFAULTS, MultusDaemonConfProps, MultusNetConfProps, checkMultusConf, renderMultusConf,
} from './multus-config';
import {
  EnvEntry, ImagePullPolicy, KUBE_SYSTEM, MountPropagation, NodeAgentDaemonSet, NodeAgentResources, NodeAgentSecurity,
  PriorityClass, TaintEffect, Toleration, UpdateStrategy,
} from './node-agent';
import { NodeAgentIdentity, RbacRule } from './node-agent-identity';
import { assertArg, assertProps, pEnum, pInstance, pString, propsShape } from '../cni/props-check';
import { BOOL_PROP, COUNT_PROP, IMAGE_PROP, OBJECT_PROP, STRING_MAP_PROP, STRING_PROP, TOLERATIONS_PROP } from './installer-props';
import { PRIORITY_CLASS_PROP } from './node-agent';

/** The Multus release this module reproduces. */
export const MULTUS_VERSION = 'v4.3.0';
/** The thick image (the release tag of `image-push-release.yml`). */
export const MULTUS_THICK_IMAGE = ContainerImage.of(`ghcr.io/k8snetworkplumbingwg/multus-cni:${MULTUS_VERSION}-thick`);
/** The thin image. */
export const MULTUS_THIN_IMAGE = ContainerImage.of(`ghcr.io/k8snetworkplumbingwg/multus-cni:${MULTUS_VERSION}`);

/** Thick (client/server: the shim talks to a per-node daemon) or thin (one binary). */
export enum MultusMode {
  THICK = 'thick',
  THIN = 'thin',
}

/**
 * The primary (cluster) network Multus delegates to first; it decides the
 * `readinessindicatorfile` (`cni-daemonsets.md` §11.3). The file is a path on the host.
 */
export class PrimaryNetwork {
  /** Flannel: `/run/flannel/subnet.env`, written by flanneld once it has a lease. */
  public static readonly FLANNEL = new PrimaryNetwork('flannel', '/run/flannel/subnet.env');
  /** Calico: its conflist (written by the install-cni init container). */
  public static readonly CALICO = new PrimaryNetwork('calico', '/etc/cni/net.d/10-calico.conflist');
  /** Cilium: its conflist, written by the agent only when it is ready. */
  public static readonly CILIUM = new PrimaryNetwork('cilium', '/etc/cni/net.d/05-cilium.conflist');
  /** Weave Net: its conflist. */
  public static readonly WEAVE_NET = new PrimaryNetwork('weave-net', '/etc/cni/net.d/10-weave.conflist');
  /** kube-router: its conflist. */
  public static readonly KUBE_ROUTER = new PrimaryNetwork('kube-router', '/etc/cni/net.d/10-kuberouter.conflist');
  /** Romana: its single `.conf`. */
  public static readonly ROMANA = new PrimaryNetwork('romana', '/etc/cni/net.d/10-romana.conf');
  /** Any other primary network, with the host file whose existence means it is ready. */
  public static custom(name: string, readinessIndicatorFile: string): PrimaryNetwork {
    assertArg(pString(), name, 'name', 'PrimaryNetwork.custom', 'name the primary network');
    assertArg(pString({ pattern: /^\//, patternText: 'an absolute path' }), readinessIndicatorFile, 'readinessIndicatorFile', 'PrimaryNetwork.custom', 'give the absolute path of the file the primary network writes when ready');
    return new PrimaryNetwork(name, readinessIndicatorFile);
  }
  private constructor(public readonly name: string, public readonly readinessIndicatorFile: string) {}
}

/** Properties of {@link Multus}. */
export interface MultusProps {
  /** @default MultusMode.THICK */
  readonly mode?: MultusMode;
  /** @default 'kube-system' */
  readonly namespace?: string;
  /** @default MULTUS_THICK_IMAGE or MULTUS_THIN_IMAGE, by mode */
  readonly image?: ContainerImage;
  /**
   * The Multus configuration. Thick: merged over the upstream `daemon-config.json`
   * (the defaults of Multus's thick daemon configuration); every key goes into the ConfigMap. Thin: the keys become
   * `thin_entrypoint` flags; keys it has no flag for (clusterNetwork, defaultNetworks, ...) make
   * the entrypoint use the ConfigMap file instead of `auto` (then `clusterNetwork` is required).
   * In thick mode paths are as the daemon container sees them (`/host/...`, `/hostroot/...`).
   * @default - the upstream configuration
   */
  readonly config?: MultusDaemonConfProps;
  /**
   * The primary network; sets `readinessindicatorfile` unless `config.readinessIndicatorFile` is
   * given. In thick mode the host path is translated to the daemon container's view.
   * @default - the cluster network construct of the same cluster, if any; else no readiness file
   */
  readonly primaryNetwork?: PrimaryNetwork;
  /** Install the NetworkAttachmentDefinition CRD. @default true */
  readonly installCrd?: boolean;
  /**
   * Grant read on DRA `resource.k8s.io` resourceclaims/resourceslices (Multus master after v4.3.0).
   * @default false
   */
  readonly draResourceClaims?: boolean;
  /** @default [{operator: Exists, effect: NoSchedule}, {operator: Exists, effect: NoExecute}] (upstream) */
  readonly tolerations?: k8s.Toleration[];
  /** @default PriorityClass.NONE (upstream sets none) */
  readonly priorityClass?: PriorityClass;
  /** @default { 'kubernetes.io/os': 'linux' } */
  readonly nodeSelector?: Record<string, string>;
  /** @default 10 (v4.3.0) */
  readonly terminationGracePeriodSeconds?: number;
  /** The daemon container. @default requests = limits = 100m / 50Mi (upstream) */
  readonly resources?: NodeAgentResources;
  /** Host directory of CNI binaries. @default '/opt/cni/bin' */
  readonly cniBinDir?: string;
  /** Host directory of CNI configs. @default '/etc/cni/net.d' */
  readonly cniConfDir?: string;
}

const MULTUS_SYMBOL = Symbol.for('cdk8s-nfv.Multus');
/** Thin flags for the configuration keys `thin_entrypoint` accepts. */
const THIN_FLAGS: ReadonlyArray<readonly [keyof MultusNetConfProps, string]> = [
  ['cniVersion', '--cni-version'],
  ['namespaceIsolation', '--namespace-isolation'],
  ['globalNamespaces', '--global-namespaces'],
  ['logToStderr', '--multus-log-to-stderr'],
  ['logLevel', '--multus-log-level'],
  ['logFile', '--multus-log-file'],
  ['readinessIndicatorFile', '--readiness-indicator-file'],
];
/** The thin ConfigMap's file inside the container. */
const THIN_CONF_MOUNT = '/tmp/multus-conf';
const THIN_CONF_FILE = '70-multus.conf';
/** Where the thin entrypoint writes the kubeconfig (host path, as the multus binary reads it). */
const THIN_KUBECONFIG = '/etc/cni/net.d/multus.d/multus.kubeconfig';

/** The shape of {@link MultusProps} (runtime checks for callers without a type checker). */
const MULTUS_PROPS_SHAPE = propsShape('MultusProps', {
  mode: pEnum(MultusMode, 'MultusMode'),
  namespace: STRING_PROP,
  image: IMAGE_PROP,
  config: OBJECT_PROP,
  primaryNetwork: pInstance([PrimaryNetwork], 'a PrimaryNetwork', 'use a PrimaryNetwork such as PrimaryNetwork.custom(name, file)'),
  installCrd: BOOL_PROP,
  draResourceClaims: BOOL_PROP,
  tolerations: TOLERATIONS_PROP,
  priorityClass: PRIORITY_CLASS_PROP,
  nodeSelector: STRING_MAP_PROP,
  terminationGracePeriodSeconds: COUNT_PROP,
  resources: OBJECT_PROP,
  cniBinDir: STRING_PROP,
  cniConfDir: STRING_PROP,
});

/** Multus CNI: see the module header. */
export class Multus extends Construct implements ICniPluginProvider {
  /** Whether `x` is a Multus construct (works across copies of the library). */
  public static isMultus(x: unknown): x is Multus {
    return x !== null && typeof x === 'object' && MULTUS_SYMBOL in (x as object);
  }

  /** The Multus of the cluster of `scope` (see `assignCluster`), or undefined. */
  public static of(scope: IConstruct): Multus | undefined {
    return sameClusterConstructs(scope).find(Multus.isMultus);
  }

  public readonly mode: MultusMode;
  public readonly namespace: string;
  public readonly image: ContainerImage;
  /** The thick daemon's `chrootDir` (undefined in thin mode or when unset). */
  public readonly chrootDir?: string;
  /** The configuration as given, merged over the defaults of the mode. */
  public readonly config: MultusDaemonConfProps;
  public readonly primaryNetwork?: PrimaryNetwork;
  public readonly configMapName: string;
  public readonly providedCniTypes: readonly string[];
  public readonly daemonSet: NodeAgentDaemonSet;
  public readonly identity: NodeAgentIdentity;
  public readonly configMap: k8s.KubeConfigMap;
  public readonly crd?: k8s.KubeCustomResourceDefinition;

  constructor(scope: Construct, id: string, props: MultusProps = {}) {
    super(scope, id);
    assertProps(MULTUS_PROPS_SHAPE, props, `Multus ${this.node.path}`);
    Object.defineProperty(this, MULTUS_SYMBOL, { value: true });
    this.mode = props.mode ?? MultusMode.THICK;
    const thick = this.mode === MultusMode.THICK;
    this.namespace = props.namespace ?? KUBE_SYSTEM;
    this.image = props.image ?? (thick ? MULTUS_THICK_IMAGE : MULTUS_THIN_IMAGE);
    this.config = thick ? { ...MULTUS_THICK_DEFAULTS, ...(props.config ?? {}) } : { ...(props.config ?? {}) };
    this.chrootDir = thick ? this.config.chrootDir : undefined;
    this.primaryNetwork = props.primaryNetwork;
    this.configMapName = thick ? 'multus-daemon-config' : 'multus-cni-config';
    this.providedCniTypes = thick ? ['multus-shim', 'passthru'] : ['multus', 'passthru'];

    const sink = new ProblemSink();
    checkMultusConf(sink.child('config'), this.config);
    if (!thick) {
      for (const k of MULTUS_DAEMON_ONLY_KEYS) {
        if (this.config[k] !== undefined) {
          sink.error(`config.${k}`, 'is a thick daemon key; the thin plugin has no such setting', this.config[k], 'remove it, or use mode: MultusMode.THICK');
        }
      }
    }
    if (!thick && this.thinNeedsConfFile && this.config.clusterNetwork === undefined) {
      sink.error('config.clusterNetwork', `is required in thin mode when the config sets keys thin_entrypoint has no flag for (${this.thinFileOnlyKeys.join(', ')})`,
        undefined, 'set clusterNetwork to the primary network (e.g. a CNI config name such as "cbr0"), or drop those keys');
    }
    if (props.primaryNetwork && this.config.readinessIndicatorFile !== undefined) {
      sink.error('config.readinessIndicatorFile', `is set and so is primaryNetwork (${props.primaryNetwork.name})`, this.config.readinessIndicatorFile,
        'set only primaryNetwork (the file is derived from it) or only readinessIndicatorFile');
    }
    throwIfErrors(sink.problems, `Multus ${this.node.path}`);

    const labels = { tier: 'node', app: 'multus' };
    if (props.installCrd ?? true) this.crd = networkAttachmentDefinitionCrd(this, 'Crd');

    const podRule: RbacRule = thick
      ? { apiGroups: [''], resources: ['pods', 'pods/status'], verbs: ['get', 'list', 'update', 'watch'] }
      : { apiGroups: [''], resources: ['pods', 'pods/status'], verbs: ['get', 'update'] };
    const rules: RbacRule[] = [
      { apiGroups: ['k8s.cni.cncf.io'], resources: ['*'], verbs: ['*'] },
      podRule,
    ];
    if (props.draResourceClaims) {
      rules.push({ apiGroups: ['resource.k8s.io'], resources: ['resourceclaims', 'resourceclaims/status', 'resourceslices'], verbs: ['get', 'list'] });
    }
    rules.push({ apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] });
    this.identity = new NodeAgentIdentity(this, 'Identity', { name: 'multus', namespace: this.namespace, clusterRules: rules });

    this.configMap = new k8s.KubeConfigMap(this, 'ConfigMap', {
      metadata: { name: this.configMapName, namespace: this.namespace, labels },
      data: Lazy.any({ produce: () => this.renderConfigMapData() }) as any,
    });

    this.daemonSet = new NodeAgentDaemonSet(this, 'DaemonSet', {
      name: 'kube-multus-ds',
      namespace: this.namespace,
      selectorLabels: { name: 'multus' },
      labels,
      hostNetwork: true,
      hostPid: thick,
      tolerations: props.tolerations ?? [Toleration.exists({ effect: TaintEffect.NO_SCHEDULE }), Toleration.exists({ effect: TaintEffect.NO_EXECUTE })],
      priorityClass: props.priorityClass ?? PriorityClass.NONE,
      nodeSelector: props.nodeSelector,
      serviceAccountName: this.identity.serviceAccountName,
      updateStrategy: UpdateStrategy.rollingUpdate(),
      terminationGracePeriodSeconds: props.terminationGracePeriodSeconds ?? 10,
      cniBinDir: props.cniBinDir,
      cniConfDir: props.cniConfDir,
      cniBinVolumeName: 'cnibin',
      cniConfVolumeName: 'cni',
    });
    const ds = this.daemonSet;
    const installResources: NodeAgentResources = { requests: { cpu: '10m', memory: '15Mi' } };
    const daemonResources: NodeAgentResources = props.resources ?? { requests: { cpu: '100m', memory: '50Mi' }, limits: { cpu: '100m', memory: '50Mi' } };
    const cnibinInstall = { volume: ds.cniBinVolume, mountPath: '/host/opt/cni/bin', propagation: MountPropagation.BIDIRECTIONAL };

    if (thick) {
      ds.addInitContainer({
        name: 'install-multus-binary',
        image: this.image,
        imagePullPolicy: ImagePullPolicy.IF_NOT_PRESENT,
        command: ['/usr/src/multus-cni/bin/install_multus', '-d', '/host/opt/cni/bin', '-t', 'thick'],
        resources: installResources,
        security: NodeAgentSecurity.privileged(),
        terminationMessagePolicy: 'FallbackToLogsOnError',
        mounts: [cnibinInstall],
      });
      ds.addHostPathVolume('hostroot', '/')
        .addHostPathVolume('host-run', '/run')
        .addHostPathVolume('host-var-lib-cni-multus', '/var/lib/cni/multus')
        .addHostPathVolume('host-var-lib-kubelet', '/var/lib/kubelet')
        .addHostPathVolume('host-run-k8s-cni-cncf-io', '/run/k8s.cni.cncf.io')
        .addHostPathVolume('host-run-netns', '/run/netns/')
        .addHostPathVolume('multus-conf-dir', '/etc/cni/multus/net.d')
        .addConfigMapVolume('multus-daemon-config', this.configMapName, { items: [{ key: 'daemon-config.json', path: 'daemon-config.json' }] });
      ds.addContainer({
        name: 'kube-multus',
        image: this.image,
        command: ['/usr/src/multus-cni/bin/multus-daemon'],
        resources: daemonResources,
        security: NodeAgentSecurity.privileged(),
        terminationMessagePolicy: 'FallbackToLogsOnError',
        env: [EnvEntry.fieldRef('MULTUS_NODE_NAME', 'spec.nodeName')],
        mounts: [
          { volume: ds.cniConfVolume, mountPath: '/host/etc/cni/net.d' },
          // the daemon needs the CNI bin directory at the same path as on the host
          { volume: ds.cniBinVolume, mountPath: ds.cniBinDir },
          { volume: 'host-run', mountPath: '/host/run' },
          { volume: 'host-var-lib-cni-multus', mountPath: '/var/lib/cni/multus' },
          { volume: 'host-var-lib-kubelet', mountPath: '/var/lib/kubelet', propagation: MountPropagation.HOST_TO_CONTAINER },
          { volume: 'host-run-k8s-cni-cncf-io', mountPath: '/run/k8s.cni.cncf.io' },
          { volume: 'host-run-netns', mountPath: '/run/netns', propagation: MountPropagation.HOST_TO_CONTAINER },
          { volume: 'multus-daemon-config', mountPath: '/etc/cni/net.d/multus.d', readOnly: true },
          { volume: 'hostroot', mountPath: '/hostroot', propagation: MountPropagation.HOST_TO_CONTAINER },
          { volume: 'multus-conf-dir', mountPath: '/etc/cni/multus/net.d' },
        ],
      });
    } else {
      ds.addInitContainer({
        name: 'install-multus-binary',
        image: this.image,
        command: ['/install_multus'],
        args: ['--type', 'thin'],
        resources: installResources,
        security: NodeAgentSecurity.privileged(),
        terminationMessagePolicy: 'FallbackToLogsOnError',
        mounts: [cnibinInstall],
      });
      ds.addConfigMapVolume('multus-cfg', this.configMapName, { items: [{ key: 'cni-conf.json', path: THIN_CONF_FILE }] });
      ds.addContainer({
        name: 'kube-multus',
        image: this.image,
        command: ['/thin_entrypoint'],
        args: Lazy.any({ produce: () => this.thinArgs() }) as unknown as string[],
        resources: daemonResources,
        security: NodeAgentSecurity.privileged(),
        terminationMessagePolicy: 'FallbackToLogsOnError',
        mounts: [
          { volume: ds.cniConfVolume, mountPath: '/host/etc/cni/net.d' },
          { volume: ds.cniBinVolume, mountPath: '/host/opt/cni/bin' },
          { volume: 'multus-cfg', mountPath: THIN_CONF_MOUNT },
        ],
      });
    }
    this.node.addValidation({ validate: () => this.primaryNetworkProblems() });
  }

  /**
   * The primary network in effect: the one given, else the cluster network construct of the same
   * cluster (when exactly one).
   */
  public get effectivePrimaryNetwork(): PrimaryNetwork | undefined {
    if (this.primaryNetwork) return this.primaryNetwork;
    const nets = ClusterNetwork.inClusterOf(this);
    if (nets.length !== 1) return undefined;
    return PrimaryNetwork.custom(nets[0].provider, nets[0].readinessIndicatorFile);
  }

  /** The `readinessindicatorfile` written (container path in thick mode), or undefined. */
  public get readinessIndicatorFile(): string | undefined {
    if (this.config.readinessIndicatorFile !== undefined) return this.config.readinessIndicatorFile;
    const p = this.effectivePrimaryNetwork;
    if (!p) return undefined;
    return this.mode === MultusMode.THICK ? this.daemonViewOf(p.readinessIndicatorFile) : p.readinessIndicatorFile;
  }

  /** The effective configuration, with the readiness file resolved. */
  public get effectiveConfig(): MultusDaemonConfProps {
    return { ...this.config, readinessIndicatorFile: this.readinessIndicatorFile };
  }

  /**
   * Where the thick daemon container sees a host path: the CNI config dir at
   * `/host/etc/cni/net.d`, `/run` at `/host/run`, anything else under `/hostroot`.
   */
  public daemonViewOf(hostPath: string): string {
    const conf = this.daemonSet.cniConfDir.replace(/\/$/, '');
    if (hostPath === conf || hostPath.startsWith(`${conf}/`)) return `/host/etc/cni/net.d${hostPath.slice(conf.length)}`;
    if (hostPath.startsWith('/run/')) return `/host${hostPath}`;
    return `/hostroot${hostPath}`;
  }

  private get thinFileOnlyKeys(): string[] {
    const flagged = new Set(THIN_FLAGS.map(([k]) => k));
    return (Object.keys(this.config) as (keyof MultusDaemonConfProps)[])
      .filter((k) => this.config[k] !== undefined && !flagged.has(k as keyof MultusNetConfProps) && !MULTUS_DAEMON_ONLY_KEYS.includes(k));
  }

  private get thinNeedsConfFile(): boolean {
    return this.thinFileOnlyKeys.length > 0;
  }

  private thinArgs(): string[] {
    const confFile = this.thinNeedsConfFile ? `${THIN_CONF_MOUNT}/${THIN_CONF_FILE}` : 'auto';
    const args = [`--multus-conf-file=${confFile}`, '--multus-autoconfig-dir=/host/etc/cni/net.d', '--cni-conf-dir=/host/etc/cni/net.d'];
    const conf = renderMultusConf(this.effectiveConfig);
    for (const [prop, flag] of THIN_FLAGS) {
      const key = prop === 'readinessIndicatorFile' ? 'readinessindicatorfile' : prop;
      if (conf[key] !== undefined) args.push(`${flag}=${String(conf[key])}`);
    }
    return args;
  }

  private renderConfigMapData(): Record<string, string> {
    if (this.mode === MultusMode.THICK) {
      return { 'daemon-config.json': `${JSON.stringify(renderMultusConf(this.effectiveConfig), undefined, 2)}\n` };
    }
    const conf = renderMultusConf(this.effectiveConfig);
    const file: Record<string, unknown> = {
      cniVersion: conf.cniVersion ?? '0.3.1',
      name: 'multus-cni-network',
      type: 'multus',
      ...conf,
      kubeconfig: THIN_KUBECONFIG,
    };
    if (file.capabilities === undefined) file.capabilities = { portMappings: true };
    return { 'cni-conf.json': `${JSON.stringify(file, undefined, 2)}\n` };
  }

  private primaryNetworkProblems(): string[] {
    const sink = new ProblemSink();
    const nets = ClusterNetwork.inClusterOf(this);
    if (this.primaryNetwork) {
      const other = nets.find((n) => n.readinessIndicatorFile !== this.primaryNetwork!.readinessIndicatorFile);
      if (other) {
        sink.error('primaryNetwork', `names ${this.primaryNetwork.name} but the cluster network of this cluster is ${other.provider} (${other.node.path})`,
          this.primaryNetwork.name, `set primaryNetwork to the ${other.provider} one, or leave it unset to follow the cluster network`);
      }
    }
    return sink.problems.map(formatProblem);
  }
}
