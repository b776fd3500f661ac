import { IConstruct } from 'constructs';

/**
 * The construct context key that turns on namespace-relative references for an App, as
 * {@link NetworkReferences.namespaceRelative} does: `app.node.setContext(NAMESPACE_RELATIVE_CONTEXT, true)`
 * (constructs only accept context before the first child is added).
 */
export const NAMESPACE_RELATIVE_CONTEXT = 'cdk8s-nfv:namespaceRelativeReferences';

/** The Apps (by their root construct) whose references are namespace-relative. */
const RELATIVE = new WeakSet<IConstruct>();
/** The Apps where a reference was already written into a manifest patch (fixed at attach time). */
const WRITTEN = new WeakSet<IConstruct>();

/**
 * How the pods of an App name the NetworkAttachmentDefinitions they attach to.
 *
 * By default every element of the `k8s.v1.cni.cncf.io/networks` annotation names the NAD's
 * namespace. That pins the output to the namespaces known at synth: when the manifests are placed
 * later, by a Helm-style release namespace or kustomize's `namespace:`, the NADs move and the
 * references do not. With {@link NetworkReferences.namespaceRelative}, an element whose NAD is in
 * the pod's own namespace leaves `namespace` out, and Multus looks the NAD up in the namespace the
 * pod is finally created in. References to NADs in another namespace (an `ExternalNetwork`
 * elsewhere, a NAD of another chart's namespace) keep their namespace: they are meant to stay put.
 *
 * The `v1.multus-cni.io/default-network` annotation always names its namespace: Multus looks an
 * element without one up in its own namespace (kube-system), not the pod's.
 *
 * The whole-topology check and `cdk8s-nfv lint` read a reference without namespace as Multus
 * does (the pod's namespace), so both forms are checked alike.
 */
export class NetworkReferences {
  /**
   * Makes the networks annotations of every pod of the App of `scope` namespace-relative. Call it
   * before the first network is attached in the App: references written into the pod templates of
   * existing objects (`Include`, `Helm`, hand-made `ApiObject`s) are fixed when they are attached.
   */
  public static namespaceRelative(scope: IConstruct): void {
    const root = scope.node.root;
    if (RELATIVE.has(root)) return;
    if (WRITTEN.has(root)) {
      throw new Error("'namespaceRelative' is set after networks were attached to existing pod templates of the App: got "
        + `${JSON.stringify(root.node.path || '<root>')}; call NetworkReferences.namespaceRelative(app) before the first attach`);
    }
    RELATIVE.add(root);
  }

  /** Whether the App of `scope` writes namespace-relative references. */
  public static isNamespaceRelative(scope: IConstruct): boolean {
    const root = scope.node.root;
    return RELATIVE.has(root) || root.node.tryGetContext(NAMESPACE_RELATIVE_CONTEXT) === true;
  }

  /**
   * Records that a reference of the App of `scope` was written in a form fixed from now on.
   * @internal
   */
  public static _markWritten(scope: IConstruct): void {
    WRITTEN.add(scope.node.root);
  }

  private constructor() {}
}
