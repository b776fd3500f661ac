import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { run } from '../../lib/cli/main';
import { expectValidObjects } from '../util/schema';

const TALK = path.join(__dirname, '..', '..', 'examples', 'fog05', 'ubuntu-host.json');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'convert-'));

async function convert(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(['convert', ...args], { out: (t) => { out.push(t); }, err: (t) => { err.push(t); } });
  return { code, out: out.join(''), err: err.join('') };
}

function descriptorFile(name: string, change: (d: any) => void): string {
  const d = JSON.parse(fs.readFileSync(TALK, 'utf8'));
  change(d);
  const file = path.join(tmp, name);
  fs.writeFileSync(file, JSON.stringify(d));
  return file;
}

describe('cdk8s-nfv convert fog05', () => {
  test('the talk descriptor with --rename-eth0: a NAD for lan01 and a Deployment attached to it (exit 0)', async () => {
    const r = await convert(['fog05', TALK, '--rename-eth0', 'net-eth0']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const objects = YAML.parseAllDocuments(r.out).map((d) => d.toJSON());
    expect(objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'NetworkAttachmentDefinition default/lan01',
      'Deployment default/ubuntu-host',
    ]);
    expect(JSON.parse(objects[0].spec.config).plugins).toEqual([{ type: 'bridge', bridge: 'lan01' }]);
    const template = objects[1].spec.template;
    expect(JSON.parse(template.metadata.annotations['k8s.v1.cni.cncf.io/networks'])).toEqual([{ name: 'lan01', namespace: 'default', interface: 'net-eth0' }]);
    expect(template.spec.containers[0].resources.requests).toEqual({ 'cpu': '1', 'memory': '512Mi', 'ephemeral-storage': '4Gi' });
    expect(template.spec.containers[0].image).toBe('docker.io/library/ubuntu:22.04');
    expectValidObjects(objects);
    expect(r.out.endsWith('\n')).toBe(true);
  });

  test('the same YAML run to run', async () => {
    const a = await convert(['fog05', TALK, '--rename-eth0', 'net-eth0']);
    const b = await convert(['fog05', TALK, '--rename-eth0', 'net-eth0']);
    expect(a.out).toBe(b.out);
  });

  test('--namespace, --image and --bridge-subnet', async () => {
    const file = descriptorFile('vm.json', (d) => { d.entity_data.base_image = 'http://images.example.com/brain.qcow2'; });
    const r = await convert(['fog05', file, '--rename-eth0', 'lan0', '--namespace', 'edge',
      '--image', 'http://images.example.com/brain.qcow2=registry.example.com/nfv/brain:1.0', '--bridge-subnet', 'lan01=192.168.100.0/24', '--profile', 'debian-1.1.1']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const objects = YAML.parseAllDocuments(r.out).map((d) => d.toJSON());
    expect(objects.every((o) => o.metadata.namespace === 'edge')).toBe(true);
    const ipam = JSON.parse(objects[0].spec.config).plugins[0].ipam;
    expect(ipam.type).toBe('host-local');
    expect(JSON.stringify(ipam)).toContain('192.168.100.0/24');
    expect(objects[1].spec.template.spec.containers[0].image).toBe('registry.example.com/nfv/brain:1.0');
    expectValidObjects(objects);
  });

  test('reads standard input with -', () => {
    const root = path.join(__dirname, '..', '..');
    const script = "require('./lib/cli/main').run(['convert', 'fog05', '-', '--rename-eth0', 'net-eth0']).then((c) => { process.exitCode = c; })";
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { cwd: root, input: fs.readFileSync(TALK), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(YAML.parseAllDocuments(r.stdout).map((d) => d.toJSON().kind)).toEqual(['NetworkAttachmentDefinition', 'Deployment']);
  });

  test('fails with exit 1 on eth0 without a rename, naming the field and the option', async () => {
    const r = await convert(['fog05', TALK]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/ubuntu-host\.json: 'entity_data\.networks\[0\]\.intf_name' collides with the pod's cluster interface .*: got "eth0"; .*--rename-eth0 net-eth0/);
  });

  test('fails with exit 1 on a malformed descriptor, one line per problem', async () => {
    const file = descriptorFile('bad.json', (d) => { d.entity_data.cpu = 'one'; d.entity_data.memory = 0; });
    const r = await convert(['fog05', file, '--rename-eth0', 'net-eth0']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/bad\.json: 'entity_data\.cpu' must be a positive integer: got "one"; /),
      expect.stringMatching(/bad\.json: 'entity_data\.memory' must be a positive integer: got 0; /),
    ]);
  });

  test('fails with exit 1 on text that is not JSON', async () => {
    const file = path.join(tmp, 'broken.json');
    fs.writeFileSync(file, '{"name": ');
    const r = await convert(['fog05', file]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/'descriptor' is not valid JSON: got "\{\\"name\\": "; fix the JSON syntax/);
  });

  test('fails with exit 1 on a bad subnet for a bridge (checked by the network model)', async () => {
    const r = await convert(['fog05', TALK, '--rename-eth0', 'net-eth0', '--bridge-subnet', 'lan01=192.168.100.1/24']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/'subnets\[0\]' has host bits set: got "192\.168\.100\.1\/24"/);
  });

  test('fails with exit 2 on a file that cannot be read', async () => {
    const r = await convert(['fog05', path.join(tmp, 'nope.json')]);
    expect(r.code).toBe(2);
    const file = path.join(tmp, 'nope.json');
    expect(r.err).toBe(`cdk8s-nfv convert fog05: ${file}: 'file' cannot be read (ENOENT: no such file or folder): got ${JSON.stringify(file)}; fix the file or its permissions, or leave it out\n`);
  });

  test('fails with exit 2 on a malformed option', async () => {
    const r = await convert(['fog05', TALK, '--rename-eth0', 'net-eth0', '--image', 'ubuntu']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/'--image' must be <key>=<value>: got "ubuntu"/);
  });

  test('fails with exit 2 on an unknown source format or a missing argument', async () => {
    expect((await convert(['openstack', TALK])).code).toBe(2);
    expect((await convert(['fog05'])).code).toBe(2);
  });
});
