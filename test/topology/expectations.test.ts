import {
  EXPECTATION_ANNOTATIONS, EXPECT_ISOLATED_ANNOTATION, EXPECT_REACH_ANNOTATION, FUNCTION_LABEL,
  Reachability, parseExpectations, renderExpectations,
} from '../../lib/topology/expectations';

describe('expectation annotations', () => {
  test('names and enum values', () => {
    expect(EXPECT_REACH_ANNOTATION).toBe('nfv.cdk8s.io/expect-reach');
    expect(EXPECT_ISOLATED_ANNOTATION).toBe('nfv.cdk8s.io/expect-isolated');
    expect(Reachability.REACH).toBe('reach');
    expect(Reachability.ISOLATED).toBe('isolated');
    expect(EXPECTATION_ANNOTATIONS).toEqual({ reach: EXPECT_REACH_ANNOTATION, isolated: EXPECT_ISOLATED_ANNOTATION });
    expect(FUNCTION_LABEL).toBe('nfv.cdk8s.io/function');
  });

  test('render: keys in a fixed order, network omitted when unset, duplicates dropped', () => {
    const text = renderExpectations([
      { network: 'n3', namespace: 'core', function: 'upf' } as any,
      { function: 'upf', namespace: 'core', network: 'n3' },
      { namespace: 'edge', function: 'probe' } as any,
    ]);
    expect(text).toBe('[{"function":"upf","namespace":"core","network":"n3"},{"function":"probe","namespace":"edge"}]');
  });

  test('render of nothing is an empty array', () => {
    expect(renderExpectations([])).toBe('[]');
  });

  test('parse reads what render writes', () => {
    const targets = [{ function: 'upf', namespace: 'core', network: 'n3' }, { function: 'smf', namespace: 'core' }];
    const r = parseExpectations(renderExpectations(targets), Reachability.ISOLATED);
    expect(r.errors).toEqual([]);
    expect(r.targets).toEqual(targets);
  });

  test('fails on text that is not JSON, with a clear message naming the annotation', () => {
    const r = parseExpectations('[{function: upf', Reachability.REACH);
    expect(r.targets).toEqual([]);
    expect(r.errors).toEqual([expect.stringMatching(/^'nfv\.cdk8s\.io\/expect-reach' is not JSON: got "\[\{function: upf"; write a JSON array of \{"function", "namespace", "network"\} objects$/)]);
  });

  test('fails on JSON that is not an array; the field name is the one given', () => {
    const r = parseExpectations('{"function":"upf"}', Reachability.ISOLATED, 'metadata.annotations.x');
    expect(r.errors).toEqual([expect.stringMatching(/^'metadata\.annotations\.x' must be a JSON array: got \{"function":"upf"\}; write \[/)]);
  });

  test('fails on an element that is not an object', () => {
    const r = parseExpectations('["upf"]', Reachability.ISOLATED);
    expect(r.errors).toEqual([expect.stringMatching(/^'nfv\.cdk8s\.io\/expect-isolated\[0\]' must be an object: got "upf"; /)]);
    expect(r.targets).toEqual([]);
  });

  test('fails on unknown keys and names that are not DNS-1123 labels; the bad element is dropped, good ones kept', () => {
    const r = parseExpectations(JSON.stringify([
      { function: 'ok', namespace: 'core', network: 'n3' },
      { function: 'Bad_Name', namespace: 'core', network: 'n3', port: 80 },
    ]), Reachability.REACH, 'x');
    expect(r.targets).toEqual([{ function: 'ok', namespace: 'core', network: 'n3' }]);
    expect(r.errors).toEqual([
      expect.stringMatching(/^'x\[1\]' has unknown keys: got \["port"\]; use only function, namespace and network$/),
      expect.stringMatching(/^'x\[1\]\.function' must be a DNS-1123 label: got "Bad_Name"; name the target's function$/),
    ]);
  });

  test('fails on a missing namespace and a network that is not a NAD name', () => {
    const r = parseExpectations(JSON.stringify([{ function: 'a', network: 7 }]), Reachability.ISOLATED, 'x');
    expect(r.errors).toEqual([
      expect.stringMatching(/^'x\[0\]\.namespace' must be a DNS-1123 label: got undefined; /),
      expect.stringMatching(/^'x\[0\]\.network' must be a NAD name: got 7; name the network$/),
    ]);
    expect(r.targets).toEqual([]);
  });

  test('fails on a reach expectation without a network; isolated ones may leave it out', () => {
    const text = JSON.stringify([{ function: 'a', namespace: 'b' }]);
    expect(parseExpectations(text, Reachability.REACH).errors)
      .toEqual([expect.stringMatching(/^'nfv\.cdk8s\.io\/expect-reach\[0\]\.network' is required for a reach expectation: got undefined; /)]);
    expect(parseExpectations(text, Reachability.ISOLATED)).toEqual({ targets: [{ function: 'a', namespace: 'b' }], errors: [] });
  });
});
