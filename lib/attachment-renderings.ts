import { IConstruct } from 'constructs';
import { AttachmentRendering, isAttachmentRendering } from './attachment-rendering';
import { renderValue } from './cni/problem';

/**
 * The construct context key that sets the App's default rendering, as
 * {@link AttachmentRenderings.setDefault} does:
 * `app.node.setContext(ATTACHMENT_RENDERING_CONTEXT, AttachmentRendering.DRA_CNI)` (constructs
 * only accept context before the first child is added). Its value is an {@link AttachmentRendering}
 * value, e.g. `'dra-cni'`; {@link AttachmentRenderings.setDefault} wins over it.
 */
export const ATTACHMENT_RENDERING_CONTEXT = 'cdk8s-nfv:attachmentRendering';

/** The default rendering of each App (by its root construct), once set or read. */
const DEFAULTS = new WeakMap<IConstruct, AttachmentRendering>();

/** The renderings a user may write, for error messages. */
const CHOICES = (): string => Object.values(AttachmentRendering).map((r) => JSON.stringify(r)).join(', ');

/**
 * The rendering the attachments of an App get when their workload names none: the App-level
 * choice of issue 17 ("the user picks the rendering per network or per App"). Per workload,
 * `PodNetworks.of(workload, { rendering })` and `NetworkFunctionProps.rendering` win over it.
 *
 * The default is read once per App, at the first `PodNetworks.of` (or NetworkFunction) that
 * needs it: set it before the first attachment. Without it, attachments are rendered as
 * {@link AttachmentRendering.NAD_ANNOTATION}.
 *
 * There is no per-network choice: a network is one logical thing that the pods of several
 * workloads may reach through different renderings, and a workload's pods are rendered one way
 * (Multus reads one annotation, the DRA drivers the pods' claims).
 */
export class AttachmentRenderings {
  /**
   * Sets the default rendering of the App of `scope`. Refused once the App's default was read (a
   * workload's networks were rendered with it) and it differs.
   */
  public static setDefault(scope: IConstruct, rendering: AttachmentRendering): void {
    if (!isAttachmentRendering(rendering)) {
      throw new Error(`AttachmentRenderings.setDefault: 'rendering' is not an AttachmentRendering: got ${renderValue(rendering)}; use one of ${CHOICES()}`);
    }
    const root = scope.node.root;
    const current = DEFAULTS.get(root);
    if (current !== undefined && current !== rendering) {
      throw new Error(`AttachmentRenderings.setDefault: 'rendering' differs from the default the App's workloads were already rendered with (${renderValue(current)}): `
        + `got ${renderValue(rendering)}; set the default before the first PodNetworks.of or NetworkFunction, or give the rendering per workload`);
    }
    DEFAULTS.set(root, rendering);
  }

  /**
   * The default rendering of the App of `scope`: set by {@link setDefault}, else the context key
   * {@link ATTACHMENT_RENDERING_CONTEXT} (read once, checked), else NAD_ANNOTATION. Reading it
   * fixes it for the App.
   */
  public static defaultOf(scope: IConstruct): AttachmentRendering {
    const root = scope.node.root;
    const known = DEFAULTS.get(root);
    if (known !== undefined) return known;
    const given = root.node.tryGetContext(ATTACHMENT_RENDERING_CONTEXT);
    if (given !== undefined && !isAttachmentRendering(given)) {
      throw new Error(`App context: '${ATTACHMENT_RENDERING_CONTEXT}' is not an AttachmentRendering: got ${renderValue(given)}; use one of ${CHOICES()}`);
    }
    const rendering = given ?? AttachmentRendering.NAD_ANNOTATION;
    DEFAULTS.set(root, rendering);
    return rendering;
  }

  private constructor() {}
}
