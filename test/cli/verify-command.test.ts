import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ExitCode, run } from '../../lib/cli/main';

// Only the paths that stop before any namespace is created (verify.test.ts brings topologies up).
let tmp: string;
let nad: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-cmd-'));
  nad = path.join(tmp, 'nad.yaml');
  fs.writeFileSync(nad, [
    'apiVersion: k8s.cni.cncf.io/v1', 'kind: NetworkAttachmentDefinition', 'metadata:', '  name: data', 'spec:',
    `  config: '${JSON.stringify({ cniVersion: '1.0.0', name: 'data', type: 'bridge', bridge: 'br-x', ipam: { type: 'host-local', subnet: '10.9.0.0/24' } })}'`, '',
  ].join('\n'));
  fs.mkdirSync(path.join(tmp, 'empty-bin'));
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function verify(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(['verify', ...args], { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

describe('cdk8s-nfv verify options', () => {
  test('--help names every option and its default', async () => {
    const r = await verify(['--help']);
    expect(r.code).toBe(ExitCode.OK);
    for (const o of ['--cni-path <dirs>', '--nodes <n>', '--format <format>', '--timeout <seconds>', '--no-probe-unselected', '--cleanup']) expect(r.out).toContain(o);
    // commander wraps the help to 80 columns
    const flat = r.out.replace(/\s+/g, ' ');
    expect(flat).toMatch(/after this long \(default: "600"\)/);
    expect(flat).toMatch(/\(choices: "text", "json", default: "text"\)/);
    expect(flat).toMatch(/colon-separated \(default: "\/opt\/cni\/bin:\/usr\/lib\/cni"\)/);
  });

  test.each(['0', '-5', 'soon'])('fails with exit 2 on --timeout %s, in the one error style', async (t) => {
    const r = await verify([nad, '--timeout', t]);
    expect(r.code).toBe(ExitCode.CANNOT_RUN);
    expect(r.err).toBe(`cdk8s-nfv verify: '--timeout' must be a positive number of seconds: got ${JSON.stringify(t)}; write e.g. --timeout 300\n`);
    expect(r.out).toBe('');
  });

  test.each(['0', '65', '1.5', 'two'])('fails with exit 2 on --nodes %s', async (n) => {
    const r = await verify([nad, '--nodes', n]);
    expect(r.code).toBe(ExitCode.CANNOT_RUN);
    expect(r.err).toMatch(/^cdk8s-nfv verify: '--nodes' must be an integer from 1 to 64: got (\d+(\.\d+)?|null); emulate fewer nodes\n$/);
  });

  test('fails with exit 2 on an unknown --format', async () => {
    const r = await verify([nad, '--format', 'yaml']);
    expect(r.code).toBe(ExitCode.CANNOT_RUN);
    expect(r.err).toMatch(/'yaml' is invalid/);
  });

  test('fails with exit 2 on a missing input, naming it', async () => {
    const r = await verify([path.join(tmp, 'nope.yaml')]);
    expect(r.code).toBe(ExitCode.CANNOT_RUN);
    expect(r.err).toMatch(/^cdk8s-nfv verify: .*nope\.yaml: no such file or folder\n$/);
  });

  test('fails with exit 2 on inputs without objects', async () => {
    const empty = path.join(tmp, 'empty.yaml');
    fs.writeFileSync(empty, '# nothing\n');
    const r = await verify([empty]);
    expect(r.code).toBe(ExitCode.CANNOT_RUN);
    expect(r.err).toMatch(/no Kubernetes objects in .*empty\.yaml; pass the synthesized YAML/);
  });

  test('fails with exit 2 when --cni-path holds no plugin binaries (or the machine cannot run plugins)', async () => {
    const r = await verify([nad, '--cni-path', path.join(tmp, 'empty-bin'), '--timeout', '30']);
    expect(r.code).toBe(ExitCode.CANNOT_RUN);
    expect(r.err).toMatch(/cdk8s-nfv verify: (no CNI plugin binaries in .*empty-bin; install the CNI plugins|cannot bring the topology up here: )/);
    expect(r.out).toBe('');
  });

  test('fails with exit 2 without inputs (and without --cleanup), in the one error style', async () => {
    const r = await verify([]);
    expect(r.code).toBe(ExitCode.CANNOT_RUN);
    expect(r.err).toBe("cdk8s-nfv verify: 'inputs' are missing: got none; pass files, folders or - (or --cleanup)\n");
    expect(r.out).toBe('');
  });

  test('--help says what verify does with DRA claims and CNI 1.1 STATUS/GC', async () => {
    const flat = (await verify(['--help'])).out.replace(/\s+/g, ' ');
    expect(flat).toContain("DRA: a pod's resourceClaims naming a ResourceClaimTemplate or ResourceClaim of the inputs whose config carries cni-dra-driver's CNI parameters are attachments too");
    expect(flat).toContain('SR-IOV DRA and DRANET claims are unsupported here');
    expect(flat).toContain('CNI 1.1: STATUS goes before the first ADD of a network on a node (a failure fails its attachments, ADD not run) and GC after the DELs');
    expect(flat).toContain('Multus 4.3.0 itself sends neither verb to a pod\'s NADs.');
  });

  test('--help states the exit statuses, including 3 when nothing was verified', async () => {
    const r = await verify(['--help']);
    const flat = r.out.replace(/\s+/g, ' ');
    expect(flat).toContain('Exit status: 0 every check passed (unsupported-here checks do not fail a run), 1 a check failed, 2 it cannot run');
    expect(flat).toContain('3 nothing was verified (no check passed: every one is unsupported here)');
  });
});
