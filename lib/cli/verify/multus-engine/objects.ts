import * as path from 'path';
import { JsonObject, rewriteStatePaths } from '../../dataplane/cni-exec';
import { DEFAULT_NETWORK_ANNOTATION, NETWORKS_ANNOTATION } from '../../../multus/selection-element';
import type { KubeObject } from '../../../toolchain/kube-client';
import { PlannedAttachment, PlannedNetwork, PlannedPod } from '../plan';

/**
 * What the Multus engine puts in the private API server and hands to the Multus binary, pure:
 * the NAD CRD, the namespaces, the NADs (configs confined: every state path inside the run),
 * the Pod of each planned pod (its annotation made of the attachments that run), the
 * kubeconfig and the Multus config of a node with its cluster-network delegate.
 */

/** The cluster network delegate's name (eth0 of every pod without a default-network annotation). */
export const CLUSTER_NETWORK_NAME = 'cdk8s-nfv-cluster';

/** The port the API server is reached on inside a node namespace. */
export const NODE_API_PORT = 6443;

/** The NetworkAttachmentDefinition CRD, as Multus needs it served (spec.config a string). */
export const NAD_CRD: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'network-attachment-definitions.k8s.cni.cncf.io' },
  spec: {
    group: 'k8s.cni.cncf.io',
    scope: 'Namespaced',
    names: { plural: 'network-attachment-definitions', singular: 'network-attachment-definition', kind: 'NetworkAttachmentDefinition', shortNames: ['net-attach-def'] },
    versions: [{
      name: 'v1', served: true, storage: true,
      schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { config: { type: 'string' } } } } } },
    }],
  },
};

/** A namespace object. */
export function namespaceObject(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

/**
 * The NAD as stored for Multus: the planned (confined) config list with every plugin's state
 * paths under `stateDir` (as the emulated engine rewrites them per call). The config `name` is
 * kept as authored (absent stays absent: Multus fills it from the NAD's name).
 */
export function nadObject(n: PlannedNetwork, stateDir: string): KubeObject {
  const list = n.list!;
  const config: JsonObject = { ...list, plugins: list.plugins.map((p) => rewriteStatePaths(p, stateDir)) };
  return { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: n.name, namespace: n.namespace }, spec: { config: JSON.stringify(config) } };
}

/** The name of a planned pod in the API server: unique per run and pod. */
export function podObjectName(pod: PlannedPod, prefix: string): string {
  const base = pod.name.replace(/\.+$/, '').slice(0, 200);
  return `${base}-${prefix}-${pod.index}`;
}

/**
 * The Pod of a planned pod, annotated with the elements of `attachments` (the ones that run), each
 * with its namespace and interface written out so that leaving one out changes no other.
 */
export function podObject(pod: PlannedPod, name: string, attachments: readonly PlannedAttachment[]): KubeObject {
  const annotations: Record<string, string> = {};
  const elements: JsonObject[] = [];
  for (const a of attachments) {
    const e = { ...(a.element as unknown as JsonObject), name: a.network!.name, namespace: a.network!.namespace, interface: a.ifname };
    if (a.defaultNetwork) annotations[DEFAULT_NETWORK_ANNOTATION] = JSON.stringify([{ ...e, interface: undefined }]);
    else elements.push(e);
  }
  if (elements.length > 0) annotations[NETWORKS_ANNOTATION] = JSON.stringify(elements);
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: pod.namespace, annotations },
    spec: { containers: [{ name: 'c', image: 'verify.invalid/none:0' }] },
  };
}

/** A kubeconfig reaching the API server at 127.0.0.1:`port` (of whichever namespace reads it). */
export function kubeconfigText(port: number, token: string, ca: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: verify',
    '  cluster:',
    `    server: https://127.0.0.1:${port}`,
    `    certificate-authority-data: ${Buffer.from(ca).toString('base64')}`,
    'users:',
    '- name: multus',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: verify',
    '  context:',
    '    cluster: verify',
    '    user: multus',
    'current-context: verify',
    '',
  ].join('\n');
}

/** Where Multus keeps things on a node: all under the run's directory. */
export interface MultusDirs {
  readonly kubeconfig: string;
  /** Directories of plugin binaries (the first is Multus's `binDir`). */
  readonly cniPath: readonly string[];
  /** The run's directory for Multus of this node. */
  readonly dir: string;
}

/**
 * The Multus (thin plugin) config of node `k`: the kubeconfig, the cluster network as its first
 * delegate (ptp with host-local on 198.18.k.0/24, state inside the run), and `cniDir`
 * (delegate and result cache), `confDir` and the log inside the run.
 */
export function multusConfig(k: number, dirs: MultusDirs): JsonObject {
  return {
    cniVersion: '1.0.0',
    name: 'multus-cni-network',
    type: 'multus',
    kubeconfig: dirs.kubeconfig,
    binDir: dirs.cniPath[0],
    cniDir: path.join(dirs.dir, 'cache'),
    confDir: path.join(dirs.dir, 'net.d'),
    logFile: path.join(dirs.dir, 'multus.log'),
    logLevel: 'error',
    multusNamespace: 'kube-system',
    delegates: [{
      cniVersion: '1.0.0',
      name: CLUSTER_NETWORK_NAME,
      plugins: [{ type: 'ptp', ipMasq: false, ipam: { type: 'host-local', ranges: [[{ subnet: `198.18.${k % 256}.0/24` }]], dataDir: path.join(dirs.dir, 'cluster-ipam') } }],
    }],
  };
}
