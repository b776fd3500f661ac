import { KubeObject } from './deployment-plan';

/**
 * The annotations through which the Kubernetes provider is told how to wait for and delete one
 * object (`pulumi.com/skipAwait`, `pulumi.com/deletionPropagationPolicy`): the component's readiness and
 * deletion options become these, set on the object it sends, never on the synthesized object.
 */

/** The provider annotation that turns off waiting for readiness (and, for workloads and Namespaces, for deletion). */
export const SKIP_AWAIT = 'pulumi.com/skipAwait';
/** The provider annotation choosing how dependents are deleted. */
export const DELETION_PROPAGATION = 'pulumi.com/deletionPropagationPolicy';

/** How the API server deletes an object's dependents when the provider deletes it. */
export type DeletionPropagation = 'foreground' | 'background' | 'orphan';
const PROPAGATIONS: readonly DeletionPropagation[] = ['foreground', 'background', 'orphan'];

/** What the provider is told for every object of a deployment. */
export interface ProviderAnnotationOptions {
  /** Wait for readiness unless an object is listed in `skipAwait`. */
  readonly awaitReadiness: boolean;
  /** Keys of objects not waited for. */
  readonly skipAwait: ReadonlySet<string>;
  /** @default - the provider's (foreground) */
  readonly deletionPropagation?: DeletionPropagation;
}

/**
 * Checks the component's readiness and deletion props against the deployment's object keys;
 * throws in the house style.
 */
export function providerAnnotationOptions(props: {
  readonly awaitReadiness?: unknown;
  readonly skipAwait?: unknown;
  readonly deletionPropagation?: unknown;
}, keys: readonly string[]): ProviderAnnotationOptions {
  const awaitReadiness = props.awaitReadiness ?? true;
  if (typeof awaitReadiness !== 'boolean') {
    throw new Error(`'awaitReadiness' is not a boolean: got ${JSON.stringify(awaitReadiness)}; pass true (wait for each object to be ready) or false`);
  }
  const skip = props.skipAwait ?? [];
  if (!Array.isArray(skip)) {
    throw new Error(`'skipAwait' is not a list of object keys: got ${JSON.stringify(skip)}; pass keys such as "apps/v1/Deployment/core/upf"`);
  }
  const known = new Set(keys);
  for (const k of skip) {
    if (typeof k !== 'string' || !known.has(k)) {
      const sample = keys.slice(0, 3).map((x) => JSON.stringify(x)).join(', ');
      throw new Error(`'skipAwait' names no object of this deployment: got ${JSON.stringify(k)}; use keys of the deployment's resources, e.g. ${sample}`);
    }
  }
  const propagation = props.deletionPropagation;
  if (propagation !== undefined && !PROPAGATIONS.includes(propagation as DeletionPropagation)) {
    throw new Error(`'deletionPropagation' is not a deletion propagation policy: got ${JSON.stringify(propagation)}; use one of ${PROPAGATIONS.join(', ')}`);
  }
  return { awaitReadiness, skipAwait: new Set(skip as string[]), deletionPropagation: propagation as DeletionPropagation | undefined };
}

/**
 * The object to send for `key`: the synthesized object itself when nothing is to be added, else a
 * copy whose annotations also hold the provider's. Annotations the object already has win.
 */
export function withProviderAnnotations(obj: KubeObject, key: string, options: ProviderAnnotationOptions): KubeObject {
  const add: Record<string, string> = {};
  if (!options.awaitReadiness || options.skipAwait.has(key)) add[SKIP_AWAIT] = 'true';
  if (options.deletionPropagation !== undefined) add[DELETION_PROPAGATION] = options.deletionPropagation;
  if (Object.keys(add).length === 0) return obj;
  const metadata = obj.metadata ?? {};
  return { ...obj, metadata: { ...metadata, annotations: { ...add, ...(metadata.annotations ?? {}) } } };
}
