/**
 * The benchmark topology, built three ways that produce the same manifests:
 *
 * - `ours`: this library's constructs (Network with static IPAM, NetworkFunction.attach with ips),
 *   the whole-topology validation and the CNI inventory check included;
 * - `baseline`: what a cdk8s user writes without the library: cdk8s-plus-27 Deployments with the
 *   networks annotation as a JSON string, NADs as raw `ApiObject`s with their config as a string;
 * - `floor`: the same manifests as raw cdk8s `ApiObject`s (what cdk8s itself costs).
 *
 * N network functions (Deployments of one replica), each attached to the 4 networks with one
 * static address per network: network k is 10.k.0.0/16 (macvlan on eth<k+1>, static IPAM with the
 * ips capability), function i has address 10.k.<hi>.<lo>/16 with hi.lo = i + 10 (so up to 65,000
 * functions fit). Everything is in one chart and one namespace.
 */
import { ApiObject, App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { PluginsProfile } from '../lib/cni/profile';
import { PreinstalledCniPlugins } from '../lib/installers/inventory';
import { IpamMode, Network, NetworkPlugin } from '../lib/network';
import { NetworkFunction } from '../lib/network-function';

/** The three ways. */
export const WAYS = ['ours', 'baseline', 'floor'] as const;
export type Way = (typeof WAYS)[number];

export const NAMESPACE = 'telco';
export const NETWORK_COUNT = 4;
const IMAGE = 'registry.example.com/nf/upf:1.4.2';
const NETWORKS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks';

/** The name of network k. */
export function networkName(k: number): string {
  return `net${k}`;
}

/** The name of function i. */
export function functionName(i: number): string {
  return `nf-${String(i).padStart(5, '0')}`;
}

/** The address of function i on network k, with its prefix. */
export function addressOf(i: number, k: number): string {
  const host = i + 10;
  return `10.${k}.${host >> 8}.${host & 255}/16`;
}

/** The interface of network k in the pods (constants, as a user writes them). */
const IFNAMES = ['net1', 'net2', 'net3', 'net4'];
function ifnameOf(k: number): string {
  return IFNAMES[k];
}

/** The CNI config text of network k, written by hand as a cdk8s user would. */
export function nadConfigText(k: number): string {
  return JSON.stringify({
    cniVersion: '1.0.0',
    name: networkName(k),
    plugins: [{ type: 'macvlan', master: `eth${k + 1}`, ipam: { type: 'static' }, capabilities: { ips: true } }],
  });
}

/** The networks annotation of function i, written by hand as a cdk8s user would. */
export function annotationText(i: number): string {
  const elements = [];
  for (let k = 0; k < NETWORK_COUNT; k++) {
    elements.push({ name: networkName(k), namespace: NAMESPACE, interface: ifnameOf(k), ips: [addressOf(i, k)] });
  }
  return JSON.stringify(elements);
}

/** Builds the topology of `n` functions into a new chart of `app`, one of the three ways. */
export function build(app: App, way: Way, n: number): Chart {
  const chart = new Chart(app, 'bench', { namespace: NAMESPACE, disableResourceNameHashes: true });
  switch (way) {
    case 'ours': buildOurs(chart, n); break;
    case 'baseline': buildBaseline(chart, n); break;
    case 'floor': buildFloor(chart, n); break;
  }
  return chart;
}

function buildOurs(chart: Chart, n: number): void {
  // the nodes run the upstream plugins (the inventory check needs a declaration; it renders nothing)
  PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM);
  const networks: Network[] = [];
  for (let k = 0; k < NETWORK_COUNT; k++) {
    networks.push(new Network(chart, `Net${k}`, {
      name: networkName(k),
      plugin: NetworkPlugin.macvlan({ uplink: `eth${k + 1}` }),
      subnets: [`10.${k}.0.0/16`],
      ipam: IpamMode.STATIC,
    }));
  }
  for (let i = 0; i < n; i++) {
    const nf = new NetworkFunction(chart, functionName(i), {
      name: functionName(i),
      containers: [{ name: 'main', image: IMAGE }],
    });
    for (let k = 0; k < NETWORK_COUNT; k++) {
      nf.attach(networks[k], { interface: ifnameOf(k), ips: [addressOf(i, k)] });
    }
  }
}

/** The NADs as a cdk8s user writes them: raw ApiObjects, config as a string. */
function rawNads(chart: Chart): void {
  for (let k = 0; k < NETWORK_COUNT; k++) {
    new ApiObject(chart, `Net${k}`, {
      apiVersion: 'k8s.cni.cncf.io/v1',
      kind: 'NetworkAttachmentDefinition',
      metadata: { name: networkName(k), namespace: NAMESPACE },
      spec: { config: nadConfigText(k) },
    });
  }
}

function buildBaseline(chart: Chart, n: number): void {
  rawNads(chart);
  for (let i = 0; i < n; i++) {
    const name = functionName(i);
    const labels = { 'nfv.cdk8s.io/function': name };
    const d = new kplus.Deployment(chart, name, {
      metadata: { name, labels },
      replicas: 1,
      podMetadata: { labels },
      securityContext: { ensureNonRoot: false },
      automountServiceAccountToken: false,
      containers: [{
        name: 'main',
        image: IMAGE,
        securityContext: {
          privileged: false,
          allowPrivilegeEscalation: false,
          ensureNonRoot: true,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL' as kplus.Capability] },
        },
      }],
    });
    d.podMetadata.addAnnotation(NETWORKS_ANNOTATION, annotationText(i));
  }
}

/**
 * The Deployment exactly as cdk8s-plus-27 renders the baseline's (its defaults written out: the
 * selector label, resources, probes-free container, pod security context), as a raw ApiObject.
 */
function buildFloor(chart: Chart, n: number): void {
  rawNads(chart);
  for (let i = 0; i < n; i++) {
    const name = functionName(i);
    // cdk8s-plus selects pods by a label with the construct address; the floor writes a value of
    // the same shape (normalized away when the ways are compared)
    const selector = { 'cdk8s.io/metadata.addr': `bench-${name}-c8` };
    const labels = { 'nfv.cdk8s.io/function': name };
    new ApiObject(chart, name, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: NAMESPACE, labels },
      spec: {
        minReadySeconds: 0,
        progressDeadlineSeconds: 600,
        replicas: 1,
        selector: { matchLabels: selector },
        strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
        template: {
          metadata: { annotations: { [NETWORKS_ANNOTATION]: annotationText(i) }, labels: { ...labels, ...selector } },
          spec: {
            automountServiceAccountToken: false,
            containers: [{
              image: IMAGE,
              imagePullPolicy: 'Always',
              name: 'main',
              resources: { limits: { cpu: '1500m', memory: '2048Mi' }, requests: { cpu: '1000m', memory: '512Mi' } },
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'] },
                privileged: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
              },
            }],
            dnsPolicy: 'ClusterFirst',
            hostNetwork: false,
            restartPolicy: 'Always',
            securityContext: { fsGroupChangePolicy: 'Always', runAsNonRoot: false },
            setHostnameAsFQDN: false,
            terminationGracePeriodSeconds: 30,
          },
        },
      },
    });
  }
}
