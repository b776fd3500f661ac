import { Severity, formatProblem } from '../../lib/cni/problem';
import { claimSpecProblems, podClaimProblems, requestNamesOf } from '../../lib/dra/resource-claim';

const lines = (ps: ReturnType<typeof claimSpecProblems>) => ps.map(formatProblem);

describe('claimSpecProblems: the resource.k8s.io/v1 shape of a claim spec', () => {
  test('a v1 request under exactly, with its config, has no problem', () => {
    expect(claimSpecProblems({
      devices: {
        requests: [{ name: 'vf', exactly: { deviceClassName: 'sriovnetwork.k8snetworkplumbingwg.io', count: 2 } }],
        config: [{ requests: ['vf'], opaque: { driver: 'sriovnetwork.k8snetworkplumbingwg.io', parameters: { kind: 'VfConfig' } } }],
      },
    })).toEqual([]);
  });

  test('the v1beta1 shape of Multus\'s how-to (deviceClassName directly on the request) is named and the fix moves it under exactly', () => {
    expect(lines(claimSpecProblems({ devices: { requests: [{ name: 'vf', deviceClassName: 'sriovnetwork.k8snetworkplumbingwg.io' }] } }))).toEqual([
      "'devices.requests[0].deviceClassName' is set directly on the request (the resource.k8s.io/v1beta1 shape; v1 refuses it): got \"sriovnetwork.k8snetworkplumbingwg.io\"; move it under 'exactly': { name: \"vf\", exactly: { deviceClassName: \"sriovnetwork.k8snetworkplumbingwg.io\" } }",
    ]);
  });

  test('every v1beta1 field on the request is reported (allocationMode, count too)', () => {
    const ps = claimSpecProblems({ devices: { requests: [{ name: 'n', deviceClassName: 'c', allocationMode: 'ExactCount', count: 1 }] } });
    expect(ps.map((p) => p.field)).toEqual(['devices.requests[0].deviceClassName', 'devices.requests[0].allocationMode', 'devices.requests[0].count']);
  });

  test('a request with neither exactly nor firstAvailable, or with both', () => {
    expect(lines(claimSpecProblems({ devices: { requests: [{ name: 'a' }] } }))).toEqual([
      "'devices.requests[0].exactly' is required (or firstAvailable): got nothing; write exactly: { deviceClassName: \"...\" }",
    ]);
    expect(lines(claimSpecProblems({ devices: { requests: [{ name: 'a', exactly: { deviceClassName: 'c' }, firstAvailable: [{ name: 'x', deviceClassName: 'c' }] }] } }))).toEqual([
      "'devices.requests[0]' sets both 'exactly' and 'firstAvailable': got [\"name\",\"exactly\",\"firstAvailable\"]; keep one of them",
    ]);
  });

  test('request names: DNS labels, unique', () => {
    expect(lines(claimSpecProblems({ devices: { requests: [{ name: 'Net_1', exactly: { deviceClassName: 'c' } }, { name: 'a', exactly: { deviceClassName: 'c' } }, { name: 'a', exactly: { deviceClassName: 'c' } }] } }))).toEqual([
      "'devices.requests[0].name' is not a DNS-1123 label: got \"Net_1\"; name the request with lowercase letters, digits and \"-\", at most 63 characters",
      "'devices.requests[2].name' is used twice in the claim: got \"a\"; give each request its own name",
    ]);
  });

  test('exactly: class name required, allocation mode and count coherent', () => {
    expect(lines(claimSpecProblems({ devices: { requests: [
      { name: 'a', exactly: {} },
      { name: 'b', exactly: { deviceClassName: 'c', allocationMode: 'All', count: 2 } },
      { name: 'c', exactly: { deviceClassName: 'c', count: 0 } },
      { name: 'd', exactly: { deviceClassName: 'c', allocationMode: 'Some' } },
    ] } }))).toEqual([
      "'devices.requests[0].exactly.deviceClassName' is required: got nothing; name the DeviceClass the devices come from",
      "'devices.requests[1].exactly.count' is set with allocationMode All: got 2; remove it, or use allocationMode ExactCount",
      "'devices.requests[2].exactly.count' is not a positive whole number: got 0; write a count of 1 or more",
      "'devices.requests[3].exactly.allocationMode' is not an allocation mode: got \"Some\"; write ExactCount or All",
    ]);
  });

  test('firstAvailable alternatives are checked like exactly, names unique', () => {
    expect(lines(claimSpecProblems({ devices: { requests: [{ name: 'a', firstAvailable: [{ name: 'x', deviceClassName: 'c' }, { name: 'x' }] }] } }))).toEqual([
      "'devices.requests[0].firstAvailable[1].name' is used twice in the request: got \"x\"; give each alternative its own name",
      "'devices.requests[0].firstAvailable[1].deviceClassName' is required: got nothing; name the DeviceClass the devices come from",
    ]);
  });

  test('config: requests must name requests of the claim (request/subrequest too); driver and parameters required', () => {
    const spec = {
      devices: {
        requests: [{ name: 'a', firstAvailable: [{ name: 'x', deviceClassName: 'c' }] }],
        config: [
          { requests: ['a/x'], opaque: { driver: 'd.example.com', parameters: {} } },
          { requests: ['b', 'a/y'], opaque: { driver: 'Bad Driver', parameters: 'text' } },
          { requests: ['a'] },
        ],
      },
    };
    expect(lines(claimSpecProblems(spec))).toEqual([
      "'devices.config[1].requests[0]' names no request of the claim: got \"b\"; use one of \"a\"",
      "'devices.config[1].requests[1]' names no request of the claim: got \"a/y\"; use one of \"a\"",
      "'devices.config[1].opaque.driver' is not a driver name (a DNS-1123 subdomain of at most 63 characters): got \"Bad Driver\"; name the DRA driver, e.g. cni.dra.networking.x-k8s.io",
      "'devices.config[1].opaque.parameters' is not an object: got \"text\"; write the driver's parameters as an object",
      "'devices.config[2].opaque' is required: got nothing; write opaque: { driver: \"<driver name>\", parameters: {...} }",
    ]);
  });

  test('opaque parameters over 10 KiB are refused as the API server does', () => {
    const ps = claimSpecProblems({ devices: { requests: [{ name: 'a', exactly: { deviceClassName: 'c' } }], config: [{ opaque: { driver: 'd', parameters: { big: 'x'.repeat(10 * 1024) } } }] } });
    expect(ps).toHaveLength(1);
    expect(ps[0].field).toBe('devices.config[0].opaque.parameters');
    expect(ps[0].message).toBe('are 10250 bytes as JSON, more than the 10240 the API server stores');
  });

  test('empty or missing requests, and not an object', () => {
    expect(lines(claimSpecProblems({ devices: { requests: [] } }))).toEqual([
      "'devices.requests' is empty: got []; add a request such as { name: \"net\", exactly: { deviceClassName: \"...\" } }",
    ]);
    expect(claimSpecProblems('x')[0].message).toBe('is not a claim spec object');
    expect(claimSpecProblems({})[0].field).toBe('devices');
    expect(claimSpecProblems({})[0].severity).toBe(Severity.ERROR);
  });

  test('requestNamesOf reads the names of well-formed requests only', () => {
    expect(requestNamesOf({ devices: { requests: [{ name: 'a' }, 'x', { name: 3 }, { name: 'b' }] } })).toEqual(['a', 'b']);
    expect(requestNamesOf(undefined)).toEqual([]);
  });
});

describe('podClaimProblems: resourceClaims and the containers\' resources.claims', () => {
  test('a container naming a claim the pod does not declare', () => {
    expect(podClaimProblems({
      resourceClaims: [{ name: 'sriov', resourceClaimTemplateName: 'vf' }],
      containers: [{ name: 'c', resources: { claims: [{ name: 'sriov' }, { name: 'gpu' }] } }],
    }).map(formatProblem)).toEqual([
      "'containers[0].resources.claims[1].name' names no claim of the pod's spec.resourceClaims: got \"gpu\"; use one of \"sriov\"",
    ]);
  });

  test('each pod claim has exactly one source; names unique; references resolve when the namespace\'s objects are known', () => {
    expect(podClaimProblems({
      resourceClaims: [
        { name: 'a', resourceClaimTemplateName: 't', resourceClaimName: 'c' },
        { name: 'a', resourceClaimTemplateName: 'missing' },
        { name: 'b', resourceClaimName: 'gone' },
        { name: 'd' },
      ],
    }, { templates: new Set(['t']), claims: new Set(['c']) }).map(formatProblem)).toEqual([
      "'resourceClaims[0]' needs exactly one of resourceClaimName and resourceClaimTemplateName: got {\"name\":\"a\",\"resourceClaimTemplateName\":\"t\",\"resourceClaimName\":\"c\"}; name a ResourceClaimTemplate (one claim per pod) or an existing ResourceClaim",
      "'resourceClaims[1].name' is used twice in the pod: got \"a\"; give each pod claim its own name",
      "'resourceClaims[1].resourceClaimTemplateName' names no ResourceClaimTemplate of the pod's namespace: got \"missing\"; create the template in the namespace, or fix the name",
      "'resourceClaims[2].resourceClaimName' names no ResourceClaim of the pod's namespace: got \"gone\"; create the claim in the namespace, or fix the name",
      "'resourceClaims[3]' needs exactly one of resourceClaimName and resourceClaimTemplateName: got {\"name\":\"d\"}; name a ResourceClaimTemplate (one claim per pod) or an existing ResourceClaim",
    ]);
  });

  test('a pod without claims and containers without claims has no problem', () => {
    expect(podClaimProblems({ containers: [{ name: 'c' }] })).toEqual([]);
    expect(podClaimProblems(undefined)).toEqual([]);
  });
});
