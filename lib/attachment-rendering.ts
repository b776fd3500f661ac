/**
 * How the attachments of a workload's pods are written out. The attachment is one logical thing
 * (a network, an interface, addresses); the rendering is how the cluster learns of it. The
 * App's whole-topology check runs on the model whatever the rendering.
 */
export enum AttachmentRendering {
  /** A NetworkAttachmentDefinition selected by the pods' Multus `k8s.v1.cni.cncf.io/networks` annotation. */
  NAD_ANNOTATION = 'nad-annotation',
  /**
   * A cni-dra-driver ResourceClaimTemplate per attachment (the network's CNI config, the per-pod
   * values as `runtimeConfig`) and the pods' `spec.resourceClaims` (see `DraNetworkClaims`); no
   * annotation, and no NAD for a logical `Network` target. Options only Multus can carry
   * (defaultRoute, cniArgs, ipamClaimReference) and the default-network override are refused;
   * the target must be a Network or a NAD of the App.
   */
  DRA_CNI = 'dra-cni',
  /**
   * A ResourceClaimTemplate per attachment for the SR-IOV DRA driver
   * (k8snetworkplumbingwg/dra-driver-sriov): one virtual function, selected by the Multus device
   * attribute `k8s.cni.cncf.io/resourceName` when the NAD has a `resourceName`, with a `VfConfig`
   * naming the NAD whose config the driver runs (so the NAD stays). Only SR-IOV networks; no
   * per-pod values (the driver runs the NAD as written: bake addresses into a NAD of their own).
   */
  DRA_SRIOV = 'dra-sriov',
  /**
   * A ResourceClaimTemplate per attachment for DRANET (kubernetes-sigs/dranet): a host interface
   * (selected by `dra.net` attribute `ifName`) moved into the pod and configured from DRANET's
   * `NetworkConfig` (name, static addresses, MTU, MAC). No CNI plugin runs: only host-device
   * networks with static or no IPAM; no NAD for a logical `Network` target.
   */
  DRA_DRANET = 'dra-dranet',
}

const RENDERINGS: ReadonlySet<string> = new Set(Object.values(AttachmentRendering));
const DRA_RENDERINGS: ReadonlySet<string> = new Set([AttachmentRendering.DRA_CNI, AttachmentRendering.DRA_SRIOV, AttachmentRendering.DRA_DRANET]);

/** Whether `x` is a value of {@link AttachmentRendering} (for callers without a type checker). */
export function isAttachmentRendering(x: unknown): x is AttachmentRendering {
  return typeof x === 'string' && RENDERINGS.has(x);
}

/** Whether a rendering writes DRA claims (the attachments go to `DraNetworkClaims`). */
export function isDraRendering(r: unknown): r is AttachmentRendering.DRA_CNI | AttachmentRendering.DRA_SRIOV | AttachmentRendering.DRA_DRANET {
  return typeof r === 'string' && DRA_RENDERINGS.has(r);
}
