import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ExitCode, run } from '../../lib/cli/main';

// What test/cli/diagram.test.ts does not cover: help, --output errors, the long option, the messages.
let tmp: string;
let file: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'diagram-cmd-'));
  file = path.join(tmp, 'nad.yaml');
  fs.writeFileSync(file, [
    'apiVersion: k8s.cni.cncf.io/v1', 'kind: NetworkAttachmentDefinition', 'metadata:', '  name: data', '  namespace: a', 'spec:',
    `  config: '${JSON.stringify({ cniVersion: '1.0.0', name: 'data', type: 'bridge', bridge: 'br-x' })}'`, '',
  ].join('\n'));
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function diagram(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(['diagram', ...args], { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

describe('cdk8s-nfv diagram options', () => {
  test('--help lists the formats and the output option', async () => {
    const r = await diagram(['--help']);
    expect(r.code).toBe(ExitCode.OK);
    const flat = r.out.replace(/\s+/g, ' ');
    expect(flat).toMatch(/--format <format> picture format \(choices: "svg", "mermaid", "dot", default: "svg"\)/);
    expect(flat).toMatch(/-o, --output <file>/);
  });

  test('--output (long form) writes the file and reports the counts on stderr, nothing on stdout', async () => {
    const target = path.join(tmp, 'out.mmd');
    const r = await diagram([file, '--format', 'mermaid', '--output', target]);
    expect(r.code).toBe(ExitCode.OK);
    expect(r.out).toBe('');
    expect(r.err).toBe(`cdk8s-nfv diagram: wrote ${target} (1 network(s), 0 workload(s))\n`);
    expect(fs.readFileSync(target, 'utf8')).toMatch(/^---\ntitle: "Networks and attachments: 1 network, 0 workloads"\n---\nflowchart LR\n[\s\S]*data/);
  });

  test('fails with exit 2 when the output cannot be written, in the one error style', async () => {
    const target = path.join(tmp, 'no-such-dir', 'out.svg');
    const r = await diagram([file, '-o', target]);
    expect(r.code).toBe(ExitCode.CANNOT_RUN);
    expect(r.out).toBe('');
    expect(r.err).toMatch(new RegExp(`^cdk8s-nfv diagram: '--output' cannot be written: got ${JSON.stringify(target).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}; ENOENT`));
  });

  test('fails with exit 1 when there is nothing to draw, with the whole message', async () => {
    const empty = path.join(tmp, 'cm.yaml');
    fs.writeFileSync(empty, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
    const r = await diagram([empty, '--format', 'dot']);
    expect(r.code).toBe(ExitCode.FAILED);
    expect(r.out).toBe('');
    expect(r.err).toBe('cdk8s-nfv diagram: no NetworkAttachmentDefinition and no workload with a Multus annotation in the inputs; nothing to draw\n');
  });

  test('fails with exit 2 on a YAML syntax error, naming the file and document', async () => {
    const bad = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(bad, 'kind: [oops\n');
    const r = await diagram([bad]);
    expect(r.code).toBe(ExitCode.CANNOT_RUN);
    expect(r.err).toMatch(/^cdk8s-nfv diagram: .*bad\.yaml: document 0 cannot be parsed: /);
  });

  test('fails with exit 2 without an input', async () => {
    const r = await diagram([]);
    expect(r.code).toBe(ExitCode.CANNOT_RUN);
    expect(r.err).toMatch(/missing required argument 'inputs'/);
  });
});
