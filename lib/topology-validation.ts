import { Construct, IConstruct } from 'constructs';
import { Problem, formatProblem, Severity } from './cni/problem';
import { constructsOfApp, hookValidationPasses } from './validation-pass';
import { TopologyWarnings } from './topology-warnings';
import { Topology, TopologyNetwork, TopologyPod, checkTopology } from './topology/topology';

const ID = 'NfvTopologyValidation';

/** The brand of TopologyValidation, the same in every copy of the package. */
const TOPOLOGY_VALIDATION = Symbol.for('cdk8s-nfv.TopologyValidation');

/**
 * The key under which a construct offers the whole-topology check its pods (a workload holds its
 * PodNetworks there): `c[TOPOLOGY_SOURCE]` is a {@link TopologySource}. A registered symbol, so that constructs of
 * another copy of the package are seen too, and the check reads the pods without importing (or
 * knowing the internals of) what made them.
 * @internal
 */
export const TOPOLOGY_SOURCE = Symbol.for('cdk8s-nfv.topologySource');

/**
 * What a construct gives the whole-topology check.
 * @internal
 */
export interface TopologySource {
  /** Its pods, as plain data. */
  pods(): TopologyPod[];
  /** Values that change whenever the pods do (compared with `===`, one by one). */
  state(): readonly unknown[];
}

/** The brands the NAD and ExternalNetwork constructs carry (when they do: else their shape is read). */
const NAD_BRAND = Symbol.for('cdk8s-nfv.NetworkAttachmentDefinition');
/**
 * What a logical network (lib/network.ts) puts on its NADs (`Network.of`) and on itself (its
 * configs in namespaces without a NAD of it): registered symbols, read here without importing the
 * network, so that a NAD can ask for the check without an import circle.
 */
const NETWORK_OF = Symbol.for('cdk8s-nfv.Network.of');
const CONFIGS_WITHOUT_NAD = Symbol.for('cdk8s-nfv.Network.configsWithoutNad');
const EXTERNAL_BRAND = Symbol.for('cdk8s-nfv.ExternalNetwork');

/** What the check reads of a NetworkAttachmentDefinition construct: its public members. */
interface NadLike extends IConstruct {
  readonly name: string;
  readonly namespace?: string;
  readonly config?: TopologyNetwork['config'];
  readonly resourceName?: string;
  renderConfig(): string;
}

/** What the check reads of an ExternalNetwork: its public members. */
interface ExternalLike extends IConstruct {
  readonly name: string;
  readonly namespace: string;
  readonly resourceName?: string;
  readonly qualifiedName: string;
}

/**
 * A NetworkAttachmentDefinition construct of the library (recognised by its public members: it
 * renders a config, so that a second copy of the package is recognised too).
 */
function isNad(c: IConstruct): c is NadLike {
  const x = c as unknown as Record<string | symbol, unknown>;
  if (NAD_BRAND in x) return true;
  return typeof x.renderConfig === 'function' && typeof x.name === 'string' && typeof x.qualifiedName === 'string';
}

/** An ExternalNetwork construct: a declared NAD name and namespace, no config. */
function isExternal(c: IConstruct): c is ExternalLike {
  const x = c as unknown as Record<string | symbol, unknown>;
  if (EXTERNAL_BRAND in x) return true;
  return typeof x.qualifiedName === 'string' && typeof x.name === 'string' && typeof x.namespace === 'string'
    && typeof x.renderConfig !== 'function' && typeof x.nadFor !== 'function' && !('apiObject' in x);
}

/**
 * The whole-topology check of an App: one per App, at its root, created by the first attached
 * workload. At synth (and `Testing.synth`), it gathers every NAD and external network, and the
 * pods of every attached workload (PodNetworks, which NetworkFunction uses) of every chart, and
 * reports every problem at once, each with the construct path of the object at fault. Errors fail
 * the synth; warnings go to the App's {@link TopologyWarnings} handler (standard error by default).
 *
 * cdk8s validates the App once per synth and again for every chart it renders: the errors are
 * kept on this construct (so, per App) with the state they were computed from (the members of the
 * tree, each PodNetworks' own revision and replica count, each NAD's rendered config), and reused
 * while that state is the same. Nothing is process-wide: two Apps never share a result.
 */
export class TopologyValidation extends Construct {
  /** The App's validation, created on first use. */
  public static of(scope: IConstruct): TopologyValidation {
    const root = scope.node.root;
    const existing = root.node.tryFindChild(ID);
    if (existing && TopologyValidation.isTopologyValidation(existing)) return existing;
    return new TopologyValidation(root as Construct, ID);
  }

  /** Whether `x` is a TopologyValidation (of any copy of this package). */
  public static isTopologyValidation(x: unknown): x is TopologyValidation {
    return x !== null && typeof x === 'object' && TOPOLOGY_VALIDATION in x;
  }

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    Object.defineProperty(this, TOPOLOGY_VALIDATION, { value: true });
    hookValidationPasses(this);
    this.node.addValidation({ validate: () => this.errors() });
  }

  /** The App's topology as plain data. */
  public topology(): Topology {
    return topologyOf(membersOf(this.node.root.node.findAll()));
  }

  /** The errors of the last check, with the state they were computed from. */
  private last?: { readonly state: readonly unknown[]; readonly errors: string[] };

  private errors(): string[] {
    // the walk of the current validation pass, shared with the other App-wide checks
    const members = membersOf(constructsOfApp(this));
    const state = stateOf(members);
    if (this.last && sameState(this.last.state, state)) return this.last.errors;
    const problems = checkTopology(topologyOf(members));
    const errors: string[] = [];
    let warnings: Problem[] | undefined;
    for (const p of problems) {
      if (p.severity === Severity.ERROR) errors.push(formatProblem(p));
      else (warnings ??= []).push(p);
    }
    this.last = { state, errors };
    // warnings are reported when computed (each once per App); they fail nothing
    if (warnings) TopologyWarnings.of(this)._report(warnings, (path) => constructAt(members, path));
    return errors;
  }
}

/** The member construct at a construct path (a workload or a network), for a warning's metadata. */
function constructAt(members: Members, path: string): IConstruct | undefined {
  for (const [c] of members.sources) if (c.node.path === path) return c;
  for (const c of members.networks) if (c.node.path === path) return c;
  return undefined;
}

/**
 * What the check reads of a logical network: the configs it handed out in namespaces without a
 * NAD of it (a rendering that carries the config itself, e.g. DRA claims).
 */
interface LogicalLike extends IConstruct {
  readonly name: string;
  readonly resourceName?: string;
  readonly subnets?: TopologyNetwork['subnets'];
  readonly gateways?: TopologyNetwork['gateways'];
  [CONFIGS_WITHOUT_NAD](): ReadonlyMap<string, NonNullable<TopologyNetwork['config']>>;
}

/** What the check reads among the constructs of an App, each list in tree order. */
interface Members {
  readonly sources: [IConstruct, TopologySource][];
  /** NADs and external networks, in tree order. */
  readonly networks: (NadLike | ExternalLike)[];
  /** Logical networks, in tree order (their NADs are among `networks`). */
  readonly logical: LogicalLike[];
}

/**
 * The sources of pods, the NADs and the external networks among the constructs: one look at a
 * symbol for most constructs (every construct of the App is walked, several times per synth).
 */
function membersOf(all: readonly IConstruct[]): Members {
  const members: Members = { sources: [], networks: [], logical: [] };
  for (const c of all) {
    const x = c as unknown as Record<string | symbol, any>;
    const source = x[TOPOLOGY_SOURCE];
    if (source !== undefined) {
      if (source !== null && typeof source.pods === 'function') members.sources.push([c, source]);
    } else if (typeof x.networkReference === 'function' || NAD_BRAND in x || EXTERNAL_BRAND in x) {
      // a network target: a NAD, an external network, or a logical network (whose NADs are walked themselves)
      if (isNad(c) || isExternal(c)) members.networks.push(c);
      else if (typeof x[CONFIGS_WITHOUT_NAD] === 'function') members.logical.push(c as LogicalLike);
    }
  }
  return members;
}

/** The logical network a NAD was derived from (`Network.of`), read through its registered symbol. */
function logicalOf(c: IConstruct): LogicalLike | undefined {
  const network = (c as unknown as Record<symbol, unknown>)[NETWORK_OF] as LogicalLike | undefined;
  return network !== undefined && network !== null && typeof network === 'object' && typeof network.node === 'object' ? network : undefined;
}

/** The networks and pods, as plain data. */
function topologyOf(members: Members): Topology {
  const networks: TopologyNetwork[] = [];
  const pods: TopologyPod[] = [];
  for (const c of members.networks) {
    if (!isNad(c)) {
      networks.push({ name: c.name, namespace: c.namespace, resourceName: c.resourceName, path: c.node.path, external: true });
      continue;
    }
    const logical = logicalOf(c);
    networks.push({
      name: c.name,
      namespace: c.namespace ?? 'default',
      config: c.config,
      resourceName: c.resourceName,
      path: c.node.path,
      addressSpace: logical?.node.path,
      subnets: logical?.subnets,
      gateways: logical?.gateways,
    });
  }
  // a logical network's config in a namespace without its NAD: the same network for the checks
  // (name, namespace, config, address space) as the NAD it would derive there
  for (const n of members.logical) {
    for (const [namespace, config] of n[CONFIGS_WITHOUT_NAD]()) {
      networks.push({ name: n.name, namespace, config, resourceName: n.resourceName, path: n.node.path, addressSpace: n.node.path, subnets: n.subnets, gateways: n.gateways });
    }
  }
  for (const [, source] of members.sources) for (const p of source.pods()) pods.push(p);
  return { networks, pods };
}

/** A value that is never equal to another: state that cannot be read (a config that fails to render). */
const UNKNOWN = (): symbol => Symbol('unknown');

/**
 * Everything the check reads, as values compared with `===`: each member construct, each
 * source's own state, each NAD's config text (its chain may change after synth).
 */
function stateOf(members: Members): unknown[] {
  const state: unknown[] = [];
  for (const [c, source] of members.sources) {
    state.push(c);
    for (const v of source.state()) state.push(v);
  }
  for (const c of members.networks) {
    let config: unknown;
    try {
      config = isNad(c) && c.config ? c.renderConfig() : undefined;
    } catch {
      config = UNKNOWN();
    }
    state.push(c, config);
  }
  for (const n of members.logical) {
    for (const [namespace, config] of n[CONFIGS_WITHOUT_NAD]()) {
      let text: unknown;
      try {
        text = config.toString({ name: n.name });
      } catch {
        text = UNKNOWN();
      }
      state.push(n, namespace, text);
    }
  }
  return state;
}

function sameState(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
