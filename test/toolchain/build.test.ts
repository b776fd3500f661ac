import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildArgs, buildToolchain, goAtLeast, inputsHash, locate, readStamp, staleReason } from '../../lib/toolchain/build';
import { ToolchainVersions, parseToolchainVersions } from '../../lib/toolchain/versions';

/**
 * The build logic against a fake `go` (a shell script that logs its calls and writes the files
 * `go build -o` would): the real Go builds take minutes and are exercised by test/real/.
 */

const FAKE_GO = `#!/bin/bash
if [ "$1" = env ]; then echo "\${FAKE_GO_VERSION:-go1.99.0}"; exit 0; fi
if [ "$1" = list ]; then echo "$PWD|$*" >> "$FAKE_GO_LOG"; [ -n "$FAKE_GO_MODDIR" ] || exit 1; echo "$FAKE_GO_MODDIR"; exit 0; fi
[ "$1" = build ] || exit 9
echo "$PWD|CGO_ENABLED=$CGO_ENABLED|GOTOOLCHAIN=$GOTOOLCHAIN|$*" >> "$FAKE_GO_LOG"
if [ -n "$FAKE_GO_FAIL" ]; then echo "compile: boom" >&2; exit 2; fi
shift
while [ $# -gt 0 ] && [ "$1" != -o ]; do shift; done
out="$2"; shift 2
if [ -n "$FAKE_GO_SLEEP" ]; then sleep "$FAKE_GO_SLEEP"; fi
for pkg in "$@"; do
  echo "$pkg" >&2
  if [ "\${out%/}" != "$out" ]; then echo bin > "$out$(basename "$pkg")"; else echo bin > "$out"; fi
done
`;

const VERSIONS: ToolchainVersions = parseToolchainVersions({
  goMinimum: '1.26.8',
  components: {
    one: { module: 'example.com/one', version: 'v1.2.3', packages: ['example.com/one/cmd/one'], versionVariables: ['example.com/one/version.v'] },
    many: { module: 'example.com/many/v2', version: 'v2.0.0', packages: ['example.com/many/v2/a', 'example.com/many/v2/b'] },
  },
});

let root: string;
let toolchainDir: string;
let cacheDir: string;
let goLog: string;
let fakeGo: string;

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, FAKE_GO_LOG: goLog, ...extra };
}

function calls(): string[] {
  return fs.existsSync(goLog) ? fs.readFileSync(goLog, 'utf8').trim().split('\n').filter(Boolean) : [];
}

function build(extra: Record<string, string> = {}, more: Partial<Parameters<typeof buildToolchain>[0]> = {}) {
  const lines: string[] = [];
  const run = buildToolchain({ toolchainDir, cacheDir, versions: VERSIONS, env: env(extra), go: fakeGo, log: (l) => lines.push(l), ...more });
  return { run, lines };
}

function leftovers(): string[] {
  return fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).filter((f) => f.includes('.tmp-') || f.includes('.old-') || f.endsWith('.lock')) : [];
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-nfv-toolchain-test-'));
  toolchainDir = path.join(root, 'toolchain');
  cacheDir = path.join(root, 'cache');
  goLog = path.join(root, 'go.log');
  fakeGo = path.join(root, 'go');
  fs.writeFileSync(fakeGo, FAKE_GO, { mode: 0o755 });
  for (const c of VERSIONS.components) {
    fs.mkdirSync(path.join(toolchainDir, c.name), { recursive: true });
    fs.writeFileSync(path.join(toolchainDir, c.name, 'go.mod'), `module wrapper/${c.name}\n\nrequire ${c.module} ${c.version}\n`);
    fs.writeFileSync(path.join(toolchainDir, c.name, 'go.sum'), `${c.module} ${c.version} h1:abc=\n`);
  }
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('buildToolchain', () => {
  test('a wrapper\'s own main (".") builds in the wrapper module, and moduleFiles are copied from the module beside the binary', async () => {
    const own = parseToolchainVersions({
      goMinimum: '1.26.8',
      components: {
        own: { module: 'example.com/prov/v4', version: 'v4.0.0-20260115033456-f47bc2d6f199', packages: ['.'], binary: 'own-provider', moduleFiles: ['cmd/prov/schema.json', 'mapping.json'] },
      },
    });
    const moduleDir = path.join(root, 'modcache', 'prov');
    fs.mkdirSync(path.join(moduleDir, 'cmd', 'prov'), { recursive: true });
    fs.writeFileSync(path.join(moduleDir, 'cmd', 'prov', 'schema.json'), '{"name":"prov"}');
    fs.writeFileSync(path.join(moduleDir, 'mapping.json'), '{}');
    fs.mkdirSync(path.join(toolchainDir, 'own'));
    fs.writeFileSync(path.join(toolchainDir, 'own', 'go.mod'), 'module wrapper/own\n');
    fs.writeFileSync(path.join(toolchainDir, 'own', 'go.sum'), '');
    const results = await build({ FAKE_GO_MODDIR: moduleDir }, { versions: own }).run;
    const bin = path.join(cacheDir, 'own-v4.0.0-20260115033456-f47bc2d6f199', 'bin');
    expect(results.map((r) => [r.built, r.binDir])).toEqual([[true, bin]]);
    expect(fs.readdirSync(bin).sort()).toEqual(['mapping.json', 'own-provider', 'schema.json']);
    expect(fs.readFileSync(path.join(bin, 'schema.json'), 'utf8')).toBe('{"name":"prov"}');
    const [b, l] = calls();
    expect(b.split('|')[0]).toBe(path.join(toolchainDir, 'own'));
    expect(b).toMatch(/\|build -mod=readonly -trimpath -v -ldflags=-s -w -o \S+\.tmp-\w+\/bin\/own-provider \.$/);
    expect(l).toBe(`${path.join(toolchainDir, 'own')}|list -mod=readonly -m -f {{.Dir}} example.com/prov/v4`);
    // a module file that is not there fails the build and leaves the cache as it was
    fs.rmSync(path.join(moduleDir, 'mapping.json'));
    fs.appendFileSync(path.join(toolchainDir, 'own', 'go.sum'), 'x y h1:z=\n');
    await expect(build({ FAKE_GO_MODDIR: moduleDir }, { versions: own }).run).rejects.toThrow(`own v4.0.0-20260115033456-f47bc2d6f199: the module holds no file mapping.json (looked in ${moduleDir})`);
    expect(fs.readdirSync(bin).sort()).toEqual(['mapping.json', 'own-provider', 'schema.json']);
    expect(readStamp(path.dirname(bin))?.binaries).toEqual(['own-provider']);
    expect(leftovers()).toEqual([]);
  });

  test('builds each missing component into <cache>/<name>-<version>/bin with a stamp, from its wrapper module, without cgo or toolchain downloads', async () => {
    const { run, lines } = build();
    const results = await run;
    expect(results.map((r) => [r.component.name, r.built, r.dir])).toEqual([
      ['one', true, path.join(cacheDir, 'one-v1.2.3')],
      ['many', true, path.join(cacheDir, 'many-v2.0.0')],
    ]);
    expect(fs.readdirSync(path.join(cacheDir, 'one-v1.2.3', 'bin'))).toEqual(['one']);
    expect(fs.readdirSync(path.join(cacheDir, 'many-v2.0.0', 'bin')).sort()).toEqual(['a', 'b']);
    const stamp = readStamp(path.join(cacheDir, 'one-v1.2.3'))!;
    expect(stamp.goVersion).toBe('go1.99.0');
    expect(stamp.binaries).toEqual(['one']);
    expect(stamp.inputs).toBe(inputsHash(toolchainDir, VERSIONS.components[0]));
    const [first, second] = calls();
    expect(first.split('|').slice(0, 3)).toEqual([path.join(toolchainDir, 'one'), 'CGO_ENABLED=0', 'GOTOOLCHAIN=local']);
    expect(first).toContain('build -mod=readonly -trimpath -v -ldflags=-s -w -X example.com/one/version.v=v1.2.3 -o ');
    expect(second.split('|')[0]).toBe(path.join(toolchainDir, 'many'));
    expect(lines).toContain('one v1.2.3: building 1 package(s) of example.com/one with go1.99.0');
    expect(leftovers()).toEqual([]);
  });

  test('a second run builds nothing and says "up to date"', async () => {
    await build().run;
    const before = calls().length;
    const { run, lines } = build();
    const results = await run;
    expect(results.map((r) => r.built)).toEqual([false, false]);
    expect(calls().length).toBe(before);
    expect(lines).toEqual([
      `one v1.2.3: up to date (${path.join(cacheDir, 'one-v1.2.3')})`,
      `many v2.0.0: up to date (${path.join(cacheDir, 'many-v2.0.0')})`,
    ]);
  });

  test('a changed go.sum or another Go version rebuilds that component only', async () => {
    await build().run;
    fs.appendFileSync(path.join(toolchainDir, 'many', 'go.sum'), 'example.com/dep v0.1.0 h1:def=\n');
    expect(staleReason(toolchainDir, locate(cacheDir, VERSIONS.components[1]), 'go1.99.0')).toBe('many: its go.mod, go.sum or versions.json entry changed since it was built');
    let results = await build().run;
    expect(results.map((r) => r.built)).toEqual([false, true]);
    results = await build({ FAKE_GO_VERSION: 'go1.99.1' }).run;
    expect(results.map((r) => r.built)).toEqual([true, true]);
    expect(calls().length).toBe(5);
  });

  test('without Go, a built cache is usable whatever Go built it', async () => {
    await build().run;
    expect(staleReason(toolchainDir, locate(cacheDir, VERSIONS.components[0]), undefined)).toBeUndefined();
    expect(staleReason(toolchainDir, locate(cacheDir, VERSIONS.components[0]), 'go1.98.0')).toBe('one was built by go1.99.0, not go1.98.0');
  });

  test('a failed build throws with the compiler output and keeps the previous cache whole', async () => {
    await build().run;
    fs.appendFileSync(path.join(toolchainDir, 'one', 'go.sum'), 'x y h1:z=\n');
    await expect(build({ FAKE_GO_FAIL: '1' }).run).rejects.toThrow(/^one v1\.2\.3: go build .* failed \(2\):\n[^]*compile: boom/);
    expect(fs.readdirSync(path.join(cacheDir, 'one-v1.2.3', 'bin'))).toEqual(['one']);
    expect(readStamp(path.join(cacheDir, 'one-v1.2.3'))).toBeDefined();
    expect(leftovers()).toEqual([]);
  });

  test('an aborted build stops go and leaves no directory behind', async () => {
    const controller = new AbortController();
    const { run } = build({ FAKE_GO_SLEEP: '20' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 500);
    const started = Date.now();
    await expect(run).rejects.toThrow('one v1.2.3: build aborted');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(fs.readdirSync(cacheDir)).toEqual([]);
  });

  test('two concurrent runs build once: the second waits for the first and finds it up to date', async () => {
    const a = build({ FAKE_GO_SLEEP: '1' }, { only: ['one'] });
    const b = build({}, { only: ['one'] });
    const [ra, rb] = await Promise.all([a.run, b.run]);
    expect([ra[0].built, rb[0].built].sort()).toEqual([false, true]);
    expect(calls().length).toBe(1);
    expect([...a.lines, ...b.lines]).toContain('one v1.2.3: waiting for another build of it to finish');
    expect(leftovers()).toEqual([]);
  });

  test('a lock and directories left by a killed build are taken over and removed', async () => {
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.mkdirSync(path.join(cacheDir, 'one-v1.2.3.lock'));
    fs.writeFileSync(path.join(cacheDir, 'one-v1.2.3.lock', 'pid'), '999999999');
    fs.mkdirSync(path.join(cacheDir, 'one-v1.2.3.tmp-AbCdEf', 'bin'), { recursive: true });
    fs.mkdirSync(path.join(cacheDir, 'one-v1.2.3.old-1-2'));
    fs.mkdirSync(path.join(cacheDir, 'many-v2.0.0.tmp-XyZ'));
    const results = await build({}, { only: ['one'] }).run;
    expect(results[0].built).toBe(true);
    // another component's leftovers are that component's business
    expect(fs.readdirSync(cacheDir).sort()).toEqual(['many-v2.0.0.tmp-XyZ', 'one-v1.2.3']);
  });

  test('refuses a missing or old Go, and an unknown component, in the house error style', async () => {
    await expect(build({}, { go: path.join(root, 'no-such-go') }).run).rejects.toThrow(
      `'go' is not a usable Go command: got ${JSON.stringify(path.join(root, 'no-such-go'))}; install Go 1.26.8 or newer`);
    await expect(build({ FAKE_GO_VERSION: 'go1.25.3' }).run).rejects.toThrow('\'go\' is too old: got "go1.25.3"; install Go 1.26.8 or newer');
    await expect(build({}, { only: ['nope'] }).run).rejects.toThrow('\'only\' names an unknown component: got "nope"; use one of one, many');
    expect(calls()).toEqual([]);
  });
});

describe('buildArgs and goAtLeast', () => {
  test('one package builds to a named file, several into a directory', () => {
    expect(buildArgs(VERSIONS.components[0], '/b')).toEqual(['build', '-mod=readonly', '-trimpath', '-v', '-ldflags=-s -w -X example.com/one/version.v=v1.2.3', '-o', '/b/one', 'example.com/one/cmd/one']);
    expect(buildArgs(VERSIONS.components[1], '/b').slice(-4)).toEqual(['-o', '/b/', 'example.com/many/v2/a', 'example.com/many/v2/b']);
  });

  test('compares Go versions numerically', () => {
    expect(goAtLeast('go1.26.8', '1.26.8')).toBe(true);
    expect(goAtLeast('go1.26.10', '1.26.8')).toBe(true);
    expect(goAtLeast('go1.27rc1', '1.26.8')).toBe(true);
    expect(goAtLeast('go1.26.7', '1.26.8')).toBe(false);
    expect(goAtLeast('go1.9.0', '1.26.8')).toBe(false);
  });
});
