import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Severity } from '../../lib/cni/problem';
import { formatFinding, formatReadProblem, lintManifests, lintObjects } from '../../lib/cli/lint';
import { ExitCode, Io, run } from '../../lib/cli/main';
import { MANIFEST_LIMITS, ManifestObject, jsonNestingDepth, listManifestFiles, parseManifests, readManifests } from '../../lib/cli/manifests';
import { hasControlCharacters, terminalLines } from '../../lib/cli/terminal-text';
import { WORKLOAD_LIMITS, podTemplateOf, topologyFromManifests } from '../../lib/cli/topology-from-manifests';

// lint and the manifest reader against hostile input (issue 12, item 4): every case states the
// exact outcome (the message, the exit code), and one bad file or object fails only itself.

const NETWORKS = 'k8s.v1.cni.cncf.io/networks';
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nfv-hostile-lint-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A fresh folder under the temp dir. */
function folder(name: string): string {
  const d = path.join(tmp, name);
  fs.mkdirSync(d, { recursive: true });
  return d;
}

function nadYaml(name: string, config: string = JSON.stringify({ cniVersion: '1.0.0', name, type: 'bridge', bridge: 'br0' })): string {
  return ['apiVersion: k8s.cni.cncf.io/v1', 'kind: NetworkAttachmentDefinition', `metadata: {name: ${name}, namespace: a}`, 'spec:', `  config: '${config}'`, ''].join('\n');
}

const GOOD = nadYaml('good');

async function lint(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => { out += t; }, err: (t) => { err += t; } };
  const code = await run(['lint', ...args], io);
  return { code, out, err };
}

function m(object: unknown, index = 0, file = 'h.yaml'): ManifestObject {
  return { file, index, object };
}

function pod(name: string, annotations: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'a', annotations } };
}

function deployment(name: string, replicas: unknown): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'a' },
    spec: { replicas, template: { metadata: { annotations: { [NETWORKS]: 'good' } }, spec: { containers: [] } } },
  };
}

const DEEP_DOC = `'document 0' nests maps and lists deeper than the limit of ${MANIFEST_LIMITS.maxNestingDepth} levels: got more than 100 levels; flatten the document (Kubernetes objects nest a few levels deep)`;

describe('nesting depth: checked before anything recursive, a problem naming file and object', () => {
  test('spec.config nested 5,000 levels deep: that NAD fails with the house error, the other NAD is still linted (exit 1)', async () => {
    const deep = `{"cniVersion":"1.0.0","name":"deep","type":"bridge","args":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const file = path.join(folder('deep-config'), 'nads.yaml');
    fs.writeFileSync(file, `${nadYaml('deep', deep)}---\n${GOOD}`);
    const report = lintManifests([file]);
    expect(report.readProblems).toEqual([]);
    expect(report.objects).toBe(2);
    expect(report.findings.map(formatFinding)).toEqual([
      `${file}: NetworkAttachmentDefinition a/deep: error: 'spec.config' nests JSON deeper than the limit of 100 levels: got ${JSON.stringify(deep).slice(0, 197)}...; flatten it: CNI configs and selection elements nest a few levels deep`,
    ]);
    const r = await lint(file);
    expect(r.code).toBe(ExitCode.FAILED);
    expect(r.out.trim().split('\n').pop()).toBe('2 objects checked: 1 error(s), 0 warning(s)');
  });

  test('a YAML document of 5,000 nested flow lists: a read problem for that document; the next document is read', () => {
    const r = parseManifests(`${'['.repeat(5000)}${']'.repeat(5000)}\n---\n${GOOD}`, 'deep.yaml');
    expect(r.problems).toEqual([{ file: 'deep.yaml', message: DEEP_DOC }]);
    expect(r.objects.map((o) => [o.index, o.object.metadata.name])).toEqual([[1, 'good']]);
  });

  test('a YAML document of 150 nested block maps: the same problem, naming document 1', () => {
    let block = '';
    for (let i = 0; i < 150; i++) block += `${' '.repeat(i)}k:\n`;
    const r = parseManifests(`${GOOD}---\n${block}`, 'block.yaml');
    expect(r.problems).toEqual([{ file: 'block.yaml', message: DEEP_DOC.replace('document 0', 'document 1') }]);
    expect(r.objects).toHaveLength(1);
  });

  test('100 levels are allowed, 101 are not', () => {
    const at = (n: number) => parseManifests(`${'{"a":'.repeat(n)}1${'}'.repeat(n)}\n`, 'n.yaml').problems;
    expect(at(100)).toEqual([]);
    expect(at(101)).toEqual([{ file: 'n.yaml', message: DEEP_DOC }]);
  });

  test('a 50,000-level document ends as a problem, not a crash (exit 2, the file named)', async () => {
    const file = path.join(folder('deeper'), 'x.json');
    fs.writeFileSync(file, `${'{"a":'.repeat(50000)}1${'}'.repeat(50000)}`);
    const r = await lint(file);
    expect(r.code).toBe(ExitCode.CANNOT_RUN);
    expect(r.err).toBe(`cdk8s-nfv lint: ${file}: ${DEEP_DOC}\n`);
  });

  test('the networks annotation nested 5,000 deep: the pod is left out with the house error (exit 1)', () => {
    const text = `[{"name":"good","cni-args":{"x":${'['.repeat(5000)}${']'.repeat(5000)}}}]`;
    const report = lintObjects([m(pod('p', { [NETWORKS]: text }))]);
    expect(report.findings.map((f) => [f.field, f.message])).toEqual([
      [`metadata.annotations["${NETWORKS}"]`, 'nests JSON deeper than the limit of 100 levels'],
    ]);
  });

  test('jsonNestingDepth skips brackets inside strings and escaped quotes', () => {
    expect(jsonNestingDepth('{"a":"[[[[\\"{{"}')).toBe(1);
    expect(jsonNestingDepth('[[1],[[2]]]')).toBe(3);
  });
});

describe('size and count limits', () => {
  test(`a file of more than ${MANIFEST_LIMITS.maxObjectsPerFile} objects: the first ${MANIFEST_LIMITS.maxObjectsPerFile} are read, then one problem`, () => {
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: Array.from({ length: MANIFEST_LIMITS.maxObjectsPerFile + 5 }, () => ({})) });
    const r = parseManifests(text, 'many.json');
    expect(r.objects).toHaveLength(100000);
    expect(r.problems).toEqual([{
      file: 'many.json',
      message: "'file' holds more objects than the limit of 100000: got more than 100000; split it into smaller files (the first 100000 objects were read)",
    }]);
  });

  test('a file over 64 MiB is refused by its size, unread (exit 2)', async () => {
    const file = path.join(folder('big'), 'big.yaml');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, MANIFEST_LIMITS.maxFileBytes + 1);
    const report = lintManifests([file]);
    expect(report.readProblems).toEqual([{ file, message: "'file' is larger than the limit of 67108864 bytes (64 MiB): got 67108865 bytes; split it into smaller files" }]);
    expect((await lint(file)).code).toBe(ExitCode.CANNOT_RUN);
  });

  test('standard input over 64 MiB is refused', () => {
    const r = readManifests(['-'], () => 'x'.repeat(MANIFEST_LIMITS.maxFileBytes + 1));
    expect(r.problems).toEqual([{ file: '-', message: "'file' is larger than the limit of 67108864 bytes (64 MiB): got more; split it into smaller files" }]);
    expect(r.objects).toEqual([]);
  });

  test(`${WORKLOAD_LIMITS.maxAttachmentsPerPod + 1} attachments on one pod: the pod is left out with the house error`, () => {
    const text = Array.from({ length: 257 }, () => 'good').join(',');
    const report = lintObjects([m(pod('p', { [NETWORKS]: text }))]);
    expect(report.findings.map((f) => formatFinding(f))).toEqual([
      `h.yaml: Pod a/p: error: '${`metadata.annotations["${NETWORKS}"]`}' attaches the pod to more networks than the limit of 256: got 257; split the workload: a pod has at most 256 attachments`,
    ]);
  });

  test('a YAML alias bomb is refused by the parser, naming the document (no memory blow-up)', () => {
    const bomb = 'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n';
    expect(parseManifests(bomb, 'bomb.yaml').problems).toEqual([
      { file: 'bomb.yaml', message: 'document 0 cannot be parsed: Excessive alias count indicates a resource exhaustion attack' },
    ]);
  });

  test('duplicate keys: a parse problem with line and column', () => {
    expect(parseManifests('kind: A\nkind: B\n', 'dup.yaml').problems).toEqual([
      { file: 'dup.yaml', message: 'document 0 cannot be parsed: Map keys must be unique (line 2, column 1)' },
    ]);
  });
});

describe('what a folder holds: regular files only, links only inside the folder', () => {
  let dir: string;
  let outside: string;
  beforeAll(() => {
    dir = folder('tree');
    outside = folder('outside');
    fs.writeFileSync(path.join(dir, 'a.yaml'), GOOD);
    fs.writeFileSync(path.join(outside, 'secret.yaml'), nadYaml('secret'));
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', 'b.yaml'), nadYaml('bee'));
    execFileSync('mkfifo', [path.join(dir, 'fifo.yaml')]);
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.yaml'));
    fs.symlinkSync('loop2.yaml', path.join(dir, 'loop1.yaml'));
    fs.symlinkSync('loop1.yaml', path.join(dir, 'loop2.yaml'));
    fs.symlinkSync('missing.yaml', path.join(dir, 'dangling.yaml'));
    fs.symlinkSync(path.join(outside, 'secret.yaml'), path.join(dir, 'escape.yaml'));
    fs.symlinkSync(outside, path.join(dir, 'escape-dir'));
    fs.symlinkSync('sub/b.yaml', path.join(dir, 'inside.yaml'));
    fs.symlinkSync('..', path.join(dir, 'sub', 'up')); // a cycle inside the folder
  });

  const q = (p: string) => JSON.stringify(p);

  test('every bad entry is a problem of its own, in sorted order; the regular files and the links inside are read', () => {
    const r = readManifests([dir]);
    const j = (...p: string[]) => path.join(dir, ...p);
    expect(r.problems).toEqual([
      { file: j('dangling.yaml'), message: `'file' is a symbolic link that cannot be followed (ENOENT: no such file or folder): got ${q(j('dangling.yaml'))}; fix or remove the link` },
      { file: j('escape-dir'), message: `'file' is a symbolic link out of the folder read: got ${q(j('escape-dir'))}; links are followed only inside the folder: name its target on the command line instead` },
      { file: j('escape.yaml'), message: `'file' is a symbolic link out of the folder read: got ${q(j('escape.yaml'))}; links are followed only inside the folder: name its target on the command line instead` },
      { file: j('fifo.yaml'), message: `'file' is a FIFO, not a regular file: got ${q(j('fifo.yaml'))}; manifests are read from regular files only: copy the content into a file` },
      { file: j('loop1.yaml'), message: `'file' is a symbolic link that cannot be followed (ELOOP: a loop of symbolic links): got ${q(j('loop1.yaml'))}; fix or remove the link` },
      { file: j('loop2.yaml'), message: `'file' is a symbolic link that cannot be followed (ELOOP: a loop of symbolic links): got ${q(j('loop2.yaml'))}; fix or remove the link` },
      { file: j('zero.yaml'), message: `'file' is a symbolic link out of the folder read: got ${q(j('zero.yaml'))}; links are followed only inside the folder: name its target on the command line instead` },
    ]);
    // the link inside the folder is read under its own name; the cycle sub/up is walked once
    expect(r.objects.map((o) => [path.relative(dir, o.file), o.object.metadata.name])).toEqual([
      ['a.yaml', 'good'], ['inside.yaml', 'bee'], [path.join('sub', 'b.yaml'), 'bee'],
    ]);
  });

  test('the command reports every read problem on stderr and exits 2 (the folder was not aborted at the first)', async () => {
    const r = await lint(dir);
    expect(r.code).toBe(ExitCode.CANNOT_RUN);
    expect(r.err.split('\n').filter((l) => l !== '')).toHaveLength(7);
    expect(r.err).not.toMatch(/secret/);
  });

  test('a FIFO named on the command line is refused without blocking', () => {
    const fifo = path.join(dir, 'fifo.yaml');
    expect(listManifestFiles([fifo]).problems).toEqual([
      { file: fifo, message: `'file' is a FIFO, not a regular file: got ${q(fifo)}; manifests are read from regular files only: copy the content into a file` },
    ]);
  });

  test('a link to /dev/zero named on the command line is refused as a character device, unread', () => {
    const zero = path.join(dir, 'zero.yaml');
    expect(readManifests([zero]).problems).toEqual([
      { file: zero, message: `'file' is a character device, not a regular file: got ${q(zero)}; manifests are read from regular files only: copy the content into a file` },
    ]);
  });

  test('a link loop named on the command line', () => {
    const loop = path.join(dir, 'loop1.yaml');
    expect(readManifests([loop]).problems).toEqual([
      { file: loop, message: `'file' is a symbolic link that cannot be followed (ELOOP: a loop of symbolic links): got ${q(loop)}; fix or remove the link` },
    ]);
  });

  test('a file outside the folder named on the command line is read (the user named it)', () => {
    expect(readManifests([path.join(dir, 'escape.yaml')]).objects.map((o) => o.object.metadata.name)).toEqual(['secret']);
  });

  test('/dev/null named directly: a character device, refused', () => {
    expect(readManifests(['/dev/null']).problems).toEqual([
      { file: '/dev/null', message: '\'file\' is a character device, not a regular file: got "/dev/null"; manifests are read from regular files only: copy the content into a file' },
    ]);
  });
});

describe('control characters never reach the terminal raw', () => {
  const cases: [string, string, string][] = [
    ['an ANSI colour sequence', 'p\u001b[31mred', 'p\\u001b[31mred'],
    ['a newline faking a report line', 'p\nfake.yaml: Pod x: error: forged', 'p\\u000afake.yaml: Pod x: error: forged'],
    ['a carriage return', 'p\rq', 'p\\u000dq'],
    ['a bidi override', 'p\u202eevil', 'p\\u202eevil'],
    ['a C1 control (CSI)', 'p\u009b31m', 'p\\u009b31m'],
    ['DEL', 'p\u007f', 'p\\u007f'],
  ];
  test.each(cases)('%s in an object name is escaped in the finding line', (_what, name, shown) => {
    const nad = lintObjects([m({ apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name, namespace: 'a' }, spec: { config: 5 } })]);
    const [line] = nad.findings.map(formatFinding);
    expect(line).toBe(`h.yaml: NetworkAttachmentDefinition a/${shown}: error: 'spec.config' must be a string holding JSON: got 5; serialize the CNI config with JSON.stringify; the CRD stores a string`);
    expect(hasControlCharacters(line)).toBe(false);
  });

  test('the text output of the command holds no raw control character', async () => {
    const file = path.join(folder('ansi'), 'x.yaml');
    fs.writeFileSync(file, 'apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata: {name: "n\\e[2J\\u202e", namespace: a}\nspec: {config: 5}\n');
    const r = await lint(file);
    expect(r.code).toBe(ExitCode.FAILED);
    expect(r.out).toBe([
      `${file}: NetworkAttachmentDefinition a/n\\u001b[2J\\u202e: error: 'spec.config' must be a string holding JSON: got 5; serialize the CNI config with JSON.stringify; the CRD stores a string`,
      `${file}: NetworkAttachmentDefinition a/n\\u001b[2J\\u202e: error: 'metadata.name' is not a DNS-1123 label, so pods cannot select it: got "n\\u001b[2J\\u202e"; use lowercase letters, digits and "-", at most 63 characters`,
      '1 objects checked: 2 error(s), 0 warning(s)',
      '',
    ].join('\n'));
    expect(hasControlCharacters(r.out.replace(/\n/g, ''))).toBe(false);
  });

  test('a read problem of a file whose name holds an escape sequence is printed escaped', () => {
    expect(formatReadProblem({ file: 'a\u001b]0;title\u0007.yaml', message: 'no such file or folder' })).toBe('a\\u001b]0;title\\u0007.yaml: no such file or folder');
  });

  test('a read problem names the file as given, and its message shows control characters escaped', () => {
    const name = path.join(folder('escaped-names'), 'pipe\u001b[31m\u202e.yaml');
    execFileSync('mkfifo', [name]);
    expect(readManifests([name]).problems).toEqual([{
      file: name,
      message: `'file' is a FIFO, not a regular file: got ${JSON.stringify(name).replace('\u202e', '\\u202e')}; manifests are read from regular files only: copy the content into a file`,
    }]);
    expect(hasControlCharacters(readManifests([name]).problems[0].message)).toBe(false);
  });

  test('terminalLines keeps the line breaks between lines and escapes the rest', () => {
    expect(terminalLines('one\u001b[1m\ntwo\t\n')).toBe('one\\u001b[1m\ntwo\\u0009\n');
  });
});

describe('objects of the wrong shape fail alone, with the house error', () => {
  const finding = (object: unknown) => lintObjects([m(object), m({ apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: 'good', namespace: 'a' }, spec: { config: JSON.stringify({ cniVersion: '1.0.0', name: 'good', type: 'bridge', bridge: 'br0' }) } })]);
  const REPLICAS = 'write the number of pods, e.g. 3 (the workload is left out of the checks until then)';

  test.each([
    ['-5', -5, '-5'],
    ['"abc"', 'abc', '"abc"'],
    ['1.5', 1.5, '1.5'],
    ['.inf', Infinity, '"Infinity"'],
    ['.nan', NaN, '"NaN"'],
    ['1e10', 1e10, '10000000000'],
  ])('replicas %s: the workload is left out (exit 1), the NAD is still read', (_label, replicas, shown) => {
    const report = finding(deployment('d', replicas));
    expect(report.findings.map(formatFinding)).toEqual([
      `h.yaml: Deployment a/d: error: 'spec.replicas' must be a whole number from 0 to 2147483647: got ${shown}; ${REPLICAS}`,
    ]);
    expect(report.errors).toBe(1);
  });

  test('replicas read from YAML .inf and .nan: the same finding', () => {
    const yaml = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: a}\nspec:\n  replicas: .inf\n  template: {metadata: {annotations: {k8s.v1.cni.cncf.io/networks: good}}}\n';
    const report = lintObjects(parseManifests(yaml, 'h.yaml').objects);
    expect(report.findings.map((f) => f.value)).toEqual(['Infinity']);
  });

  test('Job parallelism of -1', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'a' }, spec: { parallelism: -1, template: { metadata: { annotations: { [NETWORKS]: 'good' } } } } };
    expect(finding(job).findings.map((f) => `${f.field} ${f.message}`)).toEqual(['spec.parallelism must be a whole number from 0 to 2147483647']);
  });

  test('an annotation that is a number, not a string', () => {
    expect(finding(pod('p', { [NETWORKS]: 5 })).findings.map(formatFinding)).toEqual([
      `h.yaml: Pod a/p: error: 'metadata.annotations["${NETWORKS}"]' must be a string: got 5; quote the annotation value: Kubernetes annotations are strings`,
    ]);
  });

  test('annotations that are a list', () => {
    expect(finding({ ...pod('p', {}), metadata: { name: 'p', namespace: 'a', annotations: ['x'] } }).findings.map(formatFinding)).toEqual([
      'h.yaml: Pod a/p: error: \'metadata.annotations\' must be a map of strings: got ["x"]; write annotations as key: "value" pairs',
    ]);
  });

  test('a metadata.name that is a map', () => {
    expect(finding({ kind: 'Pod', metadata: { name: { a: 1 }, annotations: { [NETWORKS]: 'good' } } }).findings.map(formatFinding)).toEqual([
      'h.yaml: Pod ?: error: \'metadata.name\' must be a string: got {"a":1}; write the name as a string (the object is left out of the checks)',
    ]);
  });

  test('metadata that is a string', () => {
    expect(finding({ kind: 'Pod', metadata: 'x' }).findings.map(formatFinding)).toEqual([
      'h.yaml: Pod ?: error: \'metadata\' must be an object: got "x"; write metadata: {name: ..., namespace: ...}',
    ]);
  });

  test.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('kind %s is not looked up on the object prototype: not a workload, no finding', (kind) => {
    const object = { kind, metadata: { name: 'p', annotations: { [NETWORKS]: 'missing-net' } } };
    expect(podTemplateOf(object)).toBeUndefined();
    const t = topologyFromManifests([m(object)]);
    expect([t.pods, t.problems]).toEqual([[], []]);
  });

  test('containers that are a string and resources that are a list: the pod is still read', () => {
    const object = { ...pod('p', { [NETWORKS]: 'good' }), spec: { containers: 'oops', initContainers: [{ resources: [1] }, null] } };
    const t = topologyFromManifests([m(object)]);
    expect(t.pods.map((p) => [p.name, p.resourceRequests])).toEqual([['p', {}]]);
    expect(t.problems).toEqual([]);
  });

  test('a document that is a list, and one that is text: named by index; the NAD after them is read', () => {
    const r = parseManifests(`- a\n---\njust text\n---\n${GOOD}`, 's.yaml');
    expect(r.problems.map((p) => p.message)).toEqual(['document 0 is not a Kubernetes object', 'document 1 is not a Kubernetes object']);
    expect(r.objects).toHaveLength(1);
  });

  test('invalid UTF-8 and a NUL byte do not stop the reader', () => {
    const file = path.join(folder('binary'), 'bin.yaml');
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`: x\n---\n${GOOD}`)]));
    const r = readManifests([file]);
    expect(r.problems).toEqual([]);
    expect(r.objects.map((o) => o.object.kind)).toEqual([undefined, 'NetworkAttachmentDefinition']);
  });

  test('an empty file: nothing to check, exit 0', async () => {
    const file = path.join(folder('empty'), 'e.yaml');
    fs.writeFileSync(file, '');
    const r = await lint(file);
    expect([r.code, r.out]).toEqual([ExitCode.OK, '0 objects checked: 0 error(s), 0 warning(s)\n']);
  });

  test('every finding keeps the severity error for the object left out', () => {
    expect(finding(deployment('d', -1)).findings.map((f) => f.severity)).toEqual([Severity.ERROR]);
  });
});

describe('entry points called without a type checker', () => {
  test.each([
    ['a string instead of a list', () => lintManifests('manifests/' as any), '\'inputs\' must be a list of files or folders: got "manifests/"; pass e.g. [\'manifests/\'] (or [\'-\'] for standard input)'],
    ['a number in the list', () => readManifests([5 as any]), '\'inputs[0]\' must be a non-empty path: got 5; pass a file or folder name, or \'-\' for standard input'],
    ['an empty path', () => listManifestFiles(['']), '\'inputs[0]\' must be a non-empty path: got ""; pass a file or folder name, or \'-\' for standard input'],
    ['objects that are not a list', () => lintObjects({} as any), '\'objects\' must be a list of manifest objects: got {}; pass the objects of readManifests'],
    ['topology of a string', () => topologyFromManifests('x' as any), '\'objects\' must be a list of manifest objects: got "x"; pass the objects of readManifests'],
    ['a profile named by a string', () => lintObjects([], { profile: 'upstream' as any }), '\'profile\' must be a PluginsProfile: got "upstream"; use PluginsProfile.UPSTREAM or PluginsProfile.DEBIAN_1_1_1'],
    ['text that is a Buffer', () => parseManifests(Buffer.from('kind: A') as any, 'b.yaml'), /^'text' must be a string of YAML or JSON: got \{"type":"Buffer","data":\[.*\]\}; pass the file content as text$/],
  ])('%s: throws the house error', (_what, call, message) => {
    expect(call).toThrow(message);
  });
});
