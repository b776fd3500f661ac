import { IConstruct, Construct } from 'constructs';
import { Problem, ProblemSink, Severity, formatProblem } from '../cni/problem';

/**
 * What the six cluster-network installers (Flannel, Calico, Weave Net, Romana, Cilium, kube-router)
 * share: being the primary (default) network of a cluster, the CNI config file each writes on the
 * node, the file Multus should wait for, and the co-existence checks of `cni-daemonsets.md` §11.3,
 * run at synth time against the other constructs of the same cluster.
 *
 * Which constructs are "the same cluster": by default every construct of the App. An App that
 * holds charts for different clusters (e.g. the examples, one chart per provider) gives each chart
 * its own cluster name with {@link assignCluster}, so the guards compare only constructs that will
 * run together.
 */

/** The context key holding the name of the cluster a subtree of constructs is deployed to. */
export const CLUSTER_CONTEXT_KEY = 'cdk8s-nfv:cluster';

/** The cluster name of constructs outside any {@link assignCluster} subtree. */
export const DEFAULT_CLUSTER = 'default';

/**
 * Marks every construct below `scope` as deployed to the cluster `name`. Call it before adding
 * children (constructs context is read-only once a scope has children).
 */
export function assignCluster(scope: Construct, name: string): void {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
    throw new Error(formatProblem({
      field: 'cluster', message: 'is not a DNS-1123 label', value: name,
      fix: 'use a short lowercase name such as "edge-1"', severity: Severity.ERROR,
    }));
  }
  scope.node.setContext(CLUSTER_CONTEXT_KEY, name);
}

/** The cluster a construct is deployed to ({@link DEFAULT_CLUSTER} unless assigned). */
export function clusterOf(c: IConstruct): string {
  const v = c.node.tryGetContext(CLUSTER_CONTEXT_KEY);
  return typeof v === 'string' ? v : DEFAULT_CLUSTER;
}

/** The constructs of the App of `c` that are deployed to the same cluster as `c`. */
export function sameClusterConstructs(c: IConstruct): IConstruct[] {
  const cluster = clusterOf(c);
  return c.node.root.node.findAll().filter((x) => clusterOf(x) === cluster);
}

/** The cluster networks the library installs. */
export enum ClusterNetworkProvider {
  FLANNEL = 'flannel',
  CALICO = 'calico',
  WEAVE_NET = 'weave-net',
  ROMANA = 'romana',
  CILIUM = 'cilium',
  KUBE_ROUTER = 'kube-router',
}

const CLUSTER_NETWORK_SYMBOL = Symbol.for('cdk8s-nfv.ClusterNetwork');

/**
 * Base of the primary cluster-network installers. Subclasses set the provider facts and add
 * their own co-existence checks in `ClusterNetwork.checkCoexistence`.
 */
export abstract class ClusterNetwork extends Construct {
  /** Whether `x` is a cluster network (works across copies of the library). */
  public static isClusterNetwork(x: unknown): x is ClusterNetwork {
    return x !== null && typeof x === 'object' && CLUSTER_NETWORK_SYMBOL in (x as object);
  }

  /** The cluster networks deployed to the same cluster as `scope` (in construct order). */
  public static inClusterOf(scope: IConstruct): ClusterNetwork[] {
    return sameClusterConstructs(scope).filter(ClusterNetwork.isClusterNetwork);
  }

  /** Which provider this is. */
  public abstract readonly provider: ClusterNetworkProvider;
  /** The CNI config file the provider writes into `/etc/cni/net.d` on every node. */
  public abstract readonly cniConfigFile: string;
  /**
   * The file whose presence tells Multus the primary network is ready (its
   * `readinessindicatorfile`), per `cni-daemonsets.md` §11.3.
   */
  public abstract readonly readinessIndicatorFile: string;
  /** The CNI `type`s whose binaries the install puts into `/opt/cni/bin` (ICniPluginProvider). */
  public abstract readonly providedCniTypes: readonly string[];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    Object.defineProperty(this, CLUSTER_NETWORK_SYMBOL, { value: true });
    this.node.addValidation({ validate: () => this.coexistenceProblems().map(formatProblem) });
  }

  /** Every co-existence problem of this network with the rest of its cluster. */
  public coexistenceProblems(): Problem[] {
    const sink = new ProblemSink();
    const others = ClusterNetwork.inClusterOf(this).filter((n) => n !== this);
    if (others.length > 0) {
      sink.error('clusterNetwork', `is one of ${others.length + 1} primary cluster networks in cluster "${clusterOf(this)}" (others: ${others.map((o) => o.node.path).join(', ')})`,
        this.provider, 'keep one primary network per cluster; add other networks as NetworkAttachmentDefinitions through Multus, or put each in its own cluster with assignCluster()');
    }
    this.checkCoexistence(sink, sameClusterConstructs(this));
    return sink.problems;
  }

  /** Adds provider-specific problems; `peers` are the constructs of the same cluster. */
  protected abstract checkCoexistence(sink: ProblemSink, peers: IConstruct[]): void;
}

/** What the co-existence checks read of a Multus construct. */
export interface MultusView {
  /** The construct. */
  readonly construct: IConstruct;
  /** Thick plugin (daemon) rather than thin. */
  readonly thick: boolean;
  /** The daemon's `chrootDir`, if any (thick only). */
  readonly chrootDir?: string;
}

/** The symbol lib/installers/multus.ts puts on every Multus construct. */
const MULTUS_SYMBOL = Symbol.for('cdk8s-nfv.Multus');

/**
 * The Multus installs among `peers`: constructs carrying the Multus symbol (or, for test doubles
 * and other copies, a class named `Multus`). Read by duck typing (`mode`, `chrootDir`), so this
 * file does not import lib/installers/multus.ts, which imports it.
 */
export function multusAmong(peers: readonly IConstruct[]): MultusView[] {
  const out: MultusView[] = [];
  for (const p of peers) {
    if (!(MULTUS_SYMBOL in (p as object)) && p.constructor?.name !== 'Multus') continue;
    const m = p as unknown as Record<string, unknown>;
    const mode = String(m.mode ?? 'thick').toLowerCase();
    const chroot = m.chrootDir;
    out.push({ construct: p, thick: mode !== 'thin', chrootDir: typeof chroot === 'string' && chroot !== '' ? chroot : undefined });
  }
  return out;
}
