import { App, Chart, Testing } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ProblemSink } from '../../lib/cni/problem';
import {
  CLUSTER_CONTEXT_KEY, ClusterNetwork, ClusterNetworkProvider, DEFAULT_CLUSTER, assignCluster, clusterOf, multusAmong, sameClusterConstructs,
} from '../../lib/installers/cluster-network';

/** A minimal cluster network: the base's checks only. */
class FakeNetwork extends ClusterNetwork {
  public readonly provider = ClusterNetworkProvider.FLANNEL;
  public readonly cniConfigFile = '10-fake.conflist';
  public readonly readinessIndicatorFile = '/run/fake/ready';
  public readonly providedCniTypes = ['fake'];
  public peersSeen: IConstruct[] = [];
  protected checkCoexistence(sink: ProblemSink, peers: IConstruct[]): void {
    this.peersSeen = peers;
    if (peers.some((p) => p.node.id === 'Forbidden')) sink.error('peers', 'holds a forbidden construct', 'Forbidden', 'remove it');
  }
}

class Multus extends Construct {
  constructor(scope: Construct, id: string, public readonly mode: string, public readonly chrootDir?: string) { super(scope, id); }
}

describe('assignCluster / clusterOf', () => {
  test('constructs are in the default cluster unless assigned; assignment covers the subtree', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a');
    assignCluster(a, 'edge-1');
    const child = new Construct(a, 'Child');
    const b = new Chart(app, 'b');
    expect(DEFAULT_CLUSTER).toBe('default');
    expect(CLUSTER_CONTEXT_KEY).toBe('cdk8s-nfv:cluster');
    expect(clusterOf(a)).toBe('edge-1');
    expect(clusterOf(child)).toBe('edge-1');
    expect(clusterOf(b)).toBe('default');
    expect(clusterOf(app)).toBe('default');
  });

  test('sameClusterConstructs lists only the constructs of the same cluster', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a');
    assignCluster(a, 'one');
    const x = new Construct(a, 'X');
    const b = new Chart(app, 'b');
    assignCluster(b, 'two');
    const y = new Construct(b, 'Y');
    expect(sameClusterConstructs(x)).toEqual([a, x]);
    expect(sameClusterConstructs(y)).toEqual([b, y]);
  });

  test('fails on a cluster name that is not a DNS-1123 label', () => {
    expect(() => assignCluster(new Chart(Testing.app(), 'c'), 'Edge_1'))
      .toThrow(/^'cluster' is not a DNS-1123 label: got "Edge_1"; use a short lowercase name such as "edge-1"$/);
  });
});

describe('ClusterNetwork', () => {
  test('provider wire values', () => {
    expect(Object.values(ClusterNetworkProvider)).toEqual(['flannel', 'calico', 'weave-net', 'romana', 'cilium', 'kube-router']);
  });

  test('one primary network per cluster passes; the subclass sees its cluster peers', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const n = new FakeNetwork(chart, 'Net');
    expect(ClusterNetwork.isClusterNetwork(n)).toBe(true);
    expect(ClusterNetwork.isClusterNetwork(chart)).toBe(false);
    expect(ClusterNetwork.isClusterNetwork(null)).toBe(false);
    expect(n.coexistenceProblems()).toEqual([]);
    expect(n.peersSeen).toContain(n);
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('fails with two primary networks in one cluster, each naming the other', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const a = new FakeNetwork(chart, 'A');
    new FakeNetwork(chart, 'B');
    expect(ClusterNetwork.inClusterOf(a).map((x) => x.node.id)).toEqual(['A', 'B']);
    expect(a.coexistenceProblems().map((p) => [p.field, p.message, p.value])).toEqual([
      ['clusterNetwork', 'is one of 2 primary cluster networks in cluster "default" (others: c/B)', 'flannel'],
    ]);
    expect(() => app.synthYaml()).toThrow(/'clusterNetwork' is one of 2 primary cluster networks in cluster "default" \(others: c\/A\): got "flannel"; keep one primary network per cluster/);
  });

  test('two primary networks in separate clusters pass', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a');
    assignCluster(a, 'one');
    new FakeNetwork(a, 'A');
    const b = new Chart(app, 'b');
    assignCluster(b, 'two');
    new FakeNetwork(b, 'B');
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('subclass problems are reported at synth', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    new FakeNetwork(chart, 'Net');
    new Construct(chart, 'Forbidden');
    expect(() => app.synthYaml()).toThrow(/'peers' holds a forbidden construct: got "Forbidden"; remove it/);
  });
});

describe('multusAmong', () => {
  test('reads mode and chrootDir of Multus constructs by duck typing; others ignored', () => {
    const chart = new Chart(Testing.app(), 'c');
    const thick = new Multus(chart, 'Thick', 'THICK', '/hostroot');
    const thin = new Multus(chart, 'Thin', 'thin', '');
    const other = new Construct(chart, 'Other');
    expect(multusAmong([thick, thin, other])).toEqual([
      { construct: thick, thick: true, chrootDir: '/hostroot' },
      { construct: thin, thick: false, chrootDir: undefined },
    ]);
  });
});
