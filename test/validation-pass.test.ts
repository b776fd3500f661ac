import { App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { PluginsProfile } from '../lib/cni/profile';
import { PreinstalledCniPlugins } from '../lib/installers/inventory';
import { IpamMode, Network, NetworkPlugin } from '../lib/network';
import { NetworkFunction } from '../lib/network-function';
import { constructsOfApp, hookValidationPasses, memoInPass } from '../lib/validation-pass';

const APP = { name: 'app', image: 'registry.example.com/app:1.0.0' };

/** How often the root of `app` is walked while `synth` runs. */
function rootWalks(app: App, synth: () => void): number {
  const spy = jest.spyOn(app.node, 'findAll');
  try {
    synth();
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}

/** An App of two charts, each with a network and functions attached to it. */
function nfvApp(): App {
  const app = Testing.app();
  for (const [id, ns] of [['one', 'core'], ['two', 'edge']]) {
    const chart = new Chart(app, id, { namespace: ns });
    PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM);
    const net = new Network(chart, 'Data', { plugin: NetworkPlugin.macvlan({ uplink: 'eth1' }), subnets: ['10.1.0.0/24'], ipam: IpamMode.STATIC });
    for (let i = 0; i < 3; i++) new NetworkFunction(chart, `Nf${i}`, { containers: [APP] }).attach(net, { ips: [`10.1.0.${10 + i}/24`] });
  }
  return app;
}

describe('validation passes', () => {
  test('the App-wide checks (topology, CNI inventory of every NAD) add one walk of the tree per pass', () => {
    // what cdk8s itself walks for an App of two charts
    const plain = Testing.app();
    new Chart(plain, 'one');
    new Chart(plain, 'two');
    const own = rootWalks(plain, () => plain.synthYaml());

    // synthYaml validates the App once, then again for each of the two charts: three passes
    const app = nfvApp();
    expect(rootWalks(app, () => app.synthYaml())).toBe(own + 3);
  });

  test('outside a pass, the constructs are walked afresh', async () => {
    const app = nfvApp();
    const before = constructsOfApp(app);
    new Construct(app, 'Late');
    expect(constructsOfApp(app)).toHaveLength(before.length + 1);
    // after a synth, once the run has ended
    app.synthYaml();
    await Promise.resolve();
    new Construct(app, 'Later');
    expect(constructsOfApp(app)).toHaveLength(before.length + 2);
  });

  test('within a pass the walk is shared; the next pass walks again', async () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    hookValidationPasses(app);
    hookValidationPasses(chart); // once per App, whichever construct asks
    let walks: (readonly unknown[])[] = [];
    chart.node.addValidation({ validate: () => { walks.push(constructsOfApp(chart), constructsOfApp(app)); return []; } });
    chart.toJson();
    expect(walks).toHaveLength(2);
    expect(walks[0]).toBe(walks[1]);
    const first = walks[0];
    walks = [];
    new Construct(chart, 'Added');
    chart.toJson();
    expect(walks[0]).not.toBe(first);
    expect(walks[0]).toHaveLength(first.length + 1);
    // after the current run, nothing of the pass is kept
    await Promise.resolve();
    expect(constructsOfApp(app)).not.toBe(walks[0]);
  });

  test('a value memoized in a pass is computed once per pass, and at every call outside one', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    hookValidationPasses(app);
    const key = Symbol('test');
    let computed = 0;
    const compute = () => ++computed;
    const seen: number[] = [];
    chart.node.addValidation({ validate: () => { seen.push(memoInPass(chart, key, compute), memoInPass(app, key, compute)); return []; } });
    chart.toJson();
    chart.toJson();
    // two passes, one computation each
    expect(seen).toEqual([1, 1, 2, 2]);
    const outside = Testing.app();
    expect([memoInPass(outside, key, compute), memoInPass(outside, key, compute)]).toEqual([3, 4]);
  });
});
