import { join } from 'node:path';
import { loadRules, type Rule } from '../../../src/rules';

const RULES_DIR = join(__dirname, '../../../rules');

async function loadSeeds(): Promise<Map<string, Rule>> {
  const result = await loadRules([RULES_DIR]);
  return new Map(result.rules.map((r) => [r.ruleId, r]));
}

describe('rules/', () => {
  it('every file loads without errors or warnings', async () => {
    const result = await loadRules([RULES_DIR]);
    expect(result.errors.map((e) => e.message)).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.files.length).toBeGreaterThanOrEqual(3);
    expect(result.rules).toHaveLength(result.files.length);
  });

  it('holds the denied service account rule as new_terms on kubernetes.audit.userAgent over 7 days', async () => {
    const rule = (await loadSeeds()).get('63c056a0-339a-11ed-a261-0242ac120002');
    expect(rule).toMatchObject({
      name: 'Kubernetes Denied Service Account Request via Unusual User Agent',
      type: 'new_terms',
      language: 'kuery',
      index: ['logs-kubernetes.audit_logs-*'],
      riskScore: 21,
      severity: 'low',
      timestampOverride: 'event.ingested',
      newTerms: { fields: ['kubernetes.audit.userAgent'], historyWindowStart: 'now-7d' },
      interval: '5m',
      from: 'now-6m',
      to: 'now',
      maxSignals: 100,
      author: ['Elastic'],
      license: 'Elastic License v2',
      metadata: { creationDate: '2022/09/13', updatedDate: '2026/01/30', maturity: 'production' },
    });
    expect(rule?.type === 'new_terms' && rule.query).toBe(
      'event.dataset:"kubernetes.audit_logs" and\n' +
        'kubernetes.audit.user.username:system\\:serviceaccount\\:* and\n' +
        'kubernetes.audit.annotations.authorization_k8s_io/decision:"forbid" and\n' +
        'kubernetes.audit.userAgent:(* and not (*kubernetes/$Format or karpenter or csi-secrets-store* or OpenAPI-Generator* or Prometheus* or dashboard* or cilium-agent*))\n',
    );
    expect(rule?.threat).toEqual([
      {
        framework: 'MITRE ATT&CK',
        tactic: { id: 'TA0007', name: 'Discovery', reference: 'https://attack.mitre.org/tactics/TA0007/' },
        technique: [
          {
            id: 'T1613',
            name: 'Container and Resource Discovery',
            reference: 'https://attack.mitre.org/techniques/T1613/',
            subtechnique: [],
          },
        ],
      },
    ]);
    expect(rule?.tags).toContain('Tactic: Discovery');
    expect(rule?.references).toHaveLength(2);
    expect(rule?.falsePositives).toHaveLength(1);
    expect(rule?.note).toContain('## Triage and analysis');
    expect(rule?.setup).toContain('## Setup');
  });

  it('holds the controller service account rule as a query rule with its ATT&CK mapping', async () => {
    const rule = (await loadSeeds()).get('63c05204-339a-11ed-a261-0242ac120002');
    expect(rule).toMatchObject({
      name: 'Kubernetes Suspicious Assignment of Controller Service Account',
      type: 'query',
      index: ['logs-kubernetes.*'],
      riskScore: 47,
      severity: 'medium',
      version: 7,
      tags: ['Data Source: Kubernetes', 'Tactic: Execution', 'Tactic: Privilege Escalation', 'Resources: Investigation Guide'],
    });
    expect(rule?.type === 'query' && rule.query).toBe(
      'event.dataset : "kubernetes.audit_logs"\n' +
        '  and kubernetes.audit.annotations.authorization_k8s_io/decision:"allow"\n' +
        '  and kubernetes.audit.verb : "create"\n' +
        '  and kubernetes.audit.objectRef.resource : "pods"\n' +
        '  and kubernetes.audit.objectRef.namespace : "kube-system"\n' +
        '  and kubernetes.audit.requestObject.spec.serviceAccountName:*controller\n',
    );
    expect(rule?.threat[0]?.tactic.id).toBe('TA0004');
    expect(rule?.threat[0]?.technique[0]?.id).toBe('T1078');
    expect(rule?.threat[0]?.technique[0]?.subtechnique[0]?.id).toBe('T1078.001');
  });

  it('holds the anonymous request rule as a query rule excluding the health endpoints', async () => {
    const rule = (await loadSeeds()).get('63c057cc-339a-11ed-a261-0242ac120002');
    expect(rule).toMatchObject({
      name: 'Kubernetes Anonymous Request Authorized',
      type: 'query',
      index: ['logs-kubernetes.*'],
      riskScore: 47,
      severity: 'medium',
      version: 7,
      timestampOverride: 'event.ingested',
    });
    expect(rule?.type === 'query' && rule.query).toBe(
      'event.dataset:kubernetes.audit_logs\n' +
        'and kubernetes.audit.annotations.authorization_k8s_io/decision:allow\n' +
        'and kubernetes.audit.user.username:("system:anonymous" or "system:unauthenticated" or not *)\n' +
        'and not kubernetes.audit.requestURI:(/healthz* or /livez* or /readyz*)\n',
    );
    expect(rule?.threat.map((t) => [t.tactic.id, t.technique[0]?.id, t.technique[0]?.subtechnique[0]?.id])).toEqual([
      ['TA0001', 'T1078', 'T1078.001'],
    ]);
  });
});
