import { App, Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { buildExamples } from '../examples/main';
import { FiveGChart } from '../examples/five-g/chart';
import { DEFAULT_NETWORK_ANNOTATION, NETWORKS_ANNOTATION, SELECTION_KEYS } from '../lib/multus/selection-element';
import { IpamMode, Network, NetworkPlugin } from '../lib/network';
import { NetworkFunction } from '../lib/network-function';
import { expectValidObjects } from './util/schema';

const WORKLOAD_KINDS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'];

/** Every object of the App, as the YAML written to dist/ reads back. */
function objectsOf(app: App): any[] {
  return YAML.parseAllDocuments(app.synthYaml()).map((d) => d.toJSON()).filter((o) => o);
}

function freshApp(): App {
  const app = Testing.app();
  buildExamples(app);
  return app;
}

function podTemplate(o: any): any {
  return o.kind === 'Pod' ? o : o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.spec.template;
}

/** The attachments of every workload, by `namespace/name`. */
function attachmentsByWorkload(objects: any[]): Map<string, any[]> {
  const out = new Map<string, any[]>();
  for (const o of objects) {
    if (![...WORKLOAD_KINDS, 'CronJob'].includes(o.kind)) continue;
    const text = podTemplate(o)?.metadata?.annotations?.[NETWORKS_ANNOTATION];
    if (text !== undefined) out.set(`${o.metadata.namespace ?? 'default'}/${o.metadata.name}`, JSON.parse(text));
  }
  return out;
}

describe('examples', () => {
  const app = freshApp();
  const objects = objectsOf(app);

  test('every example synthesizes, and every object is valid against the Kubernetes 1.27 schemas', () => {
    expect(objects.length).toBeGreaterThan(20);
    expectValidObjects(objects);
  });

  test('every networks annotation is the JSON form, with only NPWG keys, naming a NAD of the output in the right namespace', () => {
    const nads = new Set(objects.filter((o) => o.kind === 'NetworkAttachmentDefinition').map((o) => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`));
    let checked = 0;
    for (const o of objects) {
      if (![...WORKLOAD_KINDS, 'CronJob'].includes(o.kind)) continue;
      const annotations = podTemplate(o)?.metadata?.annotations ?? {};
      // the annotation belongs on the pods, not on the workload object
      if (o.kind !== 'Pod') expect(o.metadata.annotations?.[NETWORKS_ANNOTATION]).toBeUndefined();
      const text = annotations[NETWORKS_ANNOTATION];
      if (text === undefined) continue;
      expect(typeof text).toBe('string');
      expect(text.trim()[0]).toBe('[');
      const elements = JSON.parse(text);
      expect(Array.isArray(elements)).toBe(true);
      for (const e of elements) {
        for (const key of Object.keys(e)) expect(SELECTION_KEYS).toContain(key);
        const ns = e.namespace ?? o.metadata.namespace ?? 'default';
        expect(nads).toContain(`${ns}/${e.name}`);
        checked++;
      }
      const override = annotations[DEFAULT_NETWORK_ANNOTATION];
      if (override !== undefined) {
        const [e] = JSON.parse(override);
        expect(nads).toContain(`${e.namespace ?? 'kube-system'}/${e.name}`);
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  test('every NAD config is a JSON string whose name is the NAD name', () => {
    for (const o of objects.filter((x) => x.kind === 'NetworkAttachmentDefinition')) {
      if (o.spec?.config === undefined) continue;
      expect(typeof o.spec.config).toBe('string');
      expect(JSON.parse(o.spec.config).name).toBe(o.metadata.name);
    }
  });

  test('two synths of a fresh App give byte-identical YAML', () => {
    const a = freshApp().synthYaml();
    const b = freshApp().synthYaml();
    expect(a).toBe(b);
    expect(a).toBe(app.synthYaml());
  });

  test('adding a resource does not rename or change the existing ones', () => {
    const before = objects;
    const grown = freshApp();
    const five = grown.node.findChild('five-g') as FiveGChart;
    // a new network and function in the 5G chart, and a new chart
    const n9 = new Network(five, 'N9', { plugin: NetworkPlugin.bridge({ bridge: 'br-n9' }), subnets: ['10.9.0.0/24'], ipam: IpamMode.STATIC });
    new NetworkFunction(five, 'Smf2', { namespace: 'fivegc-cp', containers: [{ name: 'smf', image: 'docker.io/openverso/open5gs:2.7.2' }] })
      .attach(n9, { interface: 'n9', ips: ['10.9.0.10/24'] });
    new Chart(grown, 'extra', { namespace: 'extra' });
    const after = objectsOf(grown);
    const key = (o: any) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const afterByKey = new Map(after.map((o) => [key(o), o]));
    for (const o of before) expect(afterByKey.get(key(o))).toEqual(o);
    expect(after.length).toBeGreaterThan(before.length);
  });

  describe('the 5G example', () => {
    const attachments = attachmentsByWorkload(objects);
    const nets = (workload: string) => (attachments.get(workload) ?? []).map((e: any) => e.name).sort();

    test('AMF on N2 and SMF on N4, in the control-plane namespace', () => {
      expect(nets('fivegc-cp/amf')).toEqual(['n2']);
      expect(nets('fivegc-cp/smf')).toEqual(['n4']);
    });

    test('every UPF replica on N3, N4 and N6, with its default route on N6 through the N6 gateway', () => {
      const upfs = [...attachments.keys()].filter((k) => k.startsWith('fivegc-up/upf'));
      expect(upfs.length).toBeGreaterThanOrEqual(1);
      for (const upf of upfs) {
        expect(nets(upf)).toEqual(['n3', 'n4', 'n6']);
        const owners = attachments.get(upf)!.filter((e: any) => e['default-route'] !== undefined);
        expect(owners.map((e: any) => [e.name, e['default-route']])).toEqual([['n6', ['10.6.0.1']]]);
      }
      // each replica has its own addresses
      const n3 = upfs.map((u) => attachments.get(u)!.find((e: any) => e.name === 'n3').ips[0]);
      expect(new Set(n3).size).toBe(upfs.length);
    });

    test('the gNB simulator on N2 and N3', () => {
      expect(nets('ran/gnb-sim')).toEqual(['n2', 'n3']);
    });

    test('MultiNetworkPolicies bind to the N6 and N4 networks', () => {
      const policies = objects.filter((o) => o.kind === 'MultiNetworkPolicy' && o.metadata.namespace === 'fivegc-up');
      const policyFor = policies.map((p) => p.metadata.annotations['k8s.v1.cni.cncf.io/policy-for']).sort();
      expect(policyFor.some((p: string) => /n6/.test(p))).toBe(true);
      expect(policyFor.some((p: string) => /n4/.test(p))).toBe(true);
    });
  });

  test('the quick start: a router with a data and a management interface', () => {
    const attachments = attachmentsByWorkload(objects);
    expect(attachments.get('demo/router')).toEqual([
      { name: 'data', namespace: 'demo', interface: 'data0', ips: ['10.10.0.10/24'] },
      { name: 'mgmt', namespace: 'demo', interface: 'mgmt0' },
    ]);
  });
});
