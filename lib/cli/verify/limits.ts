/**
 * The limits of one verify run, stated once and enforced by the plan: past them, an object is a
 * FAILED input row (replicas, attachments per pod) or the run cannot start (pods, objects, nodes).
 */
export const VERIFY_LIMITS = {
  /** Pods one workload may ask for (`spec.replicas`, `spec.parallelism`). */
  maxReplicas: 256,
  /** Network attachments (selection elements, default network included) per pod. */
  maxAttachmentsPerPod: 32,
  /** Pods (network namespaces) per run, probe pods included. */
  maxPods: 2000,
  /** Kubernetes objects per run. */
  maxObjects: 20000,
  /** Emulated nodes. */
  maxNodes: 64,
} as const;
