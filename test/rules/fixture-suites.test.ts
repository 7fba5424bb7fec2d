import { readFileSync } from 'node:fs';
import { builtinRules } from '../../rules/index.ts';
import { ruleTester, type ExpectedReport, type InputSpec, type Subject } from './rule-tester.ts';

/**
 * RuleTester suites of the rules whose cases are their fixtures (rules/fixtures/<id>/pass.yaml
 * and fail.yaml): every built-in rule has a suite, here or in the other files of test/rules.
 * The Applications of a fixture are its input's Applications, the rest its resources.
 */

function fixture(id: string, which: 'pass' | 'fail'): InputSpec {
  const text = readFileSync(new URL(`../../rules/fixtures/${id}/${which}.yaml`, import.meta.url), 'utf8');
  const docs = text.split(/^---$/m);
  const isApp = (d: string) => /^kind: Application$/m.test(d) && /^apiVersion: argoproj\.io\//m.test(d);
  return { resources: docs.filter((d) => !isApp(d)).join('---\n'), applications: docs.filter(isApp).join('---\n') };
}

const SUITES: Record<string, { subject?: Subject; errors: ExpectedReport[] }> = {
  'argocd-create-namespace': {
    subject: 'application',
    errors: [{ line: 24, messageId: 'createNamespace', object: 'Application/cilium-etcd' }],
  },
  'argocd-ignore-differences': {
    subject: 'application',
    errors: [
      { line: 19, messageId: 'missingKind', object: 'Application/cilium-etcd' },
      { line: 22, messageId: 'badPointer', object: 'Application/cilium-etcd' },
      { line: 23, messageId: 'nothingIgnored', object: 'Application/cilium-etcd' },
    ],
  },
  'argocd-project': { subject: 'application', errors: [{ line: 10, messageId: 'unknownProject', object: 'Application/cilium-etcd' }] },
  'kubernetes-schema': { errors: [{ line: 56, messageId: 'unknownField', object: 'StatefulSet/cilium-etcd-0' }] },
  'kubernetes-schema-missing': { errors: [{ line: 80, messageId: 'noSchema', object: 'ServiceMonitor/cilium-etcd' }] },
};

for (const [id, { subject, errors }] of Object.entries(SUITES)) {
  ruleTester(id, builtinRules[id]!, {
    ...(subject ? { subject } : {}),
    valid: [{ name: 'its passing fixture', input: fixture(id, 'pass') }],
    invalid: [{ name: 'its failing fixture', input: fixture(id, 'fail'), errors }],
  });
}
