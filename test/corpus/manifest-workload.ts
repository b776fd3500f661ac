import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * A workload written as a plain manifest object (as from `Include` or by hand), for the corpus
 * programs whose pods must match upstream by meaning where cdk8s-plus adds its own defaults
 * (CPU and memory requests, a security context) or where the upstream deployment leaves images
 * unpinned (which `NetworkFunction` refuses). Its networks are attached with
 * `PodNetworks.of(workload)`, which adds the requests of device-plugin networks itself
 * (`devices` for more than one per attachment); `requestResource` adds huge pages and other
 * extended resources on it as on any workload.
 */
export interface ManifestContainer {
  readonly name: string;
  readonly image: string;
  /** Requests, as Kubernetes quantities. @default - none */
  readonly requests?: Readonly<Record<string, string>>;
  /** Limits, as Kubernetes quantities. @default - none */
  readonly limits?: Readonly<Record<string, string>>;
}

/** Properties of {@link manifestWorkload}. */
export interface ManifestWorkloadProps {
  readonly kind: 'Pod' | 'Deployment';
  readonly name: string;
  /** @default - the chart's */
  readonly namespace?: string;
  /** Deployments only. @default 1 */
  readonly replicas?: number;
  readonly containers: readonly ManifestContainer[];
  /** @default - none */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Pod annotations besides the networks (e.g. the plugin's own). @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
}

export function manifestWorkload(scope: Construct, id: string, props: ManifestWorkloadProps): ApiObject {
  const podSpec = {
    nodeSelector: props.nodeSelector,
    containers: props.containers.map((c) => ({
      name: c.name,
      image: c.image,
      resources: c.requests || c.limits ? { requests: c.requests && { ...c.requests }, limits: c.limits && { ...c.limits } } : undefined,
    })),
  };
  const labels = { app: props.name };
  if (props.kind === 'Pod') {
    return new ApiObject(scope, id, {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: props.name, namespace: props.namespace, labels, annotations: props.annotations && { ...props.annotations } },
      spec: podSpec,
    } as any);
  }
  return new ApiObject(scope, id, {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: props.name, namespace: props.namespace, labels },
    spec: {
      replicas: props.replicas ?? 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels, annotations: props.annotations && { ...props.annotations } }, spec: podSpec },
    },
  } as any);
}
