import { transformAuditEvent, type JsonObject } from '../../../src/audit/transform';
import { generateBaseline, generateScenarios } from '../../../src/lab/generator';
import { SCENARIOS, SEED_RULES, type SeedRuleId } from '../../../src/lab/scenarios';

/** The three seed rules' queries, field by field, on the documents the integration indexes (keyword semantics). */
function get(doc: JsonObject, path: string): unknown {
  let value: unknown = doc;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as JsonObject)[key];
  }
  return value;
}
const audit = (doc: JsonObject, field: string): unknown =>
  get(get(doc, 'kubernetes.audit') as JsonObject, field);
const decision = (doc: JsonObject): unknown =>
  (audit(doc, 'annotations') as JsonObject | undefined)?.['authorization_k8s_io/decision'];
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const EXCLUDED_AGENT = (ua: string): boolean =>
  ua.endsWith('kubernetes/$Format') ||
  ua === 'karpenter' ||
  ['csi-secrets-store', 'OpenAPI-Generator', 'Prometheus', 'dashboard', 'cilium-agent'].some((p) =>
    ua.startsWith(p),
  );

const QUERY: Record<SeedRuleId, (doc: JsonObject) => boolean> = {
  [SEED_RULES.anonymousAuthorized]: (doc) => {
    const user = audit(doc, 'user.username');
    return (
      get(doc, 'event.dataset') === 'kubernetes.audit_logs' &&
      decision(doc) === 'allow' &&
      (user === 'system:anonymous' || user === 'system:unauthenticated' || user === undefined) &&
      !['/healthz', '/livez', '/readyz'].some((p) => str(audit(doc, 'requestURI')).startsWith(p))
    );
  },
  [SEED_RULES.controllerServiceAccount]: (doc) =>
    get(doc, 'event.dataset') === 'kubernetes.audit_logs' &&
    decision(doc) === 'allow' &&
    audit(doc, 'verb') === 'create' &&
    audit(doc, 'objectRef.resource') === 'pods' &&
    audit(doc, 'objectRef.namespace') === 'kube-system' &&
    str(audit(doc, 'requestObject.spec.serviceAccountName')).endsWith('controller'),
  [SEED_RULES.deniedServiceAccount]: (doc) =>
    get(doc, 'event.dataset') === 'kubernetes.audit_logs' &&
    str(audit(doc, 'user.username')).startsWith('system:serviceaccount:') &&
    decision(doc) === 'forbid' &&
    typeof audit(doc, 'userAgent') === 'string' &&
    !EXCLUDED_AGENT(str(audit(doc, 'userAgent'))),
};

function doc(event: JsonObject): JsonObject {
  const r = transformAuditEvent(event, { ingested: new Date(), readTime: new Date() });
  if (!r.ok) throw new Error(r.reason);
  return r.doc;
}

const TO = Date.parse('2026-11-23T00:00:00Z');
const WEEK = 7 * 24 * 3_600_000;
// a week at a low rate keeps the test fast; the periodic requests come whatever the rate
const baseline = [...generateBaseline({ fromMs: TO - WEEK, toMs: TO, ratePerSecond: 0.05, seed: 7 })].map(
  doc,
);
const scenarioDocs = generateScenarios(TO + 60_000, 7).map(({ scenario, event }) => ({
  scenario,
  doc: doc(event),
}));

/** user agents of the 7-day history that the new_terms rule's query keeps: seen, hence not new */
/** the same without the agent exclusions: what the history holds where an exclusion does not apply (text mapping) */
const deniedSa = (d: JsonObject): boolean =>
  decision(d) === 'forbid' && str(audit(d, 'user.username')).startsWith('system:serviceaccount:');
const seenDeniedAgents = new Set(baseline.filter(deniedSa).map((d) => str(audit(d, 'userAgent'))));
const seenAgents = new Set(
  baseline.filter(QUERY[SEED_RULES.deniedServiceAccount]).map((d) => str(audit(d, 'userAgent'))),
);

describe('the lab traffic generator', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const opts = { fromMs: TO - 3_600_000, toMs: TO, ratePerSecond: 2, seed: 42 };
    const a = JSON.stringify([...generateBaseline(opts)]);
    expect(JSON.stringify([...generateBaseline(opts)])).toBe(a);
    expect(JSON.stringify([...generateBaseline({ ...opts, seed: 43 })])).not.toBe(a);
    expect(JSON.stringify(generateScenarios(TO, 1))).toBe(JSON.stringify(generateScenarios(TO, 1)));
  });

  it('sends the requested rate over the span, in time order, within the span', () => {
    const events = [...generateBaseline({ fromMs: TO - 6 * 3_600_000, toMs: TO, ratePerSecond: 1, seed: 3 })];
    expect(events.length).toBeGreaterThan(6 * 3600 * 0.95);
    expect(events.length).toBeLessThan(6 * 3600 * 1.05 + 50);
    const times = events.map((e) => Date.parse(String(e['requestReceivedTimestamp'])));
    expect(
      times.every((t, i) => t >= TO - 6 * 3_600_000 && t < TO && (i === 0 || t >= (times[i - 1] ?? 0))),
    ).toBe(true);
  });

  it('has the usual cast: kubelets, controllers with their own accounts, add-ons, health checks, people, CI', () => {
    const agents = new Set(baseline.map((d) => str(audit(d, 'userAgent'))));
    expect(agents).toContain(
      'kube-controller-manager/v1.30.2 (linux/amd64) kubernetes/39683505b6/system:serviceaccount:kube-system:replicaset-controller',
    );
    expect([...agents].some((a) => a.startsWith('kubelet/v1.30.2 (linux/amd64) kubernetes/'))).toBe(true);
    for (const prefix of [
      'coredns/',
      'metrics-server/',
      'cilium-agent/',
      'karpenter',
      'csi-secrets-store/',
      'Prometheus/',
      'kube-state-metrics/',
      'kubectl/',
      'Helm/',
    ])
      expect([...agents].some((a) => a.startsWith(prefix))).toBe(true);
    const health = baseline.filter((d) => audit(d, 'user.username') === 'system:anonymous');
    expect(health.length).toBeGreaterThan(0);
    expect(health.every((d) => /^\/(healthz|livez|readyz)/.test(str(audit(d, 'requestURI'))))).toBe(true);
  });

  it('the baseline fires no query rule, and the new_terms rule only sees agents that recur all week', () => {
    expect(baseline.filter(QUERY[SEED_RULES.anonymousAuthorized])).toEqual([]);
    expect(baseline.filter(QUERY[SEED_RULES.controllerServiceAccount])).toEqual([]);
    // every agent the new_terms query keeps is seen at least once in each of the 7 days
    for (const agent of seenAgents) {
      const days = new Set(
        baseline
          .filter((d) => QUERY[SEED_RULES.deniedServiceAccount](d) && audit(d, 'userAgent') === agent)
          .map((d) => Math.floor((Date.parse(str(d['@timestamp'])) - (TO - WEEK)) / 86_400_000)),
      );
      expect([agent, days.size]).toEqual([agent, 7]);
    }
  });

  it.each(SCENARIOS.map((s) => [s.id, s] as const))(
    'scenario %s matches its rule at the field level as intended',
    (_id, scenario) => {
      const docs = scenarioDocs.filter((d) => d.scenario.id === scenario.id).map((d) => d.doc);
      expect(docs.length).toBe(scenario.calls.length);
      for (const [ruleId, query] of Object.entries(QUERY)) {
        const matching = docs.filter(query);
        if (ruleId !== scenario.ruleId) {
          // no scenario may fire another rule: either the query misses, or (new_terms) the agent is not new
          const fires =
            ruleId === SEED_RULES.deniedServiceAccount
              ? matching.filter((d) => !seenAgents.has(str(audit(d, 'userAgent'))))
              : matching;
          expect([ruleId, fires.length]).toEqual([ruleId, 0]);
          continue;
        }
        if (ruleId === SEED_RULES.deniedServiceAccount) {
          const fresh = matching.filter((d) => !seenAgents.has(str(audit(d, 'userAgent'))));
          expect(fresh.length > 0).toBe(scenario.expect === 'alert');
          // near misses of the new_terms rule stay silent even if an exclusion did not apply (text mapping)
          if (scenario.expect === 'silent')
            for (const d of docs.filter(deniedSa))
              expect(seenDeniedAgents).toContain(str(audit(d, 'userAgent')));
        } else expect(matching.length > 0).toBe(scenario.expect === 'alert');
      }
    },
  );

  it('has at least one alert and one near miss for every seed rule', () => {
    for (const ruleId of Object.values(SEED_RULES)) {
      expect(SCENARIOS.some((s) => s.ruleId === ruleId && s.expect === 'alert')).toBe(true);
      expect(SCENARIOS.some((s) => s.ruleId === ruleId && s.expect === 'silent')).toBe(true);
    }
    expect(new Set(SCENARIOS.map((s) => s.id)).size).toBe(SCENARIOS.length);
  });
});
