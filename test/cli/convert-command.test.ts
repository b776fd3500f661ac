import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { convertFog05 } from '../../lib/cli/convert-command';
import { ExitCode, run } from '../../lib/cli/main';

// What test/cli/convert.test.ts does not cover: convertFog05 called directly, option checks, --profile.
const TALK = path.join(__dirname, '..', '..', 'examples', 'fog05', 'ubuntu-host.json');
const TEXT = fs.readFileSync(TALK, 'utf8');

async function convert(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(['convert', ...args], { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

describe('convertFog05', () => {
  test('returns the YAML, no problems and exit 0; the namespace defaults to "default"', () => {
    const r = convertFog05(TEXT, { renameEth0: 'net-eth0' });
    expect(r.code).toBe(ExitCode.OK);
    expect(r.problems).toEqual([]);
    const objects = YAML.parseAllDocuments(r.yaml!).map((d) => d.toJSON());
    expect(objects.map((o) => [o.kind, o.metadata.namespace])).toEqual([['NetworkAttachmentDefinition', 'default'], ['Deployment', 'default']]);
    expect(r.yaml!.endsWith('\n')).toBe(true);
  });

  test('--bridge-subnet repeated for one bridge gives both subnets (one per address family)', () => {
    const r = convertFog05(TEXT, { renameEth0: 'net-eth0', bridgeSubnet: ['lan01=192.168.100.0/24', 'lan01=fd00:100::/64'] });
    expect(r.problems).toEqual([]);
    const nad = YAML.parseAllDocuments(r.yaml!).map((d) => d.toJSON())[0];
    const ipam = JSON.stringify(JSON.parse(nad.spec.config).plugins[0].ipam);
    expect(ipam).toContain('192.168.100.0/24');
    expect(ipam).toContain('fd00:100::/64');
  });

  test.each([
    ['--image', 'ubuntu', /^'--image' must be <key>=<value>: got "ubuntu"; e\.g\. --image ubuntu=docker\.io\/library\/ubuntu:22\.04$/],
    ['--image', '=docker.io/x', /^'--image' must be <key>=<value>: got "=docker\.io\/x"; /],
    ['--bridge-subnet', 'lan01=', /^'--bridge-subnet' must be <key>=<value>: got "lan01="; e\.g\. --bridge-subnet lan01=192\.168\.100\.0\/24$/],
  ])('fails with exit 2 on %s %s, before reading the descriptor', (option, value, message) => {
    const opts = option === '--image' ? { image: [value] } : { bridgeSubnet: [value] };
    const r = convertFog05('not even JSON', opts);
    expect(r.code).toBe(ExitCode.CANNOT_RUN);
    expect(r.yaml).toBeUndefined();
    expect(r.problems).toEqual([expect.stringMatching(message)]);
  });

  test('every malformed option is reported at once', () => {
    const r = convertFog05(TEXT, { image: ['a', 'b'], bridgeSubnet: ['c'] });
    expect(r.problems).toHaveLength(3);
  });

  test('fails with exit 1 on long text that is not JSON, shown cut to 80 characters', () => {
    const r = convertFog05(`{${'x'.repeat(200)}`);
    expect(r.code).toBe(ExitCode.FAILED);
    expect(r.problems).toEqual([expect.stringMatching(new RegExp(`^'descriptor' is not valid JSON: got "\\{${'x'.repeat(76)}\\.\\.\\."; fix the JSON syntax \\(.+\\)$`))]);
  });
});

describe('cdk8s-nfv convert options', () => {
  test('convert --help lists fog05; fog05 --help lists its options', async () => {
    const a = await convert(['--help']);
    expect(a.code).toBe(ExitCode.OK);
    expect(a.out).toMatch(/^\s+fog05 /m);
    const b = await convert(['fog05', '--help']);
    expect(b.code).toBe(ExitCode.OK);
    for (const o of ['--rename-eth0 <name>', '--namespace <namespace>', '--profile <profile>', '--image <base=image>', '--bridge-subnet <bridge=cidr>']) {
      expect(b.out).toContain(o);
    }
  });

  test('fails with exit 2 on an unknown --profile, naming the choices', async () => {
    const r = await convert(['fog05', TALK, '--rename-eth0', 'net-eth0', '--profile', 'gentoo']);
    expect(r.code).toBe(ExitCode.CANNOT_RUN);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/'gentoo' is invalid\. Allowed choices are upstream, debian-1\.1\.1/);
  });

  test('both profiles convert the talk descriptor to the same objects', async () => {
    const up = await convert(['fog05', TALK, '--rename-eth0', 'net-eth0']);
    const deb = await convert(['fog05', TALK, '--rename-eth0', 'net-eth0', '--profile', 'debian-1.1.1']);
    expect(up.code).toBe(ExitCode.OK);
    expect(deb.code).toBe(ExitCode.OK);
    expect(deb.out).toBe(up.out);
  });

  test('fails with exit 2 on a malformed --bridge-subnet, prefixed with the command and file', async () => {
    const r = await convert(['fog05', TALK, '--bridge-subnet', 'lan01']);
    expect(r.code).toBe(ExitCode.CANNOT_RUN);
    expect(r.err).toMatch(/^cdk8s-nfv convert fog05: .*ubuntu-host\.json: '--bridge-subnet' must be <key>=<value>: got "lan01"; /);
  });
});
