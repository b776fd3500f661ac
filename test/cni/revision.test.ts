import { Chart, Testing } from 'cdk8s';
import { Capability } from '../../lib/cni/common';
import { CniConfig } from '../../lib/cni/config';
import { StaticIpam } from '../../lib/cni/ipam/static';
import { MacvlanPlugin } from '../../lib/cni/plugins/macvlan';
import { TuningPlugin } from '../../lib/cni/plugins/tuning';
import { modelChanged, modelRevision } from '../../lib/cni/revision';
import { ExternalNetwork } from '../../lib/external-network';
import { NetworkAttachmentDefinition } from '../../lib/network-attachment-definition';

describe('model revision', () => {
  test('advances on every change the topology check can see, and not on reads', () => {
    const r0 = modelRevision();
    modelChanged();
    expect(modelRevision()).toBe(r0 + 1);

    const macvlan = new MacvlanPlugin({ master: 'eth1', ipam: new StaticIpam({}), capabilities: [Capability.IPS] });
    const config = CniConfig.list([macvlan]);
    let r = modelRevision();
    macvlan.addCapability(Capability.MAC);
    expect(modelRevision()).toBeGreaterThan(r);

    r = modelRevision();
    config.addPlugin(new TuningPlugin({}));
    expect(modelRevision()).toBeGreaterThan(r);

    const chart = new Chart(Testing.app(), 'test', { namespace: 'core' });
    r = modelRevision();
    new NetworkAttachmentDefinition(chart, 'Data', { metadata: { name: 'data' }, config });
    expect(modelRevision()).toBeGreaterThan(r);

    r = modelRevision();
    new ExternalNetwork(chart, 'Ext', { name: 'ext', namespace: 'core' });
    expect(modelRevision()).toBeGreaterThan(r);

    // reads change nothing
    r = modelRevision();
    config.declares(Capability.IPS);
    config.toString({ name: 'data' });
    expect(macvlan.capabilities).toEqual([Capability.IPS, Capability.MAC]);
    expect(modelRevision()).toBe(r);
  });
});
