import { ContainerImage } from '../../lib/installers/container-image';

describe('ContainerImage', () => {
  test('parses registry, repository, tag and digest', () => {
    const i = ContainerImage.of('ghcr.io/k8snetworkplumbingwg/multus-cni:v4.3.0-thick');
    expect([i.registry, i.repository, i.tag, i.digest]).toEqual(['ghcr.io', 'k8snetworkplumbingwg/multus-cni', 'v4.3.0-thick', undefined]);
    expect(i.toString()).toBe('ghcr.io/k8snetworkplumbingwg/multus-cni:v4.3.0-thick');
    const d = `sha256:${'a'.repeat(64)}`;
    const j = ContainerImage.of(`localhost:5000/busybox@${d}`);
    expect([j.registry, j.repository, j.tag, j.digest]).toEqual(['localhost:5000', 'busybox', undefined, d]);
    expect(ContainerImage.of('busybox:1.36.1').registry).toBeUndefined();
  });

  test.each(['busybox', 'busybox:latest', 'ghcr.io/x/multus-cni:snapshot-thick', 'ghcr.io/x/y:snapshot', 'x/y:stable', 'x/y:master'])(
    'fails on the floating reference %s', (ref) => {
      expect(() => ContainerImage.of(ref)).toThrow(/^'image' (is not pinned \(no tag and no digest\)|uses a floating tag): got ".*"; .*(release tag|digest)/);
    });

  test('a digest pins even a floating or missing tag', () => {
    const d = `sha256:${'0'.repeat(64)}`;
    expect(ContainerImage.of(`busybox:latest@${d}`).toString()).toBe(`busybox:latest@${d}`);
    expect(ContainerImage.of(`busybox@${d}`).toString()).toBe(`busybox@${d}`);
  });

  test('fails on a malformed digest or repository', () => {
    expect(() => ContainerImage.of('busybox@sha256:abc')).toThrow(/'image' has an invalid digest: got "busybox@sha256:abc"/);
    expect(() => ContainerImage.of('Busybox:1.0')).toThrow(/'image' has an invalid repository/);
  });

  test('withRegistry mirrors an image, withTag re-pins it', () => {
    const i = ContainerImage.of('ghcr.io/a/b:v1.0.0');
    expect(i.withRegistry('registry.local:5000').toString()).toBe('registry.local:5000/a/b:v1.0.0');
    expect(i.withTag('v2.0.0').toString()).toBe('ghcr.io/a/b:v2.0.0');
    expect(() => i.withTag('latest')).toThrow(/floating tag/);
  });
});
