import { Testing } from 'cdk8s';
import { CONTROL_PLANE, FiveGDraChart, RAN, USER_PLANE } from '../../examples/five-g-dra/chart';
import { networkClaimProblems } from '../../lib/dra/network-claim-checks';
import { podClaimProblems } from '../../lib/dra/resource-claim';

describe('the 5G example rendered as DRA claims (examples/five-g-dra)', () => {
  const objs = Testing.synth(new FiveGDraChart(Testing.app(), 'five-g-dra'));
  const of = (kind: string) => objs.filter((o) => o.kind === kind);

  test('one ResourceClaimTemplate per interface of every workload, in the workload\'s namespace', () => {
    expect(of('ResourceClaimTemplate').map((t) => `${t.metadata.namespace}/${t.metadata.name}`)).toEqual([
      `${CONTROL_PLANE}/amf-n2`, `${CONTROL_PLANE}/smf-n4`,
      `${USER_PLANE}/upf-0-n3`, `${USER_PLANE}/upf-0-n4`, `${USER_PLANE}/upf-0-n6`,
      `${USER_PLANE}/upf-1-n3`, `${USER_PLANE}/upf-1-n4`, `${USER_PLANE}/upf-1-n6`,
      `${RAN}/gnb-sim-n2`, `${RAN}/gnb-sim-n3`,
    ]);
  });

  test('no pod carries a Multus annotation; every pod claim resolves and every claim passes the network claim checks', () => {
    const templates = new Map<string, Set<string>>();
    for (const t of of('ResourceClaimTemplate')) {
      if (!templates.has(t.metadata.namespace)) templates.set(t.metadata.namespace, new Set());
      templates.get(t.metadata.namespace)!.add(t.metadata.name);
      expect(networkClaimProblems(t.spec.spec)).toEqual([]);
    }
    for (const d of of('Deployment')) {
      expect(d.spec.template.metadata?.annotations?.['k8s.v1.cni.cncf.io/networks']).toBeUndefined();
      expect(podClaimProblems(d.spec.template.spec, { templates: templates.get(d.metadata.namespace) })).toEqual([]);
      expect(d.spec.template.spec.resourceClaims.length).toBeGreaterThan(0);
    }
  });

  test('each UPF replica gets its own addresses, as runtimeConfig of the static IPAM plugin', () => {
    const ips = of('ResourceClaimTemplate').filter((t) => t.metadata.name.startsWith('upf-'))
      .map((t) => [t.metadata.name, t.spec.spec.devices.config[0].opaque.parameters.config.plugins[0].runtimeConfig.ips]);
    expect(ips).toEqual([
      ['upf-0-n3', ['10.3.0.20/24']], ['upf-0-n4', ['10.4.0.20/24']], ['upf-0-n6', ['10.6.0.20/24']],
      ['upf-1-n3', ['10.3.0.21/24']], ['upf-1-n4', ['10.4.0.21/24']], ['upf-1-n6', ['10.6.0.21/24']],
    ]);
  });
});
