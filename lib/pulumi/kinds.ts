import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import { KubeObject } from './deployment-plan';

/** The constructor shape shared by the typed classes of `@pulumi/kubernetes`. */
export type KubeResourceClass = new (name: string, args: any, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/** A built-in kind deployed through its typed `@pulumi/kubernetes` class. */
export interface TypedKind {
  readonly apiVersion: string;
  readonly kind: string;
  /** The typed class. */
  readonly resource: KubeResourceClass;
  /**
   * The top-level fields the class sends (besides apiVersion and kind). Any other field of an
   * object would be dropped silently, so the component refuses it.
   */
  readonly fields: readonly string[];
}

const MS = ['metadata', 'spec'];

function typed(apiVersion: string, kind: string, resource: KubeResourceClass, fields: readonly string[] = MS): TypedKind {
  return { apiVersion, kind, resource, fields };
}

/**
 * The built-in kinds with a typed class, keyed `<apiVersion>/<kind>`. Every other kind (custom
 * resources such as NetworkAttachmentDefinition, MultiNetworkPolicy, whereabouts IPPool, Calico
 * and Cilium resources, or built-in kinds missing here) is deployed as a
 * `k8s.apiextensions.CustomResource`, which sends every field as it is.
 */
export const TYPED_KINDS: ReadonlyMap<string, TypedKind> = new Map([
  typed('v1', 'Namespace', k8s.core.v1.Namespace),
  typed('v1', 'ConfigMap', k8s.core.v1.ConfigMap, ['binaryData', 'data', 'immutable', 'metadata']),
  typed('v1', 'Secret', k8s.core.v1.Secret, ['data', 'immutable', 'metadata', 'stringData', 'type']),
  typed('v1', 'Service', k8s.core.v1.Service),
  typed('v1', 'ServiceAccount', k8s.core.v1.ServiceAccount, ['automountServiceAccountToken', 'imagePullSecrets', 'metadata', 'secrets']),
  typed('v1', 'Pod', k8s.core.v1.Pod),
  typed('v1', 'PodTemplate', k8s.core.v1.PodTemplate, ['metadata', 'template']),
  typed('v1', 'PersistentVolumeClaim', k8s.core.v1.PersistentVolumeClaim),
  typed('v1', 'PersistentVolume', k8s.core.v1.PersistentVolume),
  typed('v1', 'Endpoints', k8s.core.v1.Endpoints, ['metadata', 'subsets']),
  typed('v1', 'LimitRange', k8s.core.v1.LimitRange),
  typed('v1', 'ResourceQuota', k8s.core.v1.ResourceQuota),
  typed('v1', 'ReplicationController', k8s.core.v1.ReplicationController),
  typed('apps/v1', 'Deployment', k8s.apps.v1.Deployment),
  typed('apps/v1', 'DaemonSet', k8s.apps.v1.DaemonSet),
  typed('apps/v1', 'StatefulSet', k8s.apps.v1.StatefulSet),
  typed('apps/v1', 'ReplicaSet', k8s.apps.v1.ReplicaSet),
  typed('batch/v1', 'Job', k8s.batch.v1.Job),
  typed('batch/v1', 'CronJob', k8s.batch.v1.CronJob),
  typed('rbac.authorization.k8s.io/v1', 'Role', k8s.rbac.v1.Role, ['metadata', 'rules']),
  typed('rbac.authorization.k8s.io/v1', 'RoleBinding', k8s.rbac.v1.RoleBinding, ['metadata', 'roleRef', 'subjects']),
  typed('rbac.authorization.k8s.io/v1', 'ClusterRole', k8s.rbac.v1.ClusterRole, ['aggregationRule', 'metadata', 'rules']),
  typed('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', k8s.rbac.v1.ClusterRoleBinding, ['metadata', 'roleRef', 'subjects']),
  typed('networking.k8s.io/v1', 'NetworkPolicy', k8s.networking.v1.NetworkPolicy),
  typed('networking.k8s.io/v1', 'Ingress', k8s.networking.v1.Ingress),
  typed('networking.k8s.io/v1', 'IngressClass', k8s.networking.v1.IngressClass),
  typed('policy/v1', 'PodDisruptionBudget', k8s.policy.v1.PodDisruptionBudget),
  typed('apiextensions.k8s.io/v1', 'CustomResourceDefinition', k8s.apiextensions.v1.CustomResourceDefinition),
  typed('scheduling.k8s.io/v1', 'PriorityClass', k8s.scheduling.v1.PriorityClass, ['description', 'globalDefault', 'metadata', 'preemptionPolicy', 'value']),
  typed('storage.k8s.io/v1', 'StorageClass', k8s.storage.v1.StorageClass,
    ['allowVolumeExpansion', 'allowedTopologies', 'metadata', 'mountOptions', 'parameters', 'provisioner', 'reclaimPolicy', 'volumeBindingMode']),
  typed('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', k8s.admissionregistration.v1.ValidatingWebhookConfiguration, ['metadata', 'webhooks']),
  typed('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', k8s.admissionregistration.v1.MutatingWebhookConfiguration, ['metadata', 'webhooks']),
  typed('autoscaling/v2', 'HorizontalPodAutoscaler', k8s.autoscaling.v2.HorizontalPodAutoscaler),
  typed('coordination.k8s.io/v1', 'Lease', k8s.coordination.v1.Lease),
  typed('node.k8s.io/v1', 'RuntimeClass', k8s.node.v1.RuntimeClass, ['handler', 'metadata', 'overhead', 'scheduling']),
  typed('discovery.k8s.io/v1', 'EndpointSlice', k8s.discovery.v1.EndpointSlice, ['addressType', 'endpoints', 'metadata', 'ports']),
  typed('apiregistration.k8s.io/v1', 'APIService', k8s.apiregistration.v1.APIService),
].map((t) => [`${t.apiVersion}/${t.kind}`, t]));

/** The typed kind of an object, or undefined when it is deployed as a CustomResource. */
export function typedKindOf(obj: KubeObject): TypedKind | undefined {
  return TYPED_KINDS.get(`${obj.apiVersion}/${obj.kind}`);
}

/**
 * Creates the Pulumi resource for one object: its typed class when there is one, otherwise a
 * `k8s.apiextensions.CustomResource`. Throws when the object has a top-level field the typed class
 * would drop, so the deployed object can never differ from the synthesized one.
 */
export function createKubeResource(name: string, obj: KubeObject, opts: pulumi.CustomResourceOptions, where: string): pulumi.CustomResource {
  const t = typedKindOf(obj);
  if (!t) return new k8s.apiextensions.CustomResource(name, obj as k8s.apiextensions.CustomResourceArgs, opts);
  const extra = Object.keys(obj).filter((k) => k !== 'apiVersion' && k !== 'kind' && !t.fields.includes(k));
  if (extra.length > 0) {
    throw new Error(`'${where}.${extra[0]}' is not a field of ${obj.apiVersion} ${obj.kind} that Pulumi sends: got ${JSON.stringify(obj[extra[0]])}; `
      + `remove it from the object (write only ${t.fields.join(', ')})`);
  }
  return new t.resource(name, obj, opts);
}
