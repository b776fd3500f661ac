import { ProblemSink, throwIfErrors } from '../cni/problem';
import { assertArg, assertProps, pString, propsShape } from '../cni/props-check';

/**
 * A pinned container image reference: `[registry/]repository[:tag][@sha256:digest]`.
 *
 * Upstream CNI manifests float their images (`:latest`, `:snapshot`, `:stable`, no tag at all).
 * A node agent that changes under the operator's feet is a bad fit for NFV sites, so every
 * installer of this library takes a `ContainerImage`, whose constructor rejects a floating
 * reference unless a digest pins it.
 *
 * ```ts
 * ContainerImage.of('ghcr.io/k8snetworkplumbingwg/multus-cni:v4.3.0-thick');
 * new ContainerImage({ registry: 'ghcr.io', repository: 'k8snetworkplumbingwg/whereabouts', tag: 'v0.9.4' });
 * ContainerImage.of('busybox@sha256:0123...');   // a digest pins even an untagged reference
 * ```
 */
export interface ContainerImageProps {
  /**
   * The registry host (with an optional port), e.g. `ghcr.io` or `registry.local:5000`.
   * @default - none: Docker Hub, as the container runtime resolves it
   */
  readonly registry?: string;
  /** The repository path, e.g. `k8snetworkplumbingwg/multus-cni`. */
  readonly repository: string;
  /**
   * The tag, e.g. `v4.3.0-thick`. Floating tags (`latest`, `snapshot*`, `stable`, `master`, `main`,
   * `nightly`, `edge`, `dev`) are rejected unless a digest is given.
   * @default - none: then a digest is required
   */
  readonly tag?: string;
  /**
   * The content digest, `sha256:<64 hex>`; pins the image whatever the tag says.
   * @default - none
   */
  readonly digest?: string;
}

/** Tags that name a moving target rather than a release. */
const FLOATING_TAG_RE = /^(latest|stable|master|main|nightly|edge|dev|snapshot([-_.].*)?|.*-snapshot)$/i;
const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const REPOSITORY_RE = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$/;
const REGISTRY_RE = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]+)?$/;

/** The shape of {@link ContainerImageProps} (runtime check for callers without a type checker). */
const IMAGE_SHAPE = propsShape('ContainerImageProps', {
  registry: pString(),
  repository: { type: pString(), required: 'give the repository, e.g. "k8snetworkplumbingwg/multus-cni"' },
  tag: pString(),
  digest: pString(),
});

/** A container image reference that is pinned to a release tag or a digest. */
export class ContainerImage {
  /**
   * Parses a reference such as `ghcr.io/org/name:v1.2.3` or `name@sha256:...`. The first path
   * segment is taken as the registry when it contains a `.` or `:` or is `localhost`.
   */
  public static of(reference: string): ContainerImage {
    assertArg(pString(), reference, 'reference', 'ContainerImage.of', 'give a pinned image reference such as "ghcr.io/org/name:v1.2.3"');
    let rest = reference;
    let digest: string | undefined;
    const at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.slice(at + 1);
      rest = rest.slice(0, at);
    }
    let registry: string | undefined;
    const slash = rest.indexOf('/');
    if (slash >= 0) {
      const first = rest.slice(0, slash);
      if (first.includes('.') || first.includes(':') || first === 'localhost') {
        registry = first;
        rest = rest.slice(slash + 1);
      }
    }
    let tag: string | undefined;
    const colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      tag = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
    }
    return new ContainerImage({ registry, repository: rest, tag, digest }, reference);
  }

  public readonly registry?: string;
  public readonly repository: string;
  public readonly tag?: string;
  public readonly digest?: string;

  constructor(props: ContainerImageProps, original?: string) {
    assertProps(IMAGE_SHAPE, props, 'ContainerImage');
    this.registry = props.registry;
    this.repository = props.repository;
    this.tag = props.tag;
    this.digest = props.digest;
    const sink = new ProblemSink();
    const shown = original ?? this.toString();
    if (this.registry !== undefined && !REGISTRY_RE.test(this.registry)) {
      sink.error('image', 'has an invalid registry', shown, 'write a host name with an optional port, e.g. "ghcr.io" or "registry.local:5000"');
    }
    if (!REPOSITORY_RE.test(this.repository)) {
      sink.error('image', 'has an invalid repository', shown, 'write lowercase path segments, e.g. "k8snetworkplumbingwg/multus-cni"');
    }
    if (this.tag !== undefined && !TAG_RE.test(this.tag)) {
      sink.error('image', 'has an invalid tag', shown, 'write a tag of letters, digits, "_", "." and "-", e.g. "v4.3.0"');
    }
    if (this.digest !== undefined && !DIGEST_RE.test(this.digest)) {
      sink.error('image', 'has an invalid digest', shown, 'write "sha256:" followed by 64 lowercase hex digits');
    }
    if (this.digest === undefined) {
      if (this.tag === undefined) {
        sink.error('image', 'is not pinned (no tag and no digest)', shown, 'add a release tag such as ":v1.2.3" or a digest "@sha256:..."');
      } else if (FLOATING_TAG_RE.test(this.tag)) {
        sink.error('image', 'uses a floating tag', shown, 'use a release tag such as ":v1.2.3" or add a digest "@sha256:..."');
      }
    }
    throwIfErrors(sink.problems);
  }

  /** The same image at another tag (the digest is dropped). */
  public withTag(tag: string): ContainerImage {
    return new ContainerImage({ registry: this.registry, repository: this.repository, tag });
  }

  /** The same image from another registry (a mirror, for air-gapped sites). */
  public withRegistry(registry: string | undefined): ContainerImage {
    return new ContainerImage({ registry, repository: this.repository, tag: this.tag, digest: this.digest });
  }

  /** The reference as the container runtime reads it. */
  public toString(): string {
    const reg = this.registry ? `${this.registry}/` : '';
    const tag = this.tag !== undefined ? `:${this.tag}` : '';
    const digest = this.digest !== undefined ? `@${this.digest}` : '';
    return `${reg}${this.repository}${tag}${digest}`;
  }
}
