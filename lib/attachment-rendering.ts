/**
 * How the attachments of a workload's pods are written out. The attachment is one logical thing
 * (a network, an interface, addresses); the rendering is how the cluster learns of it. The
 * App's whole-topology check runs on the model whatever the rendering.
 */
export enum AttachmentRendering {
  /** A NetworkAttachmentDefinition selected by the pods' Multus `k8s.v1.cni.cncf.io/networks` annotation. */
  NAD_ANNOTATION = 'nad-annotation',
  /**
   * A cni-dra-driver ResourceClaimTemplate per attachment (the NAD's config, the per-pod values as
   * `runtimeConfig`) and the pods' `spec.resourceClaims` (see `DraNetworkClaims`); no annotation.
   * Options only Multus can carry (defaultRoute, cniArgs, ipamClaimReference) and the
   * default-network override are refused; the target must be a Network or a NAD of the App.
   */
  DRA_CNI = 'dra-cni',
}
