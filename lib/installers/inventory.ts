/**
 * The tie between installers and NetworkAttachmentDefinitions: which CNI plugin and IPAM types
 * the constructs of a cluster put on its nodes, and a synth-time check that every type a NAD uses
 * is one of them.
 *
 * - Any construct that installs CNI binaries implements {@link ICniPluginProvider} (a readonly
 *   `providedCniTypes` list of CNI `type` values). The check finds providers by walking the
 *   construct tree: no registration call is needed.
 * - Binaries already on the nodes (OS packages, the container runtime, a provider not built with
 *   this library) are declared with {@link PreinstalledCniPlugins}.
 * - "The cluster" of a construct is its `assignCluster` cluster (lib/installers/cluster-network.ts),
 *   by default the whole App.
 * - An App with NADs but no installer and no declaration fails: the library cannot know what the
 *   nodes run, and a NAD whose plugin is missing fails only at pod creation, on the node.
 * - NADs with `dhcp` IPAM also need the dhcp daemon: a `CniPlugins` installer of the cluster adds
 *   its `DhcpDaemon` automatically (see {@link CNI_INVENTORY_CHECK}); otherwise the check fails
 *   and names the fix.
 *
 * The NADs do not import this file: they announce themselves through lib/nad-checks.ts, where
 * this file registers its check when it loads (the package entry point loads it).
 */
import * as semver from 'semver';
import { Construct, IConstruct } from 'constructs';
import { Problem, ProblemSink, formatProblem, throwIfErrors } from '../cni/problem';
import { PluginsProfile, PluginProject } from '../cni/profile';
import { ipamSpec, knownIpamTypes, knownPluginTypes, pluginSpec } from '../cni/registry';
// loads every plugin and IPAM module, so that the registry is complete
import '../cni/plugins';
import '../cni/ipam/index';
import { INadView, isNadView, registerNadCheck } from '../nad-checks';
import { constructsOfApp, hookValidationPasses, memoInPass } from '../validation-pass';
import { clusterOf, sameClusterConstructs } from './cluster-network';
import { assertProps, pInstance, propsShape } from '../cni/props-check';
import { BOOL_PROP, STRING_LIST_PROP } from './installer-props';

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

/**
 * A construct that runs the CNI dhcp daemon for the nodes (`DhcpDaemon`), or declares that one
 * runs outside Kubernetes (`PreinstalledCniPlugins` with `dhcpDaemon: true`).
 */
export interface IDhcpDaemonProvider extends IConstruct {
  readonly providesDhcpDaemon: boolean;
}

function isDhcpDaemonProvider(x: unknown): x is IDhcpDaemonProvider {
  return typeof x === 'object' && x !== null && (x as { providesDhcpDaemon?: unknown }).providesDhcpDaemon === true;
}

/** A construct that adds a dhcp daemon on demand (the `CniPlugins` installer). */
export interface IDhcpDaemonHost extends IConstruct {
  /** Whether it adds the daemon by itself when a NAD of its cluster uses dhcp IPAM. */
  readonly addsDhcpDaemonAutomatically: boolean;
  /** Adds the dhcp daemon if it is not there yet. */
  addDhcpDaemon(): unknown;
}

function isDhcpDaemonHost(x: unknown): x is IDhcpDaemonHost {
  return typeof x === 'object' && x !== null && typeof (x as { addDhcpDaemon?: unknown }).addDhcpDaemon === 'function'
    && typeof (x as { addsDhcpDaemonAutomatically?: unknown }).addsDhcpDaemonAutomatically === 'boolean';
}

/** The CNI types of a project's registered plugins and IPAMs available in a profile. */
export function cniTypesOfProfile(profile: PluginsProfile, projects?: readonly PluginProject[]): string[] {
  const out = new Set<string>();
  const take = (project: PluginProject, since?: string) =>
    (projects === undefined || projects.includes(project)) && profile.supports(project, since);
  for (const t of knownPluginTypes()) {
    const s = pluginSpec(t)!;
    if (take(s.project, s.since)) out.add(t);
  }
  for (const t of knownIpamTypes()) {
    const s = ipamSpec(t)!;
    if (take(s.project, s.since)) out.add(t);
  }
  return [...out].sort();
}

/** The plugin and IPAM types of a containernetworking/plugins release (e.g. `1.9.1`). */
export function containernetworkingPluginTypes(version: string): string[] {
  const v = semver.coerce(version)?.version;
  if (!v) throw new Error(`'version' is not a release of containernetworking/plugins: got ${JSON.stringify(version)}; write a version such as "1.9.1"`);
  return cniTypesOfProfile(PluginsProfile.custom({ name: `containernetworking-plugins-${v}`, cniPlugins: v }), [PluginProject.CNI_PLUGINS]);
}

/** Properties of {@link PreinstalledCniPlugins}. */
export interface PreinstalledCniPluginsProps {
  /**
   * CNI types already on every node of the cluster.
   * @default - none besides those of `profile`
   */
  readonly types?: string[];
  /**
   * A profile whose projects are installed: every plugin and IPAM type the library knows for
   * the profile's versions is declared.
   * @default - none
   */
  readonly profile?: PluginsProfile;
  /**
   * A dhcp daemon runs on every node outside Kubernetes (e.g. a systemd unit), for NADs with
   * dhcp IPAM.
   * @default false
   */
  readonly dhcpDaemon?: boolean;
}

/** The shape of {@link PreinstalledCniPluginsProps} (runtime checks for callers without a type checker). */
const PREINSTALLED_CNI_PLUGINS_PROPS_SHAPE = propsShape('PreinstalledCniPluginsProps', {
  types: STRING_LIST_PROP,
  profile: pInstance([PluginsProfile], 'a PluginsProfile', 'use a PluginsProfile such as PluginsProfile.UPSTREAM'),
  dhcpDaemon: BOOL_PROP,
});

/** Declares CNI plugin and IPAM types that are on the nodes already (no installer needed). */
export class PreinstalledCniPlugins extends Construct implements ICniPluginProvider, IDhcpDaemonProvider {
  /** Declares every type of a profile, e.g. `PluginsProfile.DEBIAN_1_1_1`. */
  public static fromProfile(scope: Construct, id: string, profile: PluginsProfile, options: Omit<PreinstalledCniPluginsProps, 'profile'> = {}): PreinstalledCniPlugins {
    return new PreinstalledCniPlugins(scope, id, { ...options, profile });
  }

  public readonly providedCniTypes: readonly string[];
  public readonly providesDhcpDaemon: boolean;
  public readonly profile?: PluginsProfile;

  constructor(scope: Construct, id: string, props: PreinstalledCniPluginsProps = {}) {
    super(scope, id);
    assertProps(PREINSTALLED_CNI_PLUGINS_PROPS_SHAPE, props, `PreinstalledCniPlugins ${this.node.path}`);
    const sink = new ProblemSink();
    (props.types ?? []).forEach((t, i) => {
      if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(t)) sink.error(`types[${i}]`, 'is not a CNI plugin type', t, 'write the binary name, e.g. "macvlan"');
    });
    if (props.types === undefined && props.profile === undefined && !props.dhcpDaemon) {
      sink.error('types', 'is empty and no profile is given, so nothing is declared', props.types,
        'pass types (e.g. ["macvlan", "host-local"]) or use PreinstalledCniPlugins.fromProfile(scope, id, PluginsProfile.UPSTREAM)');
    }
    throwIfErrors(sink.problems, `PreinstalledCniPlugins ${this.node.path}`);
    this.profile = props.profile;
    const types = new Set<string>(props.types ?? []);
    if (props.profile) for (const t of cniTypesOfProfile(props.profile)) types.add(t);
    this.providedCniTypes = [...types].sort();
    this.providesDhcpDaemon = props.dhcpDaemon ?? false;
  }
}

/** A NetworkAttachmentDefinition as the inventory reads it (lib/nad-checks.ts). */
export type NadView = INadView;

/** Whether a NAD uses dhcp IPAM in any of its plugins. */
export function usesDhcpIpam(nad: NadView): boolean {
  return (nad.config?.plugins ?? []).some((p) => p.ipam?.type === 'dhcp' || p.ipam?.requiresDaemon === true);
}

/** Which installer provides a type, for the fix of an error. */
const INSTALLER_HINTS: Record<string, string> = {
  'whereabouts': 'new Whereabouts(scope, \'Whereabouts\')',
  'sriov': 'new SriovCni(scope, \'SriovCni\')',
  'flannel': 'new Flannel(scope, \'Flannel\')',
};

/** The types a NAD uses, with the field each comes from. */
function usedTypes(nad: NadView): { field: string; type: string }[] {
  const out: { field: string; type: string }[] = [];
  (nad.config?.plugins ?? []).forEach((p, i) => {
    out.push({ field: `spec.config.plugins[${i}].type`, type: p.type });
    if (p.ipam) out.push({ field: `spec.config.plugins[${i}].ipam.type`, type: p.ipam.type });
  });
  return out;
}

/** What the constructs of one cluster install, as the check reads it. */
interface ClusterInventory {
  /** The constructs that install (or declare) CNI types. */
  readonly providers: number;
  readonly provided: Set<string>;
  readonly dhcpDaemon: boolean;
  /** The first construct that can add a dhcp daemon, if any. */
  readonly dhcpHost?: IDhcpDaemonHost;
}

/**
 * The inventory of every cluster of an App: built from the one walk of the tree of a validation
 * pass and shared by the checks of all the NADs of the pass (per NAD, a walk each would cost
 * O(NADs × constructs)); lib/validation-pass.ts drops it when the next pass starts.
 */
const INVENTORY = Symbol('cdk8s-nfv.cniInventory');

function clusterInventory(nad: IConstruct): ClusterInventory {
  const root = nad.node.root;
  const index = memoInPass(root, INVENTORY, () => {
    const built = new Map<string, { providers: number; provided: Set<string>; dhcpDaemon: boolean; dhcpHost?: IDhcpDaemonHost }>();
    const entry = (x: IConstruct) => {
      const cluster = clusterOf(x);
      let e = built.get(cluster);
      if (!e) built.set(cluster, e = { providers: 0, provided: new Set(), dhcpDaemon: false });
      return e;
    };
    // the duck-type tests first, the cluster (a walk up the tree) only for what passes them
    for (const x of constructsOfApp(root)) {
      if (isCniPluginProvider(x)) {
        const e = entry(x);
        e.providers++;
        for (const t of x.providedCniTypes) e.provided.add(t);
      }
      if (isDhcpDaemonProvider(x)) entry(x).dhcpDaemon = true;
      if (isDhcpDaemonHost(x)) {
        const e = entry(x);
        e.dhcpHost ??= x;
      }
    }
    return built;
  });
  return index.get(clusterOf(nad)) ?? { providers: 0, provided: new Set(), dhcpDaemon: false };
}

/** Every problem of a NAD against the inventory of its cluster. */
export function cniInventoryProblems(nad: NadView): Problem[] {
  const sink = new ProblemSink();
  const cluster = clusterOf(nad);
  const { providers, provided, dhcpDaemon, dhcpHost: host } = clusterInventory(nad);
  for (const { field, type } of usedTypes(nad)) {
    if (provided.has(type)) continue;
    const cni = containernetworkingPluginTypes('1.9.1').includes(type) ? 'new CniPlugins(scope, \'CniPlugins\')' : undefined;
    const hint = INSTALLER_HINTS[type] ?? cni;
    const installer = hint ? `add ${hint} to the cluster, or declare` : 'declare';
    const why = providers === 0
      ? `is not installed on the nodes: cluster "${cluster}" has no CNI installer and no PreinstalledCniPlugins declaration`
      : `is not installed on the nodes: no construct of cluster "${cluster}" installs it (installed: ${[...provided].sort().join(', ') || 'nothing'})`;
    sink.error(field, why, type,
      `${installer} it: new PreinstalledCniPlugins(scope, 'Preinstalled', { types: [${JSON.stringify(type)}] })${inSomeProfile(type) ? ' or PreinstalledCniPlugins.fromProfile(scope, \'Preinstalled\', PluginsProfile.UPSTREAM)' : ''}`);
  }
  if (usesDhcpIpam(nad) && !dhcpDaemon) {
    const i = (nad.config?.plugins ?? []).findIndex((p) => p.ipam?.type === 'dhcp' || p.ipam?.requiresDaemon === true);
    sink.error(`spec.config.plugins[${i}].ipam.type`, `uses dhcp IPAM, which needs the dhcp daemon on every node, and cluster "${cluster}" runs none`, 'dhcp',
      host ? `call addDhcpDaemon() on ${host.node.path}` : 'add new CniPlugins(scope, \'CniPlugins\') (it adds the daemon by itself), new DhcpDaemon(scope, \'Dhcp\'), or declare PreinstalledCniPlugins with dhcpDaemon: true');
  }
  return sink.problems.map((p) => ({ ...p, path: `NetworkAttachmentDefinition ${nad.qualifiedName} (${nad.node.path})` }));
}

/** Whether the type is one of the library's plugins or IPAMs in the upstream profile (so a profile declares it). */
function inSomeProfile(type: string): boolean {
  return cniTypesOfProfile(PluginsProfile.UPSTREAM).includes(type);
}

/**
 * The inventory's part in every NAD (registered in lib/nad-checks.ts, which NADs announce
 * themselves to): when a NAD is created, a `CniPlugins` installer of its cluster that adds the dhcp
 * daemon automatically is told if the NAD uses dhcp IPAM (installers built after the NAD look for
 * such NADs themselves); at synth, every type the NAD uses must be installed in its cluster.
 */
export const CNI_INVENTORY_CHECK = {
  created(nad: INadView): void {
    if (usesDhcpIpam(nad)) {
      for (const h of sameClusterConstructs(nad).filter(isDhcpDaemonHost)) {
        if (h.addsDhcpDaemonAutomatically) h.addDhcpDaemon();
      }
    }
    // each validation pass starts from a fresh inventory, built from the pass's one walk of the tree
    hookValidationPasses(nad);
  },
  validate: (nad: INadView): string[] => cniInventoryProblems(nad).map(formatProblem),
};
registerNadCheck(CNI_INVENTORY_CHECK);

/** The NADs of the cluster of `scope` that use dhcp IPAM (for installers built after them). */
export function dhcpNadsInClusterOf(scope: IConstruct): NadView[] {
  return sameClusterConstructs(scope).filter(isNadView).filter(usesDhcpIpam);
}
