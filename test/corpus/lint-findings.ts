/**
 * What `lint` reports on each upstream manifest of the corpus (with the folder's external networks
 * declared), finding by finding, in order, as `<severity> <object> <field>: <message>`, and what
 * kind of finding each is. corpus.test.ts asserts that lint reports exactly these.
 */

/** The kinds of findings. */
export enum FindingKind {
  /** A real bug of upstream (SOURCE.md names it): lint must report it. */
  UPSTREAM_BUG = 'upstream bug',
  /** The document is not strict YAML: read as kubectl reads it, and said so. */
  READ_AS_KUBECTL = 'read as kubectl reads it',
  /** A plugin outside the library: its fields are not checked, and lint says so. */
  NOT_CHECKED = 'not checked',
  /**
   * The library disagrees with Multus (a false positive to fix in the rulebook): the deployment
   * works as upstream wrote it.
   */
  LIBRARY_DISAGREES_WITH_MULTUS = 'library disagrees with Multus',
  /** Upstream works through a path its project deprecated: lint warns, and names the path. */
  DEPRECATED_PATH = 'deprecated path',
}

const BUG = FindingKind.UPSTREAM_BUG;
const READ = FindingKind.READ_AS_KUBECTL;
const UNCHECKED = FindingKind.NOT_CHECKED;
const DEPRECATED = FindingKind.DEPRECATED_PATH;

export const LINT_FINDINGS: Readonly<Record<string, ReadonlyArray<readonly [FindingKind, string]>>> = {
  'antrea-multus-cookbook': [
    [BUG, 'error NetworkAttachmentDefinition macvlan-conf spec.config.ipam.datastore: belongs to the etcd backend, which whereabouts removed in 2022 (it keeps allocations in Kubernetes IPPool resources)'],
  ],
  'antrea-secondary-network': [
    [READ, 'warning Pod sample-pod-secondary-network-vlan document 5: is not strict YAML; it was read as kubectl reads it'],
  ],
  'charmed-sdcore-upf': [
  ],
  'cnf-testbed-gogtp': [
    [READ, 'warning NetworkAttachmentDefinition lte-euu document 0: is not strict YAML; it was read as kubectl reads it'],
    [READ, 'warning NetworkAttachmentDefinition lte-s11 document 1: is not strict YAML; it was read as kubectl reads it'],
    [READ, 'warning NetworkAttachmentDefinition lte-s1u document 2: is not strict YAML; it was read as kubectl reads it'],
    [READ, 'warning NetworkAttachmentDefinition lte-s1c document 3: is not strict YAML; it was read as kubectl reads it'],
    [READ, 'warning NetworkAttachmentDefinition lte-s5u document 4: is not strict YAML; it was read as kubectl reads it'],
    [READ, 'warning NetworkAttachmentDefinition lte-s5c document 5: is not strict YAML; it was read as kubectl reads it'],
    [READ, 'warning NetworkAttachmentDefinition lte-sgi document 6: is not strict YAML; it was read as kubectl reads it'],
  ],
  'cnf-testbed-multus-sriov-gw': [
    [READ, 'warning NetworkAttachmentDefinition sriov-net-left document 0: is not strict YAML; it was read as kubectl reads it'],
    [READ, 'warning NetworkAttachmentDefinition sriov-net-right document 1: is not strict YAML; it was read as kubectl reads it'],
    [BUG, 'error Deployment multus-gw spec.template.metadata.annotations["k8s.v1.cni.cncf.io/networks"]: give the pod 2 IPv4 default routes through the IPAM routes of their networks'],
  ],
  'free5gc-helm': [
    [BUG, 'error Deployment free5gc/free5gc-helm-free5gc-amf-amf spec.template.metadata.annotations["k8s.v1.cni.cncf.io/networks"][0].gateway: is not a NetworkSelectionElement key, so Multus ignores it'],
    [BUG, 'error Deployment free5gc/free5gc-helm-free5gc-smf-smf spec.template.metadata.annotations["k8s.v1.cni.cncf.io/networks"][0].gateway: is not a NetworkSelectionElement key, so Multus ignores it'],
    [BUG, 'error Deployment free5gc/free5gc-helm-free5gc-upf-psaupf1 spec.template.metadata.annotations["k8s.v1.cni.cncf.io/networks"][0].gateway: is not a NetworkSelectionElement key, so Multus ignores it'],
    [BUG, 'error Deployment free5gc/free5gc-helm-free5gc-upf-psaupf1 spec.template.metadata.annotations["k8s.v1.cni.cncf.io/networks"][1].gateway: is not a NetworkSelectionElement key, so Multus ignores it'],
    [BUG, 'error Deployment free5gc/free5gc-helm-free5gc-upf-psaupf1 spec.template.metadata.annotations["k8s.v1.cni.cncf.io/networks"][2].gateway: is not a NetworkSelectionElement key, so Multus ignores it'],
    [BUG, 'error Deployment free5gc/free5gc-helm-free5gc-upf-psaupf2 spec.template.metadata.annotations["k8s.v1.cni.cncf.io/networks"][0].gateway: is not a NetworkSelectionElement key, so Multus ignores it'],
    [BUG, 'error Deployment free5gc/free5gc-helm-free5gc-upf-psaupf2 spec.template.metadata.annotations["k8s.v1.cni.cncf.io/networks"][1].gateway: is not a NetworkSelectionElement key, so Multus ignores it'],
    [BUG, 'error Deployment free5gc/free5gc-helm-free5gc-upf-psaupf2 spec.template.metadata.annotations["k8s.v1.cni.cncf.io/networks"][2].gateway: is not a NetworkSelectionElement key, so Multus ignores it'],
    [BUG, 'error Deployment free5gc/free5gc-helm-free5gc-upf-iupf1 spec.template.metadata.annotations["k8s.v1.cni.cncf.io/networks"][0].gateway: is not a NetworkSelectionElement key, so Multus ignores it'],
    [BUG, 'error Deployment free5gc/free5gc-helm-free5gc-upf-iupf1 spec.template.metadata.annotations["k8s.v1.cni.cncf.io/networks"][1].gateway: is not a NetworkSelectionElement key, so Multus ignores it'],
    [BUG, 'error Deployment free5gc/free5gc-helm-free5gc-upf-iupf1 spec.template.metadata.annotations["k8s.v1.cni.cncf.io/networks"][2].gateway: is not a NetworkSelectionElement key, so Multus ignores it'],
    [BUG, 'error Deployment free5gc/free5gc-helm-free5gc-upf-iupf1 spec.template.metadata.annotations["k8s.v1.cni.cncf.io/networks"][3].gateway: is not a NetworkSelectionElement key, so Multus ignores it'],
    [BUG, 'error Deployment free5gc/ueransim-gnb spec.template.metadata.annotations["k8s.v1.cni.cncf.io/networks"][0].gateway: is not a NetworkSelectionElement key, so Multus ignores it'],
    [BUG, 'error Deployment free5gc/ueransim-gnb spec.template.metadata.annotations["k8s.v1.cni.cncf.io/networks"][1].gateway: is not a NetworkSelectionElement key, so Multus ignores it'],
    [BUG, 'error Deployment free5gc/free5gc-helm-free5gc-upf-psaupf1 spec.template.metadata.annotations["k8s.v1.cni.cncf.io/networks"]: give the pod 3 IPv4 default routes through the IPAM routes of their networks'],
    [BUG, 'error Deployment free5gc/free5gc-helm-free5gc-upf-psaupf2 spec.template.metadata.annotations["k8s.v1.cni.cncf.io/networks"]: give the pod 3 IPv4 default routes through the IPAM routes of their networks'],
    [BUG, 'error Deployment free5gc/free5gc-helm-free5gc-upf-iupf1 spec.template.metadata.annotations["k8s.v1.cni.cncf.io/networks"]: give the pod 4 IPv4 default routes through the IPAM routes of their networks'],
    [BUG, 'error Deployment free5gc/ueransim-gnb spec.template.metadata.annotations["k8s.v1.cni.cncf.io/networks"]: give the pod 2 IPv4 default routes through the IPAM routes of their networks'],
  ],
  'kube-ovn-multi-nic': [
    [READ, 'warning Pod default/samplepod-route document 4: is not strict YAML; it was read as kubectl reads it'],
  ],
  'nvidia-network-operator-examples': [
    [READ, 'warning NetworkAttachmentDefinition default/example-macvlannetwork document 0: is not strict YAML; it was read as kubectl reads it'],
    [READ, 'warning NetworkAttachmentDefinition default/example-hostdevice-network document 1: is not strict YAML; it was read as kubectl reads it'],
  ],
  'onap-kud-vfw': [
    [READ, 'warning NetworkAttachmentDefinition default/ovn-networkobj document 0: is not strict YAML; it was read as kubectl reads it'],
    [UNCHECKED, 'warning NetworkAttachmentDefinition default/ovn-networkobj spec.config.type: is not a plugin the library knows; its fields are NOT CHECKED'],
    [READ, 'warning Deployment default/firewall document 1: is not strict YAML; it was read as kubectl reads it'],
    [READ, 'warning Deployment default/firewall-packetgen document 2: is not strict YAML; it was read as kubectl reads it'],
    [READ, 'warning Deployment default/firewall-sink document 3: is not strict YAML; it was read as kubectl reads it'],
  ],
  'onap-starlingx-vfw-sriov': [
    [READ, 'warning NetworkAttachmentDefinition default/sriov-device-unprotectednet document 0: is not strict YAML; it was read as kubectl reads it'],
    [BUG, 'warning NetworkAttachmentDefinition default/sriov-device-unprotectednet spec.config.cniVersion: is missing, which the plugins read as 0.1.0'],
    [READ, 'warning NetworkAttachmentDefinition default/sriov-device-protectednet document 1: is not strict YAML; it was read as kubectl reads it'],
    [BUG, 'warning NetworkAttachmentDefinition default/sriov-device-protectednet spec.config.cniVersion: is missing, which the plugins read as 0.1.0'],
    [BUG, 'error Deployment default/firewall-sriov spec.template.metadata.annotations["k8s.v1.cni.cncf.io/networks"]: give the pod 2 IPv4 default routes through the IPAM routes of their networks'],
  ],
  'ovn-kubernetes-multihoming': [
    [READ, 'warning Pod ns1/tinypod document 6: is not strict YAML; it was read as kubectl reads it'],
    [BUG, 'error Pod ns1/tinypod metadata.annotations["k8s.v1.cni.cncf.io/networks"][0].ips: is requested on an OVN-Kubernetes network that allocates from its subnets (10.100.200.0/24); OVN-K honours static ips only on layer2 and localnet networks without subnets'],
  ],
  'ovs-cni-demo': [
    [READ, 'warning Pod samplepod-2 document 5: is not strict YAML; it was read as kubectl reads it'],
    [READ, 'warning Pod samplepod-3 document 6: is not strict YAML; it was read as kubectl reads it'],
    [BUG, 'warning Pod samplepod-1 resources.ovs-cni.network.kubevirt.io/br1: is requested 0 time(s) but 2 attachment(s) name it: their plugins work without its device, but the scheduler may place the pod on a node that lacks the resource'],
    [DEPRECATED, 'warning Pod samplepod-2 metadata.annotations["k8s.v1.cni.cncf.io/networks"][0].ips: reaches default/ovs-ipam-net only as IP=10.10.10.1/24 in CNI_ARGS, Multus\'s deprecated path (still working in Multus 4.3.0), because no plugin declares the \'ips\' capability'],
    [BUG, 'warning Pod samplepod-2 resources.ovs-cni.network.kubevirt.io/br1: is requested 0 time(s) but 1 attachment(s) name it: their plugins work without its device, but the scheduler may place the pod on a node that lacks the resource'],
    [DEPRECATED, 'warning Pod samplepod-3 metadata.annotations["k8s.v1.cni.cncf.io/networks"][0].ips: reaches default/ovs-ipam-net only as IP=10.10.10.2/24 in CNI_ARGS, Multus\'s deprecated path (still working in Multus 4.3.0), because no plugin declares the \'ips\' capability'],
    [BUG, 'warning Pod samplepod-3 resources.ovs-cni.network.kubevirt.io/br1: is requested 0 time(s) but 1 attachment(s) name it: their plugins work without its device, but the scheduler may place the pod on a node that lacks the resource'],
  ],
  'sriov-device-plugin-examples': [
    [READ, 'warning NetworkAttachmentDefinition sriov-net1 document 0: is not strict YAML; it was read as kubectl reads it'],
    [READ, 'warning NetworkAttachmentDefinition sriov-dpdk-net2000 document 3: is not strict YAML; it was read as kubectl reads it'],
    [BUG, 'warning NetworkAttachmentDefinition sriov-dpdk-net2000 spec.config.cniVersion: is missing, which the plugins read as 0.1.0'],
    [READ, 'warning NetworkAttachmentDefinition sriov-net-gtp document 5: is not strict YAML; it was read as kubectl reads it'],
  ],
  'userspace-cni-examples': [
  ],
};
