import * as https from 'https';

/**
 * A small typed client of the Kubernetes API over node's https: discovery (kind → resource),
 * server-side apply, get, and waiting for a CRD to be Established. Enough for the private control
 * plane; not a general client.
 */

/** Where an API server is and how to authenticate to it. */
export interface ApiEndpoint {
  /** `https://127.0.0.1:<port>`. */
  readonly url: string;
  /** A bearer token. */
  readonly token: string;
  /** The PEM certificate(s) to trust for the server. */
  readonly ca: string;
}

/** A Kubernetes object as plain data. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [k: string]: unknown };
  readonly [k: string]: unknown;
}

/** An answer of the API server. */
export interface ApiResponse {
  readonly status: number;
  readonly text: string;
  /** The parsed JSON body, when it was JSON. */
  readonly body?: any;
}

/** Where a kind is served. */
export interface ResourceInfo {
  /** The plural resource name (`deployments`). */
  readonly plural: string;
  readonly namespaced: boolean;
}

/** The API server refused a request. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly reason: string, message: string) {
    super(message);
  }
}

/** The field manager of every apply. */
export const FIELD_MANAGER = 'cdk8s-nfv';

const SEGMENT = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export class KubeClient {
  private readonly agent: https.Agent;
  private readonly discovery = new Map<string, Map<string, ResourceInfo>>();

  constructor(private readonly endpoint: ApiEndpoint) {
    this.agent = new https.Agent({ ca: endpoint.ca, keepAlive: false });
  }

  /** One request; `body` is sent as JSON text unless it is a string. */
  request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<ApiResponse> {
    const url = new URL(path, this.endpoint.url);
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(url, {
        method,
        agent: this.agent,
        headers: {
          'authorization': `Bearer ${this.endpoint.token}`,
          'accept': 'application/json',
          ...(payload !== undefined ? { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) } : {}),
        },
        timeout: 30_000,
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, text, body: parsed });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 30 s`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** Where `kind` of `apiVersion` is served; asks the server again once when not known. */
  async resourceOf(apiVersion: string, kind: string): Promise<ResourceInfo> {
    for (let attempt = 0; attempt < 2; attempt++) {
      let kinds = this.discovery.get(apiVersion);
      if (!kinds || attempt === 1) {
        kinds = await this.discover(apiVersion);
        this.discovery.set(apiVersion, kinds);
      }
      const info = kinds.get(kind);
      if (info) return info;
    }
    throw new ApiError(404, 'NotFound', `'kind' is not served by the API server: got ${JSON.stringify(`${apiVersion} ${kind}`)}; install its CRD first`);
  }

  private async discover(apiVersion: string): Promise<Map<string, ResourceInfo>> {
    checkApiVersion(apiVersion);
    const r = await this.request('GET', apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`);
    const out = new Map<string, ResourceInfo>();
    if (r.status === 404) return out;
    if (r.status !== 200) throw new ApiError(r.status, r.body?.reason ?? 'Unknown', `discovery of ${apiVersion} failed (${r.status}): ${r.text.slice(0, 300)}`);
    for (const res of r.body.resources ?? []) {
      if (String(res.name).includes('/')) continue; // subresources
      out.set(res.kind, { plural: res.name, namespaced: res.namespaced === true });
    }
    return out;
  }

  /** The REST path of one object (its namespace defaults to `default` when namespaced). */
  async pathOf(obj: KubeObject): Promise<string> {
    const info = await this.resourceOf(obj.apiVersion, obj.kind);
    const name = obj.metadata?.name;
    checkSegment('metadata.name', name);
    const base = obj.apiVersion.includes('/') ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
    if (!info.namespaced) return `${base}/${info.plural}/${name}`;
    const ns = obj.metadata.namespace ?? 'default';
    checkSegment('metadata.namespace', ns);
    return `${base}/namespaces/${ns}/${info.plural}/${name}`;
  }

  /** Server-side apply (field manager `cdk8s-nfv`, forced); returns what the server stored. */
  async apply(obj: KubeObject): Promise<KubeObject> {
    const p = await this.pathOf(obj);
    const r = await this.request('PATCH', `${p}?fieldManager=${FIELD_MANAGER}&force=true`, obj, 'application/apply-patch+yaml');
    if (r.status !== 200 && r.status !== 201) throw errorOf(r, `apply ${describe(obj)}`);
    return r.body as KubeObject;
  }

  /** The object as the server holds it, or undefined when there is none. */
  async get(obj: KubeObject): Promise<KubeObject | undefined> {
    const r = await this.request('GET', await this.pathOf(obj));
    if (r.status === 404) return undefined;
    if (r.status !== 200) throw errorOf(r, `get ${describe(obj)}`);
    return r.body as KubeObject;
  }

  /** Waits until a CustomResourceDefinition is Established (and its kind is served). */
  async waitEstablished(crdName: string, timeoutMs = 60_000): Promise<void> {
    checkSegment('metadata.name', crdName);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await this.request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crdName}`);
      const conditions: any[] = r.body?.status?.conditions ?? [];
      if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) return;
      if (Date.now() > deadline) {
        throw new Error(`CRD ${crdName} was not Established within ${timeoutMs / 1000} s: ${JSON.stringify(conditions)}`);
      }
      await new Promise((res) => setTimeout(res, 200));
    }
  }
}

/** `Kind namespace/name`. */
export function describe(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  return `${obj.kind} ${ns ? `${ns}/` : ''}${obj.metadata?.name}`;
}

function errorOf(r: ApiResponse, what: string): ApiError {
  const message = r.body?.message ?? r.text.slice(0, 500);
  return new ApiError(r.status, r.body?.reason ?? 'Unknown', `${what}: the API server answered ${r.status} ${r.body?.reason ?? ''}: ${message}`);
}

function checkSegment(prop: string, value: unknown): void {
  if (typeof value !== 'string' || !SEGMENT.test(value) || value.length > 253) {
    throw new Error(`'${prop}' is not a DNS subdomain name: got ${JSON.stringify(value)}; use lower-case letters, digits, '-' and '.'`);
  }
}

function checkApiVersion(apiVersion: string): void {
  if (!/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?v[0-9]+((alpha|beta)[0-9]+)?$/.test(apiVersion)) {
    throw new Error(`'apiVersion' is not a group/version: got ${JSON.stringify(apiVersion)}; write it as "apps/v1" or "v1"`);
  }
}
