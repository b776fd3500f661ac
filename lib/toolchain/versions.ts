import * as fs from 'fs';
import * as path from 'path';

/** One real consumer the project builds from a pinned Go module. */
export interface ToolchainComponent {
  /** The component's name: its wrapper module's folder and its cache directory's prefix. */
  readonly name: string;
  /** The Go module the wrapper requires. */
  readonly module: string;
  /** The module version (a tag, `vX.Y.Z`, or a pseudo-version where the proxy serves no tag). */
  readonly version: string;
  /**
   * The main packages to build; each gives the binary named after its last path element. `.` is
   * the wrapper module's own main package (it needs `binary`).
   */
  readonly packages: readonly string[];
  /** Linker variables set to `version` (`-X <var>=<version>`). @default - none */
  readonly versionVariables?: readonly string[];
  /** The binary's name, for a component of one package. @default - the package's last path element */
  readonly binary?: string;
  /**
   * Files of the module (paths inside it) copied beside the binaries, for a main that reads data
   * the module holds but cannot embed from another module. @default - none
   */
  readonly moduleFiles?: readonly string[];
}

/** The contents of toolchain/versions.json. */
export interface ToolchainVersions {
  /** The oldest Go that builds every component (their go.mod `go` lines). */
  readonly goMinimum: string;
  readonly components: readonly ToolchainComponent[];
}

const TAG = /^v\d+\.\d+\.\d+(-\d{14}-[0-9a-f]{12})?$/;
const MODULE_FILE = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;
const MODULE_PATH = /^[a-z0-9.-]+\.[a-z]{2,}(\/[A-Za-z0-9._~-]+)+$/;
const COMPONENT_NAME = /^[a-z][a-z0-9-]*$/;
const GO_VERSION = /^\d+\.\d+(\.\d+)?$/;

function fail(prop: string, what: string, value: unknown, fix: string): never {
  throw new Error(`'${prop}' ${what}: got ${JSON.stringify(value)}; ${fix}`);
}

/** Checks the parsed versions.json and returns it typed; throws in the house error style. */
export function parseToolchainVersions(raw: unknown): ToolchainVersions {
  const doc = raw as { goMinimum?: unknown; components?: unknown };
  if (typeof doc?.goMinimum !== 'string' || !GO_VERSION.test(doc.goMinimum)) {
    fail('goMinimum', 'is not a Go version', doc?.goMinimum, 'write it as "1.26.8"');
  }
  if (typeof doc.components !== 'object' || doc.components === null || Array.isArray(doc.components)) {
    fail('components', 'is not an object of components by name', doc.components, 'write {"etcd": {"module": ..., "version": ..., "packages": [...]}}');
  }
  const components: ToolchainComponent[] = [];
  for (const [name, c] of Object.entries(doc.components as Record<string, any>)) {
    const at = `components.${name}`;
    if (!COMPONENT_NAME.test(name)) fail(at, 'is not a component name', name, 'use lower-case letters, digits and dashes');
    if (typeof c?.module !== 'string' || !MODULE_PATH.test(c.module)) fail(`${at}.module`, 'is not a Go module path', c?.module, 'write it as in go.mod, e.g. "go.etcd.io/etcd/server/v3"');
    if (typeof c.version !== 'string' || !TAG.test(c.version)) fail(`${at}.version`, 'is not a release tag or pseudo-version', c.version, 'pin a release, e.g. "v3.6.16"');
    if (!Array.isArray(c.packages) || c.packages.length === 0) fail(`${at}.packages`, 'is not a non-empty list', c.packages, 'list the main packages to build');
    for (const p of c.packages) {
      if (p === '.' && typeof c.binary === 'string') continue; // the wrapper's own main
      if (typeof p !== 'string' || (p !== c.module && !p.startsWith(`${c.module}/`)) || !MODULE_PATH.test(p)) {
        fail(`${at}.packages`, `holds a package outside ${c.module}`, p, 'list main packages of the component\'s module, or "." with "binary" for the wrapper\'s own main');
      }
    }
    const vars = c.versionVariables ?? [];
    if (!Array.isArray(vars) || vars.some((v: unknown) => typeof v !== 'string' || !/^[A-Za-z0-9._/-]+\.[A-Za-z_][A-Za-z0-9_]*$/.test(v))) {
      fail(`${at}.versionVariables`, 'is not a list of Go variables', vars, 'write "<package path>.<variable>"');
    }
    if (c.binary !== undefined && (typeof c.binary !== 'string' || !COMPONENT_NAME.test(c.binary) || c.packages.length !== 1)) {
      fail(`${at}.binary`, 'is not a binary name for a one-package component', c.binary, 'name the one binary in lower case, or drop "binary"');
    }
    const files = c.moduleFiles ?? [];
    if (!Array.isArray(files) || files.some((f: unknown) => typeof f !== 'string' || !MODULE_FILE.test(f) || f.split('/').some((e) => e === '..'))) {
      fail(`${at}.moduleFiles`, 'is not a list of paths inside the module', c.moduleFiles, 'write relative paths such as "cmd/x/schema.json"');
    }
    if (new Set(files.map((f: string) => path.basename(f))).size !== files.length) {
      fail(`${at}.moduleFiles`, 'names two files of the same name', c.moduleFiles, 'they are copied into one folder: keep the names distinct');
    }
    components.push({
      name, module: c.module, version: c.version, packages: [...c.packages],
      ...(vars.length ? { versionVariables: [...vars] } : {}),
      ...(c.binary !== undefined ? { binary: c.binary } : {}),
      ...(c.moduleFiles !== undefined ? { moduleFiles: [...c.moduleFiles] } : {}),
    });
  }
  return { goMinimum: doc.goMinimum, components };
}

/** Reads `<toolchainDir>/versions.json`. */
export function loadToolchainVersions(toolchainDir: string): ToolchainVersions {
  const file = path.join(toolchainDir, 'versions.json');
  return parseToolchainVersions(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** The binary a main package builds into (its last path element, like `go build -o dir/`). */
export function binaryNameOf(pkg: string): string {
  const parts = pkg.split('/');
  const last = parts[parts.length - 1];
  // a major-version suffix (…/server/v3) names the element before it
  return /^v\d+$/.test(last) && parts.length > 1 ? parts[parts.length - 2] : last;
}

/** The binaries a component provides, in package order. */
export function binariesOf(c: ToolchainComponent): string[] {
  return c.binary !== undefined ? [c.binary] : c.packages.map(binaryNameOf);
}
