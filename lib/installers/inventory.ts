/**
 * The tie between installers and NetworkAttachmentDefinitions: which CNI plugin and IPAM types
 * the constructs of an App put on the nodes.
 *
 * Any construct that installs CNI binaries implements {@link ICniPluginProvider} (a readonly
 * `providedCniTypes` list of CNI `type` values). The App-wide check finds providers by walking
 * the construct tree: no registration call is needed.
 */
import { IConstruct } from 'constructs';

/** A construct that installs CNI plugin / IPAM binaries on the nodes. */
export interface ICniPluginProvider extends IConstruct {
  /**
   * The CNI `type` values (plugins and IPAM plugins) this construct installs into the CNI bin
   * directory of the nodes, e.g. `['flannel']` or `['whereabouts']`. Delegates it merely calls
   * (Multus calls macvlan, ...) are not listed.
   */
  readonly providedCniTypes: readonly string[];
}

/** Whether a construct implements {@link ICniPluginProvider}. */
export function isCniPluginProvider(x: unknown): x is ICniPluginProvider {
  return typeof x === 'object' && x !== null && Array.isArray((x as { providedCniTypes?: unknown }).providedCniTypes);
}
