import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import * as YAML from 'yaml';

/**
 * Validates synthesized objects against the Kubernetes 1.27 schemas (kubernetes-models 4.3, built
 * from the 1.27 OpenAPI definitions) and custom resources against the CRDs the project ships or
 * the App itself synthesizes.
 */

const ajv = new Ajv({ strict: false, allErrors: true });
const crdValidators = new Map<string, (obj: unknown) => boolean>();

/** Registers the schema of every version of a CustomResourceDefinition object. */
export function registerCrd(crd: any): void {
  const group = crd.spec.group;
  for (const v of crd.spec.versions ?? []) {
    const schema = v.schema?.openAPIV3Schema;
    if (!schema) continue;
    const key = `${group}/${v.name}/${crd.spec.names.kind}`;
    if (crdValidators.has(key)) continue;
    crdValidators.set(key, ajv.compile(stripK8sExtensions(schema)));
  }
}

function stripK8sExtensions(schema: any): any {
  if (Array.isArray(schema)) return schema.map(stripK8sExtensions);
  if (schema && typeof schema === 'object') {
    const out: any = {};
    for (const [k, v] of Object.entries(schema)) {
      if (k.startsWith('x-kubernetes-')) continue;
      out[k] = stripK8sExtensions(v);
    }
    if (schema['x-kubernetes-int-or-string']) {
      delete out.type;
      out.anyOf = [{ type: 'integer' }, { type: 'string' }];
    }
    return out;
  }
  return schema;
}

// the project's own CRDs
for (const file of fs.readdirSync(path.join(__dirname, '..', '..', 'crds'))) {
  if (!/\.ya?ml$/.test(file)) continue;
  for (const doc of YAML.parseAllDocuments(fs.readFileSync(path.join(__dirname, '..', '..', 'crds', file), 'utf8'))) {
    const o = doc.toJSON();
    if (o?.kind === 'CustomResourceDefinition') registerCrd(o);
  }
}

function builtinModule(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
}

/** Problems of one object, as strings; empty when valid. */
export function schemaErrors(obj: any): string[] {
  const where = `${obj?.kind}/${obj?.metadata?.name}`;
  if (!obj?.apiVersion || !obj?.kind) return [`${where}: missing apiVersion or kind`];
  if (!obj.metadata?.name) return [`${where}: missing metadata.name`];
  const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
  const crd = crdValidators.get(`${group}/${version}/${obj.kind}`);
  if (crd) {
    return crd(obj) ? [] : [`${where}: ${ajv.errorsText((crd as any).errors)}`];
  }
  let mod: any;
  try {
    mod = require(builtinModule(obj.apiVersion, obj.kind));
  } catch {
    return [`${where}: ${obj.apiVersion} ${obj.kind} is neither a Kubernetes 1.27 kind nor a registered CRD`];
  }
  const Cls = mod[obj.kind];
  try {
    new Cls(obj).validate();
    return [];
  } catch (e) {
    return [`${where}: ${(e as Error).message}`];
  }
}

/**
 * Asserts every object is valid. CRDs among the objects are registered first, so custom resources
 * of the same App are checked against them.
 */
export function expectValidObjects(objects: any[]): void {
  for (const o of objects) if (o?.kind === 'CustomResourceDefinition') registerCrd(o);
  const errors = objects.flatMap(schemaErrors);
  if (errors.length > 0) throw new Error(`schema validation failed:\n${errors.join('\n')}`);
}
