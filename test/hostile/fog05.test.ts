import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { convertFog05 } from '../../lib/cli/convert-command';
import { ExitCode, run } from '../../lib/cli/main';
import { formatProblem } from '../../lib/cni/problem';
import { FOG05_LIMITS, Fog05Descriptor, Fog05Entity, fog05Image, fog05Problems } from '../../lib/fog05';

// convert fog05 and the Fog05Entity construct against hostile input (issue 12, items 5 and 6):
// amounts are Kubernetes quantities within caps, names are looked up as own properties only,
// and wrong-typed options are refused in the house error style.

const TALK: Fog05Descriptor = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'fog05', 'ubuntu-host.json'), 'utf8'));
const OPTS = { renameEth0: 'net-eth0' };

/** The talk's descriptor with entity_data changed. */
function withData(change: Record<string, unknown>): string {
  return JSON.stringify({ ...TALK, entity_data: { ...TALK.entity_data, ...change } });
}

function objects(yaml: string): any[] {
  return YAML.parseAllDocuments(yaml).map((d) => d.toJSON());
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nfv-hostile-fog05-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function convert(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(['convert', 'fog05', ...args], { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

describe('amounts are Kubernetes quantities within caps', () => {
  test.each([
    ['cpu', 1e308, '\'entity_data.cpu\' is more than the limit of 1024: got 1e+308; write the number of virtual CPUs as a whole number from 1 to 1024'],
    ['cpu', 1025, '\'entity_data.cpu\' is more than the limit of 1024: got 1025; write the number of virtual CPUs as a whole number from 1 to 1024'],
    ['memory', 16777217, '\'entity_data.memory\' is more than the limit of 16777216: got 16777217; write the memory in MB as a whole number from 1 to 16777216'],
    ['disk_size', 1048577, '\'entity_data.disk_size\' is more than the limit of 1048576: got 1048577; write the disk size in GB as a whole number from 1 to 1048576'],
    ['cpu', -1, '\'entity_data.cpu\' must be a positive integer: got -1; write the number of virtual CPUs as a whole number such as 1'],
    ['cpu', 0, '\'entity_data.cpu\' must be a positive integer: got 0; write the number of virtual CPUs as a whole number such as 1'],
    ['cpu', 1.5, '\'entity_data.cpu\' must be a positive integer: got 1.5; write the number of virtual CPUs as a whole number such as 1'],
    ['cpu', '2', '\'entity_data.cpu\' must be a positive integer: got "2"; write the number of virtual CPUs as a whole number such as 1'],
    ['memory', [512], '\'entity_data.memory\' must be a positive integer: got [512]; write the memory in MB as a whole number such as 1'],
  ])('%s = %p: exit 1 with exactly one problem, no YAML', (key, value, message) => {
    const r = convertFog05(withData({ [key]: value }), OPTS);
    expect(r).toEqual({ problems: [message], code: ExitCode.FAILED });
  });

  test('cpu 1e400 (Infinity once parsed) is refused', () => {
    const text = withData({}).replace('"cpu":1', '"cpu":1e400');
    expect(convertFog05(text, OPTS).problems).toEqual(['\'entity_data.cpu\' must be a positive integer: got Infinity; write the number of virtual CPUs as a whole number such as 1']);
  });

  test('the caps themselves convert, written as plain quantities', () => {
    const r = convertFog05(withData({ cpu: FOG05_LIMITS.maxCpu, memory: FOG05_LIMITS.maxMemoryMb, disk_size: FOG05_LIMITS.maxDiskGb }), OPTS);
    expect(r.problems).toEqual([]);
    const deployment = objects(r.yaml!).find((o) => o.kind === 'Deployment');
    expect(deployment.spec.template.spec.containers[0].resources.limits).toEqual({ 'cpu': '1024', 'memory': '16777216Mi', 'ephemeral-storage': '1048576Gi' });
  });

  test('NaN from a JavaScript caller is refused by the construct in the house style', () => {
    const chart = Testing.chart();
    const descriptor = { ...TALK, entity_data: { ...TALK.entity_data, memory: NaN } };
    expect(() => new Fog05Entity(chart, 'E', { descriptor, ...OPTS })).toThrow(
      "Fog05Entity test/E: 'entity_data.memory' must be a positive integer: got NaN; write the memory in MB as a whole number such as 1");
  });
});

describe('names are looked up as own properties: __proto__ and constructor are ordinary strings', () => {
  test.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('base_image %p has no mapping (not a function from the prototype): exit 1', (base) => {
    const r = convertFog05(withData({ base_image: base }), OPTS);
    expect(r.code).toBe(ExitCode.FAILED);
    expect(r.problems).toEqual([expect.stringMatching(new RegExp(`^'entity_data\\.base_image' has no container image mapping: got "${base}"; map it to a pinned container image`))]);
    expect(fog05Image(base)).toBeUndefined();
  });

  test('base_image "constructor" mapped with --image constructor=...: that image is used', () => {
    const r = convertFog05(withData({ base_image: 'constructor' }), { ...OPTS, image: ['constructor=docker.io/library/busybox:1.36'] });
    expect(r.problems).toEqual([]);
    expect(objects(r.yaml!).find((o) => o.kind === 'Deployment').spec.template.spec.containers[0].image).toBe('docker.io/library/busybox:1.36');
  });

  test.each(['constructor', 'toString'])('br_name %p names a bridge and its NAD like any other', (br) => {
    const r = convertFog05(withData({ networks: [{ intf_name: 'net1', br_name: br }] }), {});
    expect(r.problems).toEqual([]);
    const nad = objects(r.yaml!).find((o) => o.kind === 'NetworkAttachmentDefinition');
    expect([nad.metadata.name, JSON.parse(nad.spec.config).plugins[0].bridge]).toEqual([br.toLowerCase(), br]);
  });

  test('br_name "__proto__" with --bridge-subnet __proto__=...: the subnet reaches that bridge, no prototype is changed', () => {
    const r = convertFog05(withData({ networks: [{ intf_name: 'net1', br_name: '__proto__' }] }), { bridgeSubnet: ['__proto__=192.168.7.0/24'] });
    expect(r.problems).toEqual([]);
    const nad = objects(r.yaml!).find((o) => o.kind === 'NetworkAttachmentDefinition');
    expect(nad.metadata.name).toBe('proto');
    expect(JSON.parse(nad.spec.config).plugins[0].ipam.ranges).toEqual([[{ subnet: '192.168.7.0/24', gateway: '192.168.7.1' }]]);
    expect(({} as any).subnets).toBeUndefined();
  });

  test('--bridge-subnet constructor=... for a descriptor without that bridge: named as unused', () => {
    const r = convertFog05(JSON.stringify(TALK), { ...OPTS, bridgeSubnet: ['constructor=10.0.0.0/24'] });
    expect(r.problems).toEqual(['\'bridges["constructor"]\' names a bridge the descriptor does not use: got "constructor"; use one of "lan01"']);
  });
});

describe('options and props of the wrong type (callers without a type checker)', () => {
  const problems = (options: any) => fog05Problems(TALK, options).map(formatProblem);

  test.each([
    [{ renameEth0: 5 }, '\'renameEth0\' must be a string: got 5; name the interface, e.g. "net-eth0"'],
    [{ ...OPTS, images: 'ubuntu=x' }, '\'images\' must be an object of base image to container image: got "ubuntu=x"; write images: {"ubuntu": "docker.io/library/ubuntu:22.04"}'],
    [{ ...OPTS, images: { other: 7 } }, '\'images["other"]\' must be a string: got 7; write registry/repository:tag (not latest) or registry/repository@sha256:<digest>'],
    [{ ...OPTS, bridges: ['lan01'] }, '\'bridges\' must be an object of bridge name to options: got ["lan01"]; write bridges: {"lan01": {subnets: ["192.168.100.0/24"]}}'],
    [{ ...OPTS, bridges: { lan01: { subnets: '10.0.0.0/24' } } }, '\'bridges["lan01"].subnets\' must be a list of strings: got "10.0.0.0/24"; write e.g. ["192.168.100.0/24"]'],
    [{ ...OPTS, bridges: { lan01: { ipam: 'dhcp4' } } }, '\'bridges["lan01"].ipam\' must be one of "host-local", "whereabouts", "static", "dhcp", "none": got "dhcp4"; use an IpamMode'],
    [{ ...OPTS, bridges: { lan01: { name: 9 } } }, '\'bridges["lan01"].name\' must be a string: got 9; write a DNS-1123 label, e.g. "lan-1"'],
  ])('%j: exactly that problem', (options, message) => {
    expect(problems(options)).toEqual([message]);
  });

  test.each([
    [{ ports: [70000] }, '\'ports\' must be a list of port numbers from 1 to 65535: got [70000]; write e.g. [8080]'],
    [{ command: 'sleep infinity' }, '\'command\' must be a non-empty list of strings: got "sleep infinity"; write e.g. ["sleep", "infinity"]'],
    [{ runAsNonRoot: 'yes' }, '\'runAsNonRoot\' must be true or false: got "yes"; write true or false'],
    [{ namespace: 'Bad_NS' }, '\'namespace\' must be a DNS-1123 label of at most 63 characters: got "Bad_NS"; use a namespace name such as "edge"'],
    [{ kind: 'Job' }, '\'kind\' must be one of "Pod", "Deployment", "StatefulSet", "DaemonSet": got "Job"; use a WorkloadKind'],
  ])('Fog05Entity with %j throws exactly that problem', (props, message) => {
    const chart = Testing.chart();
    expect(() => new Fog05Entity(chart, 'E', { descriptor: TALK, ...OPTS, ...(props as any) })).toThrow(`Fog05Entity test/E: ${message}`);
  });

  test('Fog05Entity with no props object throws in the house style, not a TypeError', () => {
    expect(() => new Fog05Entity(Testing.chart(), 'E', undefined as any)).toThrow("Fog05Entity test/E: 'props' must be an object: got nothing; pass {descriptor, ...}");
  });
});

describe('the descriptor file', () => {
  test('nested 5,000 levels deep: exit 1 with the limit, no stack overflow', () => {
    const text = `{"name": ${'['.repeat(5000)}${']'.repeat(5000)}}`;
    expect(convertFog05(text, OPTS)).toEqual({
      problems: ["'descriptor' nests JSON deeper than the limit of 100 levels: got more than 100 levels; a fog05 descriptor nests 3 levels deep: fix the file"],
      code: ExitCode.FAILED,
    });
  });

  test('a FIFO is refused without blocking (exit 2)', async () => {
    const fifo = path.join(tmp, 'd.json');
    execFileSync('mkfifo', [fifo]);
    const r = await convert([fifo]);
    expect(r.code).toBe(ExitCode.CANNOT_RUN);
    expect(r.err).toBe(`cdk8s-nfv convert fog05: ${fifo}: 'file' is a FIFO, not a regular file: got ${JSON.stringify(fifo)}; manifests are read from regular files only: copy the content into a file\n`);
  });

  test('a link to /dev/zero is refused unread (exit 2)', async () => {
    const zero = path.join(tmp, 'zero.json');
    fs.symlinkSync('/dev/zero', zero);
    const r = await convert([zero]);
    expect(r.code).toBe(ExitCode.CANNOT_RUN);
    expect(r.err).toBe(`cdk8s-nfv convert fog05: ${zero}: 'file' is a character device, not a regular file: got ${JSON.stringify(zero)}; manifests are read from regular files only: copy the content into a file\n`);
  });

  test('control characters in a key are printed escaped (a bidi override JSON.stringify leaves raw)', async () => {
    const f = path.join(tmp, 'bidi.json');
    fs.writeFileSync(f, JSON.stringify({ ...TALK, 'x\u202ey': 1 }));
    const r = await convert([f, '--rename-eth0', 'net-eth0']);
    expect(r.code).toBe(ExitCode.FAILED);
    expect(r.err).toBe(`cdk8s-nfv convert fog05: ${f}: 'x\\u202ey' is not a key of the fog05 entity descriptor this converter reads: got 1; remove it; the keys are name, version, type, uuid, entity_data\n`);
  });

  test('an ANSI escape in the entity name is refused as no letter or digit only when nothing is left, else made a label', () => {
    const r = convertFog05(withData({ name: '\u001b[31mweb' }), OPTS);
    expect(r.problems).toEqual([]);
    expect(objects(r.yaml!).find((o) => o.kind === 'Deployment').metadata.name).toBe('31mweb');
  });
});

describe('convertFog05 called without a type checker', () => {
  test('descriptor text that is an object', () => {
    expect(() => convertFog05(TALK as any)).toThrow(`'text' must be the descriptor's JSON text: got ${JSON.stringify(TALK).slice(0, 197)}...; read the file first`);
  });

  test('--image entries as one string', () => {
    expect(() => convertFog05(JSON.stringify(TALK), { image: 'ubuntu=docker.io/library/ubuntu:22.04' as any })).toThrow(
      '\'image\' must be a list of <key>=<value> strings: got "ubuntu=docker.io/library/ubuntu:22.04"; pass e.g. [\'ubuntu=docker.io/library/ubuntu:22.04\']');
  });
});
