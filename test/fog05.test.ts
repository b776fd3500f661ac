import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Fog05Chart } from '../examples/fog05/chart';
import { PluginsProfile } from '../lib/cni/profile';
import {
  DEFAULT_FOG05_IMAGES,
  FOG05_ANNOTATIONS,
  Fog05Descriptor,
  Fog05Entity,
  fog05Image,
  fog05Problems,
  parseFog05Descriptor,
  toDnsLabel,
} from '../lib/fog05';
import { PreinstalledCniPlugins } from '../lib/installers/inventory';
import { IpamMode } from '../lib/network';
import { WorkloadKind } from '../lib/network-function';
import { expectValidObjects } from './util/schema';

/** The talk's descriptor, as committed in the example. */
const TALK: Fog05Descriptor = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'examples', 'fog05', 'ubuntu-host.json'), 'utf8'));

/** A copy of the talk's descriptor with changes (set a key to undefined to delete it). */
function variant(root: Record<string, unknown> = {}, data: Record<string, unknown> = {}): any {
  const d: any = { ...TALK, ...root, entity_data: { ...TALK.entity_data, ...data } };
  for (const [k, v] of Object.entries(root)) if (v === undefined) delete d[k];
  for (const [k, v] of Object.entries(data)) if (v === undefined) delete d.entity_data[k];
  return d;
}

function chart(): Chart {
  const c = new Chart(Testing.app(), 'test');
  PreinstalledCniPlugins.fromProfile(c, 'NodePlugins', PluginsProfile.UPSTREAM);
  return c;
}

const nadsOf = (objects: any[]) => objects.filter((o) => o.kind === 'NetworkAttachmentDefinition');
const workloadOf = (objects: any[], kind = 'Deployment') => {
  const found = objects.filter((o) => o.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
};

describe('the talk descriptor', () => {
  const c = chart();
  const entity = new Fog05Entity(c, 'UbuntuHost', { descriptor: TALK, renameEth0: 'net-eth0' });
  const objects = Testing.synth(c);

  test('the committed descriptor is the talk\'s: ubuntu-host, 1 cpu, 512 MB, 4 GB, eth0 on lan01', () => {
    expect(TALK.entity_data).toMatchObject({ name: 'ubuntu-host', cpu: 1, memory: 512, disk_size: 4, base_image: 'ubuntu', networks: [{ intf_name: 'eth0', br_name: 'lan01' }] });
  });

  test('a bridge NAD per br_name, on that bridge, without IPAM', () => {
    const nads = nadsOf(objects);
    expect(nads.map((n) => `${n.metadata.namespace}/${n.metadata.name}`)).toEqual(['default/lan01']);
    const config = JSON.parse(nads[0].spec.config);
    expect(config.name).toBe('lan01');
    expect(config.plugins).toEqual([{ type: 'bridge', bridge: 'lan01' }]);
    expect(Object.keys(entity.networks)).toEqual(['lan01']);
  });

  test('a workload attached to the bridge network with eth0 renamed', () => {
    const w = workloadOf(objects);
    expect(w.metadata.name).toBe('ubuntu-host');
    expect(JSON.parse(w.spec.template.metadata.annotations['k8s.v1.cni.cncf.io/networks']))
      .toEqual([{ name: 'lan01', namespace: 'default', interface: 'net-eth0' }]);
    expect(entity.interfaces).toEqual(['net-eth0']);
  });

  test('cpu, memory and disk become requests and limits; the base image is mapped', () => {
    const container = workloadOf(objects).spec.template.spec.containers[0];
    expect(container.image).toBe('docker.io/library/ubuntu:22.04');
    expect(container.command).toEqual(['sleep', 'infinity']);
    const expected = { 'cpu': '1', 'memory': '512Mi', 'ephemeral-storage': '4Gi' };
    expect(container.resources).toEqual({ requests: expected, limits: expected });
    expect(container.securityContext).toMatchObject({ privileged: false, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  });

  test('the fog05 identity is kept as annotations', () => {
    expect(workloadOf(objects).metadata.annotations).toEqual({
      [FOG05_ANNOTATIONS.UUID]: TALK.uuid,
      [FOG05_ANNOTATIONS.ENTITY_UUID]: TALK.entity_data.uuid,
      [FOG05_ANNOTATIONS.TYPE]: 'lxd',
      [FOG05_ANNOTATIONS.BASE_IMAGE]: 'ubuntu',
    });
  });

  test('valid against the Kubernetes 1.27 schemas', () => {
    expectValidObjects(objects);
  });

  test('the example chart synthesizes the same objects', () => {
    const app = Testing.app();
    const example = new Fog05Chart(app, 'fog05');
    const synthesized = Testing.synth(example);
    expectValidObjects(synthesized);
    expect(nadsOf(synthesized).map((n) => n.metadata.name)).toEqual(['lan01']);
    expect(workloadOf(synthesized).spec.template.spec.containers[0].resources).toEqual(workloadOf(objects).spec.template.spec.containers[0].resources);
  });
});

describe('conversion options', () => {
  test('several bridges: one NAD each, interfaces in order; a bridge used twice is one NAD', () => {
    const c = chart();
    const descriptor = variant({}, {
      cpu: 2, memory: 2048, disk_size: 10,
      networks: [
        { intf_name: 'eth0', br_name: 'lan01' },
        { intf_name: 'eth1', br_name: 'br_wan' },
        { intf_name: 'eth2', br_name: 'lan01' },
      ],
    });
    new Fog05Entity(c, 'E', { descriptor, renameEth0: 'lan0', bridges: { br_wan: { subnets: ['203.0.113.0/24'] } } });
    const objects = Testing.synth(c);
    expectValidObjects(objects);
    const nads = nadsOf(objects);
    expect(nads.map((n) => n.metadata.name).sort()).toEqual(['br-wan', 'lan01']);
    const wan = JSON.parse(nads.find((n) => n.metadata.name === 'br-wan').spec.config);
    expect(wan.plugins[0]).toMatchObject({ type: 'bridge', bridge: 'br_wan', ipam: { type: 'host-local' } });
    expect(JSON.stringify(wan.plugins[0].ipam)).toContain('203.0.113.0/24');
    const w = workloadOf(objects);
    expect(JSON.parse(w.spec.template.metadata.annotations['k8s.v1.cni.cncf.io/networks']).map((e: any) => `${e.interface}@${e.name}`))
      .toEqual(['lan0@lan01', 'eth1@br-wan', 'eth2@lan01']);
    expect(w.spec.template.spec.containers[0].resources.limits).toEqual({ 'cpu': '2', 'memory': '2048Mi', 'ephemeral-storage': '10Gi' });
  });

  test('images, namespace, kind, command, capabilities and NAD names are options', () => {
    const c = chart();
    const descriptor = variant({}, { base_image: 'http://images.example.com/router.qcow2' });
    const e = new Fog05Entity(c, 'E', {
      descriptor,
      renameEth0: 'net-eth0',
      images: { 'http://images.example.com/router.qcow2': 'registry.example.com/nfv/router:2.1' },
      namespace: 'edge',
      kind: WorkloadKind.STATEFUL_SET,
      command: ['/sbin/init'],
      ports: [22],
      capabilities: [kplus.Capability.NET_ADMIN],
      bridges: { lan01: { name: 'office-lan', subnets: ['10.0.0.0/24'], ipam: IpamMode.WHEREABOUTS } },
    });
    const objects = Testing.synth(c);
    expect(e.image).toBe('registry.example.com/nfv/router:2.1');
    const w = workloadOf(objects, 'StatefulSet');
    expect(w.metadata.namespace).toBe('edge');
    expect(w.spec.template.spec.containers[0]).toMatchObject({ image: 'registry.example.com/nfv/router:2.1', command: ['/sbin/init'], ports: [{ containerPort: 22 }], securityContext: { capabilities: { add: [kplus.Capability.NET_ADMIN] } } });
    expectValidObjects(objects);
    const nad = nadsOf(objects)[0];
    expect(nad.metadata).toMatchObject({ name: 'office-lan', namespace: 'edge' });
    expect(JSON.parse(nad.spec.config).plugins[0].ipam.type).toBe('whereabouts');
  });

  test('a pinned container image reference is used as it is', () => {
    expect(fog05Image('quay.io/team/box:1.0')).toBe('quay.io/team/box:1.0');
    expect(fog05Image('ubuntu')).toBe(DEFAULT_FOG05_IMAGES.ubuntu);
    expect(fog05Image('ubuntu', { ubuntu: 'docker.io/library/ubuntu:24.04' })).toBe('docker.io/library/ubuntu:24.04');
    expect(fog05Image('quay.io/team/box:latest')).toBeUndefined();
    expect(fog05Image('cirros')).toBeUndefined();
  });

  test('names become DNS-1123 labels', () => {
    expect(toDnsLabel('Br_LAN.01')).toBe('br-lan-01');
    expect(toDnsLabel('--x--')).toBe('x');
    expect(toDnsLabel('a'.repeat(70))).toHaveLength(63);
  });

  test('parseFog05Descriptor accepts the talk\'s text', () => {
    const text = fs.readFileSync(path.join(__dirname, '..', 'examples', 'fog05', 'ubuntu-host.json'), 'utf8');
    expect(parseFog05Descriptor(text, { renameEth0: 'net-eth0' }).entity_data.name).toBe('ubuntu-host');
  });
});

describe('malformed descriptors', () => {
  const ok = { renameEth0: 'net-eth0' };
  const messages = (d: unknown, opts: object = ok) => fog05Problems(d, opts).map((p) => `'${p.field}' ${p.message}: got ${JSON.stringify(p.value)}; ${p.fix}`);

  test('the talk descriptor with a rename has no problem', () => {
    expect(fog05Problems(TALK, ok)).toEqual([]);
  });

  test.each<[string, any, RegExp]>([
    ['a descriptor that is not an object', [], /^'descriptor' must be a JSON object: got \[\]/],
    ['a missing name', variant({ name: undefined }), /^'name' is missing: got undefined; write the descriptor name/],
    ['a numeric name', variant({ name: 7 }), /^'name' must be a non-empty string: got 7/],
    ['a missing version', variant({ version: undefined }), /^'version' is missing/],
    ['a version of zero', variant({ version: 0 }), /^'version' must be a positive integer or a non-empty string: got 0/],
    ['an empty type', variant({ type: '' }), /^'type' must be a non-empty string: got ""; write the fog05 runtime/],
    ['a uuid that is not one', variant({ uuid: 'abc' }), /^'uuid' must be a UUID: got "abc"; write 8-4-4-4-12 hex digits/],
    ['an unknown root key', variant({ extra: 1 }), /^'extra' is not a key of the fog05 entity descriptor this converter reads: got 1; remove it; the keys are name, version, type, uuid, entity_data$/],
    ['no entity_data', variant({ entity_data: undefined }), /^'entity_data' is missing/],
    ['entity_data a list', { ...TALK, entity_data: [] }, /^'entity_data' must be an object: got \[\]/],
    ['an entity name without letters', variant({}, { name: '___' }), /^'entity_data\.name' has no letter or digit/],
    ['an entity uuid missing', variant({}, { uuid: undefined }), /^'entity_data\.uuid' is missing/],
    ['cpu as a word', variant({}, { cpu: 'one' }), /^'entity_data\.cpu' must be a positive integer: got "one"; write the number of virtual CPUs as a whole number/],
    ['cpu of zero', variant({}, { cpu: 0 }), /^'entity_data\.cpu' must be a positive integer: got 0/],
    ['fractional memory', variant({}, { memory: 0.5 }), /^'entity_data\.memory' must be a positive integer: got 0\.5; write the memory in MB/],
    ['negative disk', variant({}, { disk_size: -4 }), /^'entity_data\.disk_size' must be a positive integer: got -4; write the disk size in GB/],
    ['a missing base image', variant({}, { base_image: undefined }), /^'entity_data\.base_image' is missing/],
    ['an unmappable base image', variant({}, { base_image: 'http://x/brain.qcow2' }),
      /^'entity_data\.base_image' has no container image mapping: got "http:\/\/x\/brain\.qcow2"; map it to a pinned container image: images: \{"http:\/\/x\/brain\.qcow2":.*--image 'http:\/\/x\/brain\.qcow2=/],
    ['an unknown entity key', variant({}, { 'ssh-key': '' }), /^'entity_data\.ssh-key' is not a key of the fog05 entity descriptor/],
    ['networks not a list', variant({}, { networks: {} }), /^'entity_data\.networks' must be a list: got \{\}/],
    ['networks missing', variant({}, { networks: undefined }), /^'entity_data\.networks' is missing/],
    ['a network entry that is a string', variant({}, { networks: ['lan01'] }), /^'entity_data\.networks\[0\]' must be an object: got "lan01"/],
    ['a missing intf_name', variant({}, { networks: [{ br_name: 'lan01' }] }), /^'entity_data\.networks\[0\]\.intf_name' is missing/],
    ['a long intf_name', variant({}, { networks: [{ intf_name: 'a-very-long-interface', br_name: 'lan01' }] }), /^'entity_data\.networks\[0\]\.intf_name' is longer than 15 characters/],
    ['lo as intf_name', variant({}, { networks: [{ intf_name: 'lo', br_name: 'lan01' }] }), /^'entity_data\.networks\[0\]\.intf_name' is the loopback interface/],
    ['an intf_name used twice', variant({}, { networks: [{ intf_name: 'net1', br_name: 'lan01' }, { intf_name: 'net1', br_name: 'lan02' }] }),
      /^'entity_data\.networks\[1\]\.intf_name' gives the pod interface 'net1' twice \(also networks\[0\]\)/],
    ['a rename colliding with another interface', variant({}, { networks: [{ intf_name: 'eth0', br_name: 'lan01' }, { intf_name: 'net-eth0', br_name: 'lan02' }] }),
      /^'entity_data\.networks\[1\]\.intf_name' gives the pod interface 'net-eth0' twice/],
    ['a missing br_name', variant({}, { networks: [{ intf_name: 'net1' }] }), /^'entity_data\.networks\[0\]\.br_name' is missing/],
    ['a br_name with a slash', variant({}, { networks: [{ intf_name: 'net1', br_name: 'br/0' }] }), /^'entity_data\.networks\[0\]\.br_name' contains '\/', ':' or whitespace/],
    ['two bridges with one NAD name', variant({}, { networks: [{ intf_name: 'net1', br_name: 'br_a' }, { intf_name: 'net2', br_name: 'br-a' }] }),
      /^'entity_data\.networks\[1\]\.br_name' gives the NAD name 'br-a', as does bridge "br_a"/],
    ['an unknown key in a network entry', variant({}, { networks: [{ intf_name: 'net1', br_name: 'lan01', mac: '02:00:00:00:00:01' }] }),
      /^'entity_data\.networks\[0\]\.mac' is not a key/],
  ])('fails on %s, naming the field', (_, descriptor, expected) => {
    const found = messages(descriptor);
    expect(found.some((m) => expected.test(m))).toBe(true);
  });

  test('fails on eth0 without a rename, with the fix', () => {
    expect(messages(TALK, {})).toEqual([
      '\'entity_data.networks[0].intf_name\' collides with the pod\'s cluster interface (Kubernetes gives eth0 to the cluster network): got "eth0"; '
      + 'rename it: renameEth0: "net-eth0" (command line: --rename-eth0 net-eth0), and update the software in the image that expects eth0',
    ]);
    expect(() => new Fog05Entity(chart(), 'E', { descriptor: TALK }))
      .toThrow(/^Fog05Entity test\/E: 'entity_data\.networks\[0\]\.intf_name' collides with the pod's cluster interface/);
  });

  test('fails on a bad rename', () => {
    expect(messages(TALK, { renameEth0: 'eth0' })).toEqual([expect.stringMatching(/^'renameEth0' is a name Kubernetes reserves: got "eth0"/)]);
    expect(messages(TALK, { renameEth0: 'x'.repeat(16) })).toEqual([expect.stringMatching(/^'renameEth0' is longer than 15 characters/)]);
  });

  test('fails on options naming what the descriptor lacks, and on unpinned images', () => {
    expect(messages(TALK, { ...ok, bridges: { lan02: {} } })).toEqual([expect.stringMatching(/^'bridges\["lan02"\]' names a bridge the descriptor does not use: got "lan02"; use one of "lan01"$/)]);
    expect(messages(TALK, { ...ok, images: { ubuntu: 'ubuntu:latest' } })).toEqual([expect.stringMatching(/^'images\["ubuntu"\]' is not a pinned container image reference/)]);
  });

  test('fails with every problem at once', () => {
    const bad = variant({ uuid: 'x' }, { cpu: 'one', memory: -1, networks: [{ intf_name: 'eth0', br_name: 'lan01' }] });
    expect(() => new Fog05Entity(chart(), 'E', { descriptor: bad })).toThrow(/4 problems:\n {2}'uuid' .*\n {2}'entity_data\.cpu' .*\n {2}'entity_data\.memory' .*\n {2}'entity_data\.networks\[0\]\.intf_name' /);
  });

  test('fails on text that is not JSON', () => {
    expect(() => parseFog05Descriptor('{"name": ')).toThrow(/^fog05 descriptor: 'descriptor' is not valid JSON: got "\{\\"name\\": "; fix the JSON syntax/);
  });
});
