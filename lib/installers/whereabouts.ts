/**
 * Whereabouts v0.9.4, the cluster-wide IPAM for secondary networks
 * (`doc/crds/daemonset-install.yaml`, the three CRDs, `reconciler-deployment.yaml`):
 * - CRDs `ippools`, `overlappingrangeipreservations`, `nodeslicepools`
 *   (`whereabouts.cni.cncf.io/v1alpha1`, Namespaced);
 * - ServiceAccount `whereabouts`, ClusterRole `whereabouts-cni` and ClusterRoleBinding
 *   `whereabouts` with exactly the upstream rules;
 * - ConfigMap `whereabouts-config` (`cron-expression`, the reconciler schedule);
 * - DaemonSet `whereabouts`: installs the binary and writes `whereabouts.d/` (config +
 *   kubeconfig) under the host's CNI config directory, keeps the token fresh and runs the
 *   pod-deletion control loop;
 * - Deployment `whereabouts-reconciler` (exactly 1 replica: there is no leader election), as
 *   v0.9.4 moved the reconciler out of the DaemonSet.
 *
 * Intended differences: images pinned to `v0.9.4`; CRD schemas simplified to objects whose `spec`
 * (and `status`) preserve unknown fields (the controller validates its own objects; the upstream
 * schemas are generated and incidental); a `kubernetes.io/os: linux` nodeSelector; the log level
 * is typed (upstream: `debug`).
 */
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { WhereaboutsLogLevel } from '../cni/ipam/whereabouts';
import { ProblemSink, throwIfErrors } from '../cni/problem';
import { ContainerImage } from './container-image';
import { simpleCrd } from './crd';
import { ICniPluginProvider } from './inventory';
import {
  EnvEntry, KUBE_SYSTEM, NodeAgentDaemonSet, NodeAgentResources, NodeAgentSecurity, PriorityClass, TaintEffect, Toleration,
  UpdateStrategy,
} from './node-agent';
import { NodeAgentIdentity, RbacRule } from './node-agent-identity';
import { assertProps, pEnum, propsShape } from '../cni/props-check';
import { BOOL_PROP, IMAGE_PROP, OBJECT_PROP, STRING_MAP_PROP, STRING_PROP, TOLERATIONS_PROP } from './installer-props';
import { PRIORITY_CLASS_PROP } from './node-agent';

/** The whereabouts release this module reproduces. */
export const WHEREABOUTS_VERSION = 'v0.9.4';
/** The pinned image. */
export const WHEREABOUTS_IMAGE = ContainerImage.of(`ghcr.io/k8snetworkplumbingwg/whereabouts:${WHEREABOUTS_VERSION}`);
/** The upstream reconciler schedule: every day at 04:30. */
export const WHEREABOUTS_DEFAULT_CRON = '30 4 * * *';
/** The API group of the whereabouts CRDs. */
export const WHEREABOUTS_GROUP = 'whereabouts.cni.cncf.io';


/** The exact rules of ClusterRole `whereabouts-cni` (v0.9.4). */
export const WHEREABOUTS_RBAC_RULES: readonly RbacRule[] = [
  { apiGroups: [WHEREABOUTS_GROUP], resources: ['ippools', 'overlappingrangeipreservations', 'nodeslicepools'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['*'] },
  { apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch', 'get'] },
  { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['k8s.cni.cncf.io'], resources: ['network-attachment-definitions'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update', 'get'] },
];

/** Properties of {@link Whereabouts}. */
export interface WhereaboutsProps {
  /** Where the IPPools live and the agents run. @default 'kube-system' */
  readonly namespace?: string;
  /** @default WHEREABOUTS_IMAGE (v0.9.4) */
  readonly image?: ContainerImage;
  /** The reconciler schedule (5-field cron). @default '30 4 * * *' */
  readonly reconcilerSchedule?: string;
  /** Run the reconciler Deployment. @default true */
  readonly reconciler?: boolean;
  /** `-log-level` of the control loop and the reconciler (the IPAM's own enum). @default WhereaboutsLogLevel.DEBUG (upstream) */
  readonly logLevel?: WhereaboutsLogLevel;
  /** Install the three CRDs. @default true */
  readonly installCrds?: boolean;
  /** Host directory of CNI binaries. @default '/opt/cni/bin' */
  readonly cniBinDir?: string;
  /** Host directory of CNI configs (whereabouts.d/ goes below). @default '/etc/cni/net.d' */
  readonly cniConfDir?: string;
  /** @default [{operator: Exists, effect: NoSchedule}] (upstream) */
  readonly tolerations?: k8s.Toleration[];
  /** @default PriorityClass.NONE (upstream sets none) */
  readonly priorityClass?: PriorityClass;
  /** @default { 'kubernetes.io/os': 'linux' } */
  readonly nodeSelector?: Record<string, string>;
  /** The DaemonSet container. @default requests 100m/100Mi, limits 100m/200Mi (upstream) */
  readonly resources?: NodeAgentResources;
}

const CRON_FIELD = /^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$/;

/** The shape of {@link WhereaboutsProps} (runtime checks for callers without a type checker). */
const WHEREABOUTS_PROPS_SHAPE = propsShape('WhereaboutsProps', {
  namespace: STRING_PROP,
  image: IMAGE_PROP,
  reconcilerSchedule: STRING_PROP,
  reconciler: BOOL_PROP,
  logLevel: pEnum(WhereaboutsLogLevel, 'WhereaboutsLogLevel'),
  installCrds: BOOL_PROP,
  cniBinDir: STRING_PROP,
  cniConfDir: STRING_PROP,
  tolerations: TOLERATIONS_PROP,
  priorityClass: PRIORITY_CLASS_PROP,
  nodeSelector: STRING_MAP_PROP,
  resources: OBJECT_PROP,
});

/** Whereabouts: see the module header. */
export class Whereabouts extends Construct implements ICniPluginProvider {
  public readonly namespace: string;
  public readonly image: ContainerImage;
  public readonly reconcilerSchedule: string;
  public readonly logLevel: WhereaboutsLogLevel;
  public readonly providedCniTypes: readonly string[] = ['whereabouts'];
  public readonly identity: NodeAgentIdentity;
  public readonly configMap: k8s.KubeConfigMap;
  public readonly daemonSet: NodeAgentDaemonSet;
  public readonly reconciler?: k8s.KubeDeployment;
  public readonly crds: k8s.KubeCustomResourceDefinition[] = [];

  constructor(scope: Construct, id: string, props: WhereaboutsProps = {}) {
    super(scope, id);
    assertProps(WHEREABOUTS_PROPS_SHAPE, props, `Whereabouts ${this.node.path}`);
    this.namespace = props.namespace ?? KUBE_SYSTEM;
    this.image = props.image ?? WHEREABOUTS_IMAGE;
    this.reconcilerSchedule = props.reconcilerSchedule ?? WHEREABOUTS_DEFAULT_CRON;
    this.logLevel = props.logLevel ?? WhereaboutsLogLevel.DEBUG;

    const sink = new ProblemSink();
    const fields = this.reconcilerSchedule.trim().split(/\s+/);
    if (fields.length !== 5 || !fields.every((f) => CRON_FIELD.test(f))) {
      sink.error('reconcilerSchedule', 'is not a 5-field cron expression', this.reconcilerSchedule, 'write minute hour day-of-month month day-of-week, e.g. "30 4 * * *"');
    }
    throwIfErrors(sink.problems, `Whereabouts ${this.node.path}`);

    if (props.installCrds ?? true) {
      const object = (description: string, status: boolean): k8s.JsonSchemaProps => ({
        description,
        type: 'object',
        properties: {
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          metadata: { type: 'object' },
          spec: { type: 'object', xKubernetesPreserveUnknownFields: true },
          ...(status ? { status: { type: 'object', xKubernetesPreserveUnknownFields: true } } : {}),
        },
      });
      this.crds.push(
        simpleCrd(this, 'IPPoolCrd', { group: WHEREABOUTS_GROUP, version: 'v1alpha1', kind: 'IPPool', plural: 'ippools', singular: 'ippool',
          schema: object('IPPool: the allocations of one range (spec.range, spec.allocations).', false) }),
        simpleCrd(this, 'OverlappingRangeIPReservationCrd', { group: WHEREABOUTS_GROUP, version: 'v1alpha1', kind: 'OverlappingRangeIPReservation',
          plural: 'overlappingrangeipreservations', singular: 'overlappingrangeipreservation',
          schema: object('OverlappingRangeIPReservation: one IP reserved across overlapping ranges (spec.podref, spec.containerid, spec.ifname).', false) }),
        simpleCrd(this, 'NodeSlicePoolCrd', { group: WHEREABOUTS_GROUP, version: 'v1alpha1', kind: 'NodeSlicePool', plural: 'nodeslicepools', singular: 'nodeslicepool',
          schema: object('NodeSlicePool: per-node slices of a range for Fast IPAM (spec.range, spec.sliceSize, status.allocations).', true) }),
      );
    }

    this.identity = new NodeAgentIdentity(this, 'Identity', {
      name: 'whereabouts',
      namespace: this.namespace,
      clusterRoleName: 'whereabouts-cni',
      clusterRoleBindingName: 'whereabouts',
      clusterRules: [...WHEREABOUTS_RBAC_RULES],
    });

    this.configMap = new k8s.KubeConfigMap(this, 'ConfigMap', {
      metadata: {
        name: 'whereabouts-config',
        namespace: this.namespace,
        annotations: { 'kubernetes.io/description': 'The schedule of the whereabouts IP reconciler (cron)' },
      },
      data: { 'cron-expression': this.reconcilerSchedule },
    });

    this.daemonSet = new NodeAgentDaemonSet(this, 'DaemonSet', {
      name: 'whereabouts',
      namespace: this.namespace,
      selectorLabels: { name: 'whereabouts' },
      labels: { tier: 'node', app: 'whereabouts' },
      hostNetwork: true,
      tolerations: props.tolerations ?? [Toleration.exists({ effect: TaintEffect.NO_SCHEDULE })],
      priorityClass: props.priorityClass ?? PriorityClass.NONE,
      nodeSelector: props.nodeSelector,
      serviceAccountName: this.identity.serviceAccountName,
      updateStrategy: UpdateStrategy.rollingUpdate(),
      cniBinDir: props.cniBinDir,
      cniConfDir: props.cniConfDir,
      cniBinVolumeName: 'cnibin',
      cniConfVolumeName: 'cni-net-dir',
    });
    const env = [
      EnvEntry.fieldRef('NODENAME', 'spec.nodeName'),
      EnvEntry.fieldRef('WHEREABOUTS_NAMESPACE', 'metadata.namespace'),
    ];
    // install-cni.sh writes the schedule into whereabouts.conf from this variable (default 30 4 * * *)
    if (this.reconcilerSchedule !== WHEREABOUTS_DEFAULT_CRON) env.push(EnvEntry.value('WHEREABOUTS_RECONCILER_CRON', this.reconcilerSchedule));
    this.daemonSet.addContainer({
      name: 'whereabouts',
      image: this.image,
      command: ['/bin/sh'],
      args: ['-c', `SLEEP=false source /install-cni.sh\n/token-watcher.sh &\n/ip-control-loop -log-level ${this.logLevel}\n`],
      env,
      resources: props.resources ?? { requests: { cpu: '100m', memory: '100Mi' }, limits: { cpu: '100m', memory: '200Mi' } },
      security: NodeAgentSecurity.privileged(),
      mounts: [
        { volume: this.daemonSet.cniBinVolume, mountPath: '/host/opt/cni/bin' },
        { volume: this.daemonSet.cniConfVolume, mountPath: '/host/etc/cni/net.d' },
      ],
    });

    if (props.reconciler ?? true) {
      const labels = { tier: 'node', app: 'whereabouts-reconciler' };
      this.reconciler = new k8s.KubeDeployment(this, 'Reconciler', {
        metadata: { name: 'whereabouts-reconciler', namespace: this.namespace, labels },
        spec: {
          replicas: 1,
          selector: { matchLabels: { name: 'whereabouts-reconciler' } },
          template: {
            metadata: { labels: { ...labels, name: 'whereabouts-reconciler' } },
            spec: {
              serviceAccountName: this.identity.serviceAccountName,
              nodeSelector: { 'kubernetes.io/os': 'linux' },
              containers: [{
                name: 'whereabouts-reconciler',
                image: this.image.toString(),
                imagePullPolicy: 'IfNotPresent',
                command: ['/ip-reconciler'],
                args: ['-log-level', this.logLevel],
                env: [EnvEntry.fieldRef('WHEREABOUTS_NAMESPACE', 'metadata.namespace')],
                resources: {
                  requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('50Mi') },
                  limits: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('50Mi') },
                },
                volumeMounts: [{ name: 'cron-scheduler-configmap', mountPath: '/cron-schedule' }],
              }],
              volumes: [{
                name: 'cron-scheduler-configmap',
                configMap: { name: 'whereabouts-config', defaultMode: 0o744, items: [{ key: 'cron-expression', path: 'config' }] },
              }],
            },
          },
        },
      });
    }
  }
}
