import { IConstruct, IValidation } from 'constructs';

/**
 * What a NetworkAttachmentDefinition publishes for checks that live in other parts of the library,
 * so that the NAD imports none of them: the installers' CNI inventory (lib/installers/inventory.ts)
 * registers here what it does when a NAD is created and what it checks at synth. The NAD knows
 * only this small interface; it never imports the installers floor.
 */
export interface INadView extends IConstruct {
  /** The Kubernetes name. */
  readonly name: string;
  /** `namespace/name`, or `name`. */
  readonly qualifiedName: string;
  /** The plugins of the CNI config (type and IPAM type), or undefined for a node-file NAD. */
  readonly config?: {
    readonly plugins: ReadonlyArray<{ readonly type: string; readonly ipam?: { readonly type: string; readonly requiresDaemon?: boolean } }>;
  };
}

/** The brand of NetworkAttachmentDefinition constructs (as `ApiObject.isApiObject` does for API objects). */
export const NAD_BRAND = Symbol.for('cdk8s-nfv.NetworkAttachmentDefinition');

/** Whether a value is a NetworkAttachmentDefinition construct of this library (any copy of it). */
export function isNadView(x: unknown): x is INadView {
  return typeof x === 'object' && x !== null && (x as { [NAD_BRAND]?: unknown })[NAD_BRAND] === true;
}

/** A check of NADs provided by another part of the library. */
export interface NadCheck {
  /** Called once when a NAD is created. @default - nothing */
  readonly created?: (nad: INadView) => void;
  /** The synth-time validation of one NAD: its messages, in the library's error style. */
  readonly validate: (nad: INadView) => string[];
}

// the checks are code, registered once when their module loads (as plugin classes are in
// lib/cni/registry.ts); no per-App state lives here
const CHECKS: NadCheck[] = [];

/** Registers a check of every NAD created from now on (and of those created before, at synth). */
export function registerNadCheck(check: NadCheck): void {
  if (!CHECKS.includes(check)) CHECKS.push(check);
}

/** Announces a new NAD to the registered checks; returns its synth-time validation. */
export function announceNad(nad: INadView): IValidation {
  for (const c of CHECKS) c.created?.(nad);
  return { validate: () => CHECKS.flatMap((c) => c.validate(nad)) };
}
