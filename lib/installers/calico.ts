import { JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { IConstruct, Construct } from 'constructs';
import { Cidr, IpFamily } from '../addressing/ip';
import { ProblemSink, reportProblems } from '../cni/problem';
import { ClusterNetwork, ClusterNetworkProvider } from './cluster-network';
import { ContainerImage } from './container-image';
import {
  EnvEntry, HostPathType, KUBE_SYSTEM, MountPropagation, NodeAgentDaemonSet, NodeAgentSecurity, PriorityClass, TaintEffect, Toleration, UpdateStrategy,
} from './node-agent';
import { NodeAgentIdentity, RbacRule } from './node-agent-identity';
import { assertArg, assertProps, pArray, pEnum, pInstance, pString, propsShape } from '../cni/props-check';
import { BOOL_PROP, IMAGE_PROP, MTU_PROP, OBJECT_PROP } from './installer-props';

/**
 * Calico v3.32.1 in manifest mode (`manifests/calico.yaml`, 38 objects in kube-system): the 23
 * CRDs, the calico-kube-controllers PodDisruptionBudget, ServiceAccounts, ClusterRoles and
 * bindings with upstream's rules, the `calico-config` ConfigMap (typed), the `calico-node`
 * DaemonSet and the `calico-kube-controllers` Deployment. The operator mode is not modelled.
 *
 * CRD schemas: upstream ships the full generated OpenAPI schemas (about 330 KB). The library
 * registers the same CRDs by name, group, kind, scope and version, with an object schema that
 * preserves unknown fields. Intended difference: the API server does not prune or validate Calico
 * objects against the detailed schema; Calico's own components still validate what they read.
 * Apply upstream's CRDs over these for strict server-side validation.
 */

export const CALICO_VERSION = 'v3.32.1';
export const CALICO_CNI_IMAGE = ContainerImage.of(`quay.io/calico/cni:${CALICO_VERSION}`);
export const CALICO_NODE_IMAGE = ContainerImage.of(`quay.io/calico/node:${CALICO_VERSION}`);
export const CALICO_KUBE_CONTROLLERS_IMAGE = ContainerImage.of(`quay.io/calico/kube-controllers:${CALICO_VERSION}`);

/** `calico_backend`: how calico-node networks pods between nodes. */
export enum CalicoBackend {
  /** BGP with BIRD (upstream default; IP-in-IP encapsulation). */
  BIRD = 'bird',
  /** VXLAN without BGP (`calico-vxlan.yaml`). */
  VXLAN = 'vxlan',
  /** Policy only: no Calico networking. */
  NONE = 'none',
}

/** `CALICO_IPV4POOL_IPIP` / `CALICO_IPV4POOL_VXLAN`. */
export enum CalicoEncapsulationMode {
  ALWAYS = 'Always',
  CROSS_SUBNET = 'CrossSubnet',
  NEVER = 'Never',
}

/** The default IPv4 pool calico-node creates on first start if none exists. */
export interface CalicoIpv4Pool {
  /** `CALICO_IPV4POOL_CIDR`; should fall within `--cluster-cidr`. @default - calico's 192.168.0.0/16; no env written */
  readonly cidr?: string;
  /** `CALICO_IPV4POOL_BLOCK_SIZE`, the per-node block prefix length. @default - 26; no env written */
  readonly blockSize?: number;
  /** `CALICO_IPV4POOL_IPIP`. @default - CalicoEncapsulationMode.ALWAYS with the bird backend, NEVER otherwise */
  readonly ipipMode?: CalicoEncapsulationMode;
  /** `CALICO_IPV4POOL_VXLAN`. @default - CalicoEncapsulationMode.NEVER with the bird backend, CROSS_SUBNET with vxlan */
  readonly vxlanMode?: CalicoEncapsulationMode;
  /** `CALICO_IPV4POOL_NAT_OUTGOING`. @default - true (calico's default); no env written */
  readonly natOutgoing?: boolean;
}

/** `IP_AUTODETECTION_METHOD`: how calico-node picks the node's IPv4 address. */
export class IpAutodetectionMethod {
  /** The first valid address of the first valid interface (calico's default). */
  public static firstFound(): IpAutodetectionMethod {
    return new IpAutodetectionMethod('first-found');
  }
  /** The address of the interface that reaches `destination` (an IP or a host name). */
  public static canReach(destination: string): IpAutodetectionMethod {
    assertArg(pString(), destination, 'destination', 'IpAutodetectionMethod.canReach', 'give an address or host name');
    return new IpAutodetectionMethod(`can-reach=${destination}`);
  }
  /** The first address of the first interface matching one of the regexes. */
  public static interface(...regexes: string[]): IpAutodetectionMethod {
    assertArg(pArray(pString(), { minItems: 1 }), regexes, 'regexes', 'IpAutodetectionMethod.interface', 'give at least one');
    return new IpAutodetectionMethod(`interface=${regexes.join(',')}`);
  }
  /** The first address of the first interface not matching any of the regexes. */
  public static skipInterface(...regexes: string[]): IpAutodetectionMethod {
    assertArg(pArray(pString(), { minItems: 1 }), regexes, 'regexes', 'IpAutodetectionMethod.skipInterface', 'give at least one');
    return new IpAutodetectionMethod(`skip-interface=${regexes.join(',')}`);
  }
  /** The first address inside one of the CIDRs (checked). */
  public static cidr(...cidrs: string[]): IpAutodetectionMethod {
    assertArg(pArray(pString(), { minItems: 1 }), cidrs, 'cidrs', 'IpAutodetectionMethod.cidr', 'give at least one');
    return new IpAutodetectionMethod(`cidr=${cidrs.join(',')}`, cidrs);
  }
  /** The node's InternalIP from the Kubernetes Node object. */
  public static kubernetesInternalIp(): IpAutodetectionMethod {
    return new IpAutodetectionMethod('kubernetes-internal-ip');
  }
  private constructor(public readonly value: string, public readonly cidrs: readonly string[] = []) {}
}

/** Properties of {@link Calico}. */
export interface CalicoProps {
  /** `calico_backend`. @default CalicoBackend.BIRD */
  readonly backend?: CalicoBackend;
  /** `veth_mtu`: pod and tunnel MTU; 0 auto-detects. @default 0 */
  readonly mtu?: number;
  /** The default IPv4 pool. @default - upstream's env (IPIP Always, VXLAN Never, CIDR unset) */
  readonly ipv4Pool?: CalicoIpv4Pool;
  /** `IP_AUTODETECTION_METHOD`. @default - calico's first-found; no env written */
  readonly ipAutodetectionMethod?: IpAutodetectionMethod;
  /** `FELIX_WIREGUARDENABLED`: encrypt pod traffic with WireGuard. @default false (no env written) */
  readonly wireguard?: boolean;
  /** Image of the CNI installer init containers. @default CALICO_CNI_IMAGE */
  readonly cniImage?: ContainerImage;
  /** Image of calico-node. @default CALICO_NODE_IMAGE */
  readonly nodeImage?: ContainerImage;
  /** Image of calico-kube-controllers. @default CALICO_KUBE_CONTROLLERS_IMAGE */
  readonly kubeControllersImage?: ContainerImage;
}

/** One CRD of calico.yaml, by name. */
interface CalicoCrd {
  readonly plural: string;
  readonly kind: string;
  readonly scope: 'Cluster' | 'Namespaced';
  readonly group?: string;
  readonly version?: string;
  readonly shortNames?: string[];
  readonly status?: boolean;
  /** Annotations of the CRD (a CRD of a protected `*.k8s.io` group needs `api-approved.kubernetes.io`). */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** The 23 CRDs of calico.yaml v3.32.1 (22 in crd.projectcalico.org, v1). */
export const CALICO_CRDS: readonly CalicoCrd[] = [
  { plural: 'bgpconfigurations', kind: 'BGPConfiguration', scope: 'Cluster' },
  { plural: 'bgpfilters', kind: 'BGPFilter', scope: 'Cluster' },
  { plural: 'bgppeers', kind: 'BGPPeer', scope: 'Cluster' },
  { plural: 'blockaffinities', kind: 'BlockAffinity', scope: 'Cluster' },
  { plural: 'caliconodestatuses', kind: 'CalicoNodeStatus', scope: 'Cluster' },
  { plural: 'clusterinformations', kind: 'ClusterInformation', scope: 'Cluster' },
  { plural: 'felixconfigurations', kind: 'FelixConfiguration', scope: 'Cluster' },
  { plural: 'globalnetworkpolicies', kind: 'GlobalNetworkPolicy', scope: 'Cluster' },
  { plural: 'globalnetworksets', kind: 'GlobalNetworkSet', scope: 'Cluster' },
  { plural: 'hostendpoints', kind: 'HostEndpoint', scope: 'Cluster' },
  { plural: 'ipamblocks', kind: 'IPAMBlock', scope: 'Cluster' },
  { plural: 'ipamconfigs', kind: 'IPAMConfig', scope: 'Cluster' },
  { plural: 'ipamhandles', kind: 'IPAMHandle', scope: 'Cluster' },
  { plural: 'ippools', kind: 'IPPool', scope: 'Cluster' },
  { plural: 'ipreservations', kind: 'IPReservation', scope: 'Cluster' },
  { plural: 'kubecontrollersconfigurations', kind: 'KubeControllersConfiguration', scope: 'Cluster', status: true },
  { plural: 'networkpolicies', kind: 'NetworkPolicy', scope: 'Namespaced' },
  { plural: 'networksets', kind: 'NetworkSet', scope: 'Namespaced' },
  { plural: 'stagedglobalnetworkpolicies', kind: 'StagedGlobalNetworkPolicy', scope: 'Cluster' },
  { plural: 'stagedkubernetesnetworkpolicies', kind: 'StagedKubernetesNetworkPolicy', scope: 'Namespaced' },
  { plural: 'stagednetworkpolicies', kind: 'StagedNetworkPolicy', scope: 'Namespaced' },
  { plural: 'tiers', kind: 'Tier', scope: 'Cluster' },
  // a *.k8s.io group is protected: the API server refuses the CRD without the approval annotation
  // (found by applying it to a real kube-apiserver; upstream's calico.yaml carries the same value)
  {
    plural: 'clusternetworkpolicies', kind: 'ClusterNetworkPolicy', scope: 'Cluster', group: 'policy.networking.k8s.io', version: 'v1alpha2', shortNames: ['cnp'], status: true,
    annotations: { 'api-approved.kubernetes.io': 'https://github.com/kubernetes-sigs/network-policy-api/pull/347' },
  },
];

const BOTH = ['projectcalico.org', 'crd.projectcalico.org'];

/** ClusterRole `calico-kube-controllers` (v3.32.1). */
export const CALICO_KUBE_CONTROLLERS_RULES: readonly RbacRule[] = [
  { apiGroups: [''], resources: ['nodes'], verbs: ['watch', 'list', 'get'] },
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['services', 'services/status'], verbs: ['get', 'list', 'update', 'watch'] },
  { apiGroups: BOTH, resources: ['ipreservations'], verbs: ['list'] },
  { apiGroups: BOTH, resources: ['blockaffinities', 'ipamblocks', 'ipamhandles', 'ipamconfigurations', 'ipamconfigs', 'tiers'], verbs: ['get', 'list', 'create', 'update', 'delete', 'watch'] },
  { apiGroups: BOTH, resources: ['ippools'], verbs: ['list', 'watch'] },
  { apiGroups: BOTH, resources: ['hostendpoints'], verbs: ['get', 'list', 'create', 'update', 'delete', 'watch'] },
  { apiGroups: BOTH, resources: ['clusterinformations'], verbs: ['get', 'list', 'create', 'update', 'watch'] },
  { apiGroups: BOTH, resources: ['kubecontrollersconfigurations'], verbs: ['get', 'list', 'create', 'update', 'watch'] },
  { apiGroups: BOTH, resources: ['kubecontrollersconfigurations/status'], verbs: ['get', 'update'] },
  { apiGroups: BOTH, resources: ['networkpolicies', 'stagednetworkpolicies', 'globalnetworkpolicies', 'stagedglobalnetworkpolicies'], verbs: ['watch', 'list', 'get', 'create', 'update', 'delete'] },
  { apiGroups: ['apps'], resources: ['daemonsets', 'deployments'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['migration.projectcalico.org'], resources: ['datastoremigrations', 'datastoremigrations/status'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'] },
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'list', 'watch', 'delete'] },
  { apiGroups: ['apiregistration.k8s.io'], resources: ['apiservices'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
  { apiGroups: ['projectcalico.org'], resources: ['*'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { apiGroups: ['crd.projectcalico.org'], resources: ['*'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['kubevirt.io'], resources: ['virtualmachines', 'virtualmachineinstances'], verbs: ['get', 'list', 'watch'] },
];

/** ClusterRole `calico-node` (v3.32.1). */
export const CALICO_NODE_RULES: readonly RbacRule[] = [
  { apiGroups: [''], resources: ['serviceaccounts/token'], resourceNames: ['calico-cni-plugin'], verbs: ['create'] },
  { apiGroups: [''], resources: ['pods', 'nodes', 'namespaces'], verbs: ['get'] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['watch', 'list'] },
  { apiGroups: [''], resources: ['endpoints', 'services'], verbs: ['watch', 'list', 'get'] },
  { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
  { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch', 'update'] },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['watch', 'list'] },
  { apiGroups: ['policy.networking.k8s.io'], resources: ['clusternetworkpolicies'], verbs: ['watch', 'list'] },
  { apiGroups: [''], resources: ['pods', 'namespaces', 'serviceaccounts'], verbs: ['list', 'watch'] },
  { apiGroups: [''], resources: ['pods/status'], verbs: ['patch'] },
  {
    apiGroups: BOTH,
    resources: ['globalfelixconfigs', 'globalbgpconfigs', 'felixconfigurations', 'bgppeers', 'bgpfilters', 'bgpconfigurations', 'ippools', 'ipreservations',
      'ipamblocks', 'globalnetworkpolicies', 'stagedglobalnetworkpolicies', 'networkpolicies', 'stagednetworkpolicies', 'stagedkubernetesnetworkpolicies',
      'globalnetworksets', 'networksets', 'clusterinformations', 'hostendpoints', 'blockaffinities', 'caliconodestatuses', 'tiers'],
    verbs: ['get', 'list', 'watch'],
  },
  { apiGroups: BOTH, resources: ['tiers'], verbs: ['create'] },
  { apiGroups: BOTH, resources: ['ippools', 'felixconfigurations', 'bgpconfigurations', 'clusterinformations'], verbs: ['create', 'update'] },
  { apiGroups: BOTH, resources: ['caliconodestatuses'], verbs: ['update'] },
  { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: BOTH, resources: ['bgpconfigurations', 'bgppeers'], verbs: ['create', 'update'] },
  { apiGroups: BOTH, resources: ['blockaffinities', 'ipamblocks', 'ipamhandles'], verbs: ['get', 'list', 'create', 'update', 'delete'] },
  { apiGroups: BOTH, resources: ['ipamconfigurations', 'ipamconfigs'], verbs: ['get', 'create'] },
  { apiGroups: BOTH, resources: ['blockaffinities'], verbs: ['watch'] },
  { apiGroups: ['apps'], resources: ['daemonsets'], verbs: ['get'] },
  { apiGroups: ['kubevirt.io'], resources: ['virtualmachineinstancemigrations'], verbs: ['get', 'list', 'watch'] },
];

/** ClusterRole `calico-cni-plugin` (v3.32.1). */
export const CALICO_CNI_PLUGIN_RULES: readonly RbacRule[] = [
  { apiGroups: [''], resources: ['pods', 'nodes', 'namespaces'], verbs: ['get'] },
  { apiGroups: [''], resources: ['pods/status'], verbs: ['patch'] },
  { apiGroups: BOTH, resources: ['blockaffinities', 'ipamblocks', 'ipamhandles', 'clusterinformations', 'ippools', 'ipreservations', 'ipamconfigurations', 'ipamconfigs'], verbs: ['get', 'list', 'create', 'update', 'delete'] },
  { apiGroups: ['kubevirt.io'], resources: ['virtualmachineinstances', 'virtualmachines'], verbs: ['get'] },
];

/** The CNI config placeholder install-cni replaces with `CNI_MTU` (a bare number in the file). */
const CNI_MTU_PLACEHOLDER = '__CNI_MTU__';

/** The shape of {@link CalicoProps} (runtime checks for callers without a type checker). */
const CALICO_PROPS_SHAPE = propsShape('CalicoProps', {
  backend: pEnum(CalicoBackend, 'CalicoBackend'),
  mtu: MTU_PROP,
  ipv4Pool: OBJECT_PROP,
  ipAutodetectionMethod: pInstance([IpAutodetectionMethod], 'an IpAutodetectionMethod', 'use IpAutodetectionMethod.firstFound() or another factory'),
  wireguard: BOOL_PROP,
  cniImage: IMAGE_PROP,
  nodeImage: IMAGE_PROP,
  kubeControllersImage: IMAGE_PROP,
});

/** Calico, as `calico.yaml` v3.32.1 installs it (manifest mode, Kubernetes datastore). */
export class Calico extends ClusterNetwork {
  public readonly provider = ClusterNetworkProvider.CALICO;
  public readonly cniConfigFile = '10-calico.conflist';
  public readonly readinessIndicatorFile = '/etc/cni/net.d/10-calico.conflist';
  public readonly providedCniTypes: readonly string[] = ['calico', 'calico-ipam', 'host-local', 'portmap', 'loopback', 'tuning', 'flannel'];

  public readonly backend: CalicoBackend;
  public readonly mtu: number;
  public readonly ipv4Pool: CalicoIpv4Pool;
  public readonly ipipMode: CalicoEncapsulationMode;
  public readonly vxlanMode: CalicoEncapsulationMode;
  public readonly ipAutodetectionMethod?: IpAutodetectionMethod;
  public readonly wireguard: boolean;
  public readonly cniImage: ContainerImage;
  public readonly nodeImage: ContainerImage;
  public readonly kubeControllersImage: ContainerImage;
  public readonly daemonSet: NodeAgentDaemonSet;

  constructor(scope: Construct, id: string, props: CalicoProps = {}) {
    super(scope, id);
    assertProps(CALICO_PROPS_SHAPE, props, `Calico ${this.node.path}`);
    this.backend = props.backend ?? CalicoBackend.BIRD;
    this.mtu = props.mtu ?? 0;
    this.ipv4Pool = { ...(props.ipv4Pool ?? {}) };
    const bird = this.backend === CalicoBackend.BIRD;
    this.ipipMode = this.ipv4Pool.ipipMode ?? (bird ? CalicoEncapsulationMode.ALWAYS : CalicoEncapsulationMode.NEVER);
    this.vxlanMode = this.ipv4Pool.vxlanMode ?? (this.backend === CalicoBackend.VXLAN ? CalicoEncapsulationMode.CROSS_SUBNET : CalicoEncapsulationMode.NEVER);
    this.ipAutodetectionMethod = props.ipAutodetectionMethod;
    this.wireguard = props.wireguard ?? false;
    this.cniImage = props.cniImage ?? CALICO_CNI_IMAGE;
    this.nodeImage = props.nodeImage ?? CALICO_NODE_IMAGE;
    this.kubeControllersImage = props.kubeControllersImage ?? CALICO_KUBE_CONTROLLERS_IMAGE;
    reportProblems(this.propProblems(), `Calico ${this.node.path}`);

    new k8s.KubePodDisruptionBudget(this, 'KubeControllersPdb', {
      metadata: { name: 'calico-kube-controllers', namespace: KUBE_SYSTEM, labels: { 'k8s-app': 'calico-kube-controllers' } },
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: { 'k8s-app': 'calico-kube-controllers' } } },
    });
    new NodeAgentIdentity(this, 'KubeControllersIdentity', { name: 'calico-kube-controllers', clusterRules: CALICO_KUBE_CONTROLLERS_RULES.map(copyRule) });
    new NodeAgentIdentity(this, 'NodeIdentity', { name: 'calico-node', clusterRules: CALICO_NODE_RULES.map(copyRule) });
    new NodeAgentIdentity(this, 'CniPluginIdentity', { name: 'calico-cni-plugin', clusterRules: CALICO_CNI_PLUGIN_RULES.map(copyRule) });
    new k8s.KubeConfigMap(this, 'ConfigMap', {
      metadata: { name: 'calico-config', namespace: KUBE_SYSTEM },
      data: {
        typha_service_name: 'none',
        calico_backend: this.backend,
        veth_mtu: String(this.mtu),
        cni_network_config: this.cniNetworkConfig(),
      },
    });
    const crds = new Construct(this, 'Crds');
    for (const crd of CALICO_CRDS) {
      const group = crd.group ?? 'crd.projectcalico.org';
      new k8s.KubeCustomResourceDefinition(crds, crd.plural, {
        metadata: { name: `${crd.plural}.${group}`, ...(crd.annotations ? { annotations: { ...crd.annotations } } : {}) },
        spec: {
          group,
          names: { kind: crd.kind, listKind: `${crd.kind}List`, plural: crd.plural, singular: crd.kind.toLowerCase(), shortNames: crd.shortNames },
          scope: crd.scope,
          versions: [{
            name: crd.version ?? 'v1', served: true, storage: true,
            schema: { openApiv3Schema: { type: 'object', xKubernetesPreserveUnknownFields: true } },
            subresources: crd.status ? { status: {} } : undefined,
          }],
        },
      });
    }
    new k8s.KubeClusterRole(this, 'TierGetterRole', {
      metadata: { name: 'calico-tier-getter' },
      rules: [{ apiGroups: ['projectcalico.org'], resources: ['tiers'], verbs: ['get'] }],
    });
    new k8s.KubeClusterRoleBinding(this, 'TierGetterBinding', {
      metadata: { name: 'calico-tier-getter' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'calico-tier-getter' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'system:kube-controller-manager' }],
    });
    this.daemonSet = this.buildNode();
    this.buildKubeControllers();
  }

  /** The conflist template, built as an object; `install-cni` fills the `__X__` placeholders. */
  public cniNetworkConfigObject(): Record<string, unknown> {
    return {
      name: 'k8s-pod-network',
      cniVersion: '0.3.1',
      plugins: [
        {
          type: 'calico',
          log_level: 'info',
          log_file_path: '/var/log/calico/cni/cni.log',
          datastore_type: 'kubernetes',
          nodename: '__KUBERNETES_NODE_NAME__',
          mtu: CNI_MTU_PLACEHOLDER,
          ipam: { type: 'calico-ipam' },
          policy: { type: 'k8s' },
          kubernetes: { kubeconfig: '__KUBECONFIG_FILEPATH__' },
        },
        { type: 'portmap', snat: true, capabilities: { portMappings: true } },
      ],
    };
  }

  /**
   * `cni_network_config`: the object serialized, with the MTU placeholder unquoted, because
   * install-cni substitutes a bare number there (`"mtu": __CNI_MTU__`).
   */
  public cniNetworkConfig(): string {
    return JSON.stringify(this.cniNetworkConfigObject(), null, 2).replace(`"${CNI_MTU_PLACEHOLDER}"`, CNI_MTU_PLACEHOLDER);
  }

  /** The env of the calico-node container. */
  public nodeEnv(): k8s.EnvVar[] {
    const cfg = (name: string, key: string) => EnvEntry.configMapKey(name, 'calico-config', key);
    const env: k8s.EnvVar[] = [
      EnvEntry.value('DATASTORE_TYPE', 'kubernetes'),
      EnvEntry.value('WAIT_FOR_DATASTORE', 'true'),
      EnvEntry.fieldRef('NODENAME', 'spec.nodeName'),
      cfg('CALICO_NETWORKING_BACKEND', 'calico_backend'),
      EnvEntry.value('CLUSTER_TYPE', 'k8s,bgp'),
      EnvEntry.value('IP', 'autodetect'),
    ];
    if (this.ipAutodetectionMethod) env.push(EnvEntry.value('IP_AUTODETECTION_METHOD', this.ipAutodetectionMethod.value));
    env.push(
      EnvEntry.value('CALICO_IPV4POOL_IPIP', this.ipipMode),
      EnvEntry.value('CALICO_IPV4POOL_VXLAN', this.vxlanMode),
      EnvEntry.value('CALICO_IPV6POOL_VXLAN', this.backend === CalicoBackend.VXLAN ? CalicoEncapsulationMode.CROSS_SUBNET : CalicoEncapsulationMode.NEVER),
      cfg('FELIX_IPINIPMTU', 'veth_mtu'),
      cfg('FELIX_VXLANMTU', 'veth_mtu'),
      cfg('FELIX_WIREGUARDMTU', 'veth_mtu'),
    );
    if (this.ipv4Pool.cidr !== undefined) env.push(EnvEntry.value('CALICO_IPV4POOL_CIDR', this.ipv4Pool.cidr));
    if (this.ipv4Pool.blockSize !== undefined) env.push(EnvEntry.value('CALICO_IPV4POOL_BLOCK_SIZE', String(this.ipv4Pool.blockSize)));
    if (this.ipv4Pool.natOutgoing !== undefined) env.push(EnvEntry.value('CALICO_IPV4POOL_NAT_OUTGOING', String(this.ipv4Pool.natOutgoing)));
    env.push(
      EnvEntry.value('CALICO_DISABLE_FILE_LOGGING', 'true'),
      EnvEntry.value('FELIX_DEFAULTENDPOINTTOHOSTACTION', 'ACCEPT'),
      EnvEntry.value('FELIX_IPV6SUPPORT', 'false'),
      EnvEntry.value('FELIX_HEALTHENABLED', 'true'),
    );
    if (this.wireguard) env.push(EnvEntry.value('FELIX_WIREGUARDENABLED', 'true'));
    return env;
  }

  protected checkCoexistence(_sink: ProblemSink, _peers: IConstruct[]): void {
    // calico's install-cni writes 10-calico.conflist and leaves other files alone; Multus points
    // its readinessindicatorfile at readinessIndicatorFile. Only the base's one-primary rule applies.
  }

  private buildNode(): NodeAgentDaemonSet {
    const ds = new NodeAgentDaemonSet(this, 'Resource', {
      name: 'calico-node',
      selectorLabels: { 'k8s-app': 'calico-node' },
      tolerations: [
        Toleration.exists({ effect: TaintEffect.NO_SCHEDULE }),
        Toleration.exists({ key: 'CriticalAddonsOnly' }),
        Toleration.exists({ effect: TaintEffect.NO_EXECUTE }),
      ],
      serviceAccountName: 'calico-node',
      updateStrategy: UpdateStrategy.rollingUpdate({ maxUnavailable: 1 }),
      terminationGracePeriodSeconds: 0,
      cniBinVolumeName: 'cni-bin-dir',
      cniConfVolumeName: 'cni-net-dir',
    });
    ds.addHostPathVolume('cni-bin-dir', '/opt/cni/bin', HostPathType.DIRECTORY_OR_CREATE);
    ds.addHostPathVolume('lib-modules', '/lib/modules');
    ds.addHostPathVolume('var-run-calico', '/var/run/calico', HostPathType.DIRECTORY_OR_CREATE);
    ds.addHostPathVolume('var-lib-calico', '/var/lib/calico', HostPathType.DIRECTORY_OR_CREATE);
    ds.addHostPathVolume('xtables-lock', '/run/xtables.lock', HostPathType.FILE_OR_CREATE);
    ds.addHostPathVolume('sys-fs', '/sys/fs/', HostPathType.DIRECTORY_OR_CREATE);
    ds.addHostPathVolume('bpffs', '/sys/fs/bpf', HostPathType.DIRECTORY);
    ds.addHostPathVolume('nodeproc', '/proc');
    ds.addHostPathVolume('cni-log-dir', '/var/log/calico/cni');
    ds.addHostPathVolume('host-local-net-dir', '/var/lib/cni/networks');
    ds.addHostPathVolume('policysync', '/var/run/nodeagent', HostPathType.DIRECTORY_OR_CREATE);
    const servicesEndpoint = [{ name: 'kubernetes-services-endpoint', optional: true }];
    const nodeName = EnvEntry.fieldRef('KUBERNETES_NODE_NAME', 'spec.nodeName');
    ds.addInitContainer({
      name: 'upgrade-ipam',
      image: this.cniImage,
      command: ['/opt/cni/bin/calico-ipam', '-upgrade'],
      envFromConfigMaps: servicesEndpoint,
      env: [nodeName, EnvEntry.configMapKey('CALICO_NETWORKING_BACKEND', 'calico-config', 'calico_backend')],
      mounts: [{ volume: 'host-local-net-dir', mountPath: '/var/lib/cni/networks' }, { volume: 'cni-bin-dir', mountPath: '/host/opt/cni/bin' }],
      security: NodeAgentSecurity.privileged(),
    });
    ds.addInitContainer({
      name: 'install-cni',
      image: this.cniImage,
      command: ['/opt/cni/bin/install'],
      envFromConfigMaps: servicesEndpoint,
      env: [
        EnvEntry.value('CNI_CONF_NAME', this.cniConfigFile),
        EnvEntry.configMapKey('CNI_NETWORK_CONFIG', 'calico-config', 'cni_network_config'),
        nodeName,
        EnvEntry.configMapKey('CNI_MTU', 'calico-config', 'veth_mtu'),
        EnvEntry.value('SLEEP', 'false'),
      ],
      mounts: [{ volume: 'cni-bin-dir', mountPath: '/host/opt/cni/bin' }, { volume: 'cni-net-dir', mountPath: '/host/etc/cni/net.d' }],
      security: NodeAgentSecurity.privileged(),
    });
    ds.addInitContainer({
      name: 'ebpf-bootstrap',
      image: this.nodeImage,
      command: ['calico-node', '-init', '-best-effort'],
      mounts: [
        { volume: 'sys-fs', mountPath: '/sys/fs', propagation: MountPropagation.BIDIRECTIONAL },
        { volume: 'var-run-calico', mountPath: '/var/run/calico', propagation: MountPropagation.BIDIRECTIONAL },
        { volume: 'nodeproc', mountPath: '/nodeproc', readOnly: true },
      ],
      security: NodeAgentSecurity.privileged(),
    });
    const bird = this.backend === CalicoBackend.BIRD;
    ds.addContainer({
      name: 'calico-node',
      image: this.nodeImage,
      envFromConfigMaps: servicesEndpoint,
      env: this.nodeEnv(),
      security: NodeAgentSecurity.privileged(),
      resources: { requests: { cpu: '250m' } },
      lifecycle: { preStop: { exec: { command: ['/bin/calico-node', '-shutdown'] } } },
      // without BIRD (vxlan or policy-only), the bird checks are dropped, as calico-vxlan.yaml does
      livenessProbe: {
        exec: { command: ['/bin/calico-node', '-felix-live', ...(bird ? ['-bird-live'] : [])] },
        periodSeconds: 10, initialDelaySeconds: 10, failureThreshold: 6, timeoutSeconds: 10,
      },
      readinessProbe: {
        exec: { command: ['/bin/calico-node', '-felix-ready', ...(bird ? ['-bird-ready'] : [])] },
        periodSeconds: 10, timeoutSeconds: 10,
      },
      mounts: [
        { volume: 'cni-net-dir', mountPath: '/host/etc/cni/net.d', readOnly: false },
        { volume: 'lib-modules', mountPath: '/lib/modules', readOnly: true },
        { volume: 'xtables-lock', mountPath: '/run/xtables.lock', readOnly: false },
        { volume: 'var-run-calico', mountPath: '/var/run/calico', readOnly: false },
        { volume: 'var-lib-calico', mountPath: '/var/lib/calico', readOnly: false },
        { volume: 'policysync', mountPath: '/var/run/nodeagent' },
        { volume: 'bpffs', mountPath: '/sys/fs/bpf' },
        { volume: 'cni-log-dir', mountPath: '/var/log/calico/cni', readOnly: true },
      ],
    });
    ds.addJsonPatch(JsonPatch.add('/spec/template/spec/securityContext', { seccompProfile: { type: 'RuntimeDefault' } }));
    return ds;
  }

  private buildKubeControllers(): void {
    const labels = { 'k8s-app': 'calico-kube-controllers' };
    new k8s.KubeDeployment(this, 'KubeControllers', {
      metadata: { name: 'calico-kube-controllers', namespace: KUBE_SYSTEM, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        strategy: { type: 'Recreate' },
        template: {
          // upstream also writes name/namespace in the template metadata (ignored by Kubernetes)
          metadata: { labels },
          spec: {
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            tolerations: [
              { key: 'CriticalAddonsOnly', operator: 'Exists' },
              { key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' },
              { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
            ],
            serviceAccountName: 'calico-kube-controllers',
            securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
            priorityClassName: PriorityClass.SYSTEM_CLUSTER_CRITICAL.name,
            containers: [{
              name: 'calico-kube-controllers',
              image: this.kubeControllersImage.toString(),
              imagePullPolicy: 'IfNotPresent',
              env: [{ name: 'ENABLED_CONTROLLERS', value: 'node,loadbalancer' }, { name: 'DATASTORE_TYPE', value: 'kubernetes' }],
              livenessProbe: { exec: { command: ['/usr/bin/check-status', '-l'] }, periodSeconds: 10, initialDelaySeconds: 10, failureThreshold: 6, timeoutSeconds: 10 },
              readinessProbe: { exec: { command: ['/usr/bin/check-status', '-r'] }, periodSeconds: 10 },
              securityContext: { runAsNonRoot: true },
            }],
          },
        },
      },
    });
  }

  private propProblems() {
    const sink = new ProblemSink();
    if (!Number.isInteger(this.mtu) || (this.mtu !== 0 && (this.mtu < 576 || this.mtu > 9216))) {
      sink.error('mtu', 'is not a usable MTU', this.mtu, 'use 0 for auto-detection or an integer from 576 to 9216');
    }
    const pool = this.ipv4Pool;
    let prefix: number | undefined;
    if (pool.cidr !== undefined) {
      const c = Cidr.tryParse(pool.cidr);
      if (!c || c.family !== IpFamily.IPV4) sink.error('ipv4Pool.cidr', 'is not an IPv4 prefix', pool.cidr, 'write the pod CIDR, e.g. "192.168.0.0/16"');
      else if (c.hasHostBits) sink.error('ipv4Pool.cidr', 'has host bits set', pool.cidr, `use the network address ${c.canonical.toString()}`);
      else prefix = c.prefix;
    }
    if (pool.blockSize !== undefined) {
      if (!Number.isInteger(pool.blockSize) || pool.blockSize < 20 || pool.blockSize > 32) {
        sink.error('ipv4Pool.blockSize', 'is not a block size Calico accepts', pool.blockSize, 'use a prefix length from 20 to 32 (default 26)');
      } else if (pool.blockSize < (prefix ?? 16)) {
        sink.error('ipv4Pool.blockSize', `is larger than the pool /${prefix ?? 16}`, pool.blockSize, 'use a block prefix length at least the pool prefix length');
      }
    }
    if (this.ipipMode !== CalicoEncapsulationMode.NEVER && this.vxlanMode !== CalicoEncapsulationMode.NEVER) {
      sink.error('ipv4Pool.vxlanMode', `is ${this.vxlanMode} while ipipMode is ${this.ipipMode}; a pool has one encapsulation`, this.vxlanMode, 'set one of ipipMode and vxlanMode to CalicoEncapsulationMode.NEVER');
    }
    if (this.backend !== CalicoBackend.BIRD && this.ipipMode !== CalicoEncapsulationMode.NEVER) {
      sink.error('ipv4Pool.ipipMode', `is ${this.ipipMode}, but IP-in-IP needs BGP (backend bird); the backend is ${this.backend}`, this.ipipMode,
        'use vxlanMode with the vxlan backend, or the bird backend');
    }
    for (const c of this.ipAutodetectionMethod?.cidrs ?? []) {
      if (!Cidr.tryParse(c)) sink.error('ipAutodetectionMethod', 'names a CIDR that is not one', c, 'write prefixes such as "10.0.0.0/24"');
    }
    return sink.problems;
  }
}

function copyRule(r: RbacRule): RbacRule {
  return { apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs], resourceNames: r.resourceNames ? [...r.resourceNames] : undefined };
}
