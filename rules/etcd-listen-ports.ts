import type { Container, Probe, Service } from 'kubernetes-types/core/v1.js';
import { defineRule, type FixIntent } from '../src/engine/types.ts';
import type { FieldPath } from '../src/model/provenance.ts';
import { parseFlags } from './support/flags.ts';
import { numericPort } from './support/k8s.ts';
import { COMPONENT_DEFAULTS, componentOptionsSchema, portOption, resolveOptions } from './support/options.ts';
import { findServices } from './support/services.ts';
import { TEMPLATE_METADATA_PATH, containerName, findComponentStatefulSets, podContainers } from './support/statefulset.ts';
import { URL_FLAG_MESSAGES, checkUrlFlagPort } from './support/url-flags.ts';

type Options = { clientPort: number; peerPort: number; metricsPort: number };
const defaultOptions: Options = {
  clientPort: COMPONENT_DEFAULTS.clientPort,
  peerPort: COMPONENT_DEFAULTS.peerPort,
  metricsPort: COMPONENT_DEFAULTS.metricsPort,
};

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HANDLERS = ['httpGet', 'tcpSocket', 'grpc'] as const;

/** The number a port field refers to: itself, or a named container port of `containers`. */
function resolvePort(value: unknown, containers: readonly Container[]): number | string | undefined {
  const n = numericPort(value);
  if (n !== undefined) return n;
  if (typeof value !== 'string') return undefined;
  for (const c of containers) {
    for (const p of c.ports ?? []) if (p && p.name === value && typeof p.containerPort === 'number') return p.containerPort;
  }
  return value;
}

/** The fix of a listen URL on the wrong port: the port in that URL (written once in its argument) becomes the expected one. */
function portFix(path: FieldPath, url: string, expected: number, flag: string): FixIntent | undefined {
  const m = /^([a-z][a-z0-9+.-]*:\/\/(?:\[[^\]]*\]|[^/:]*)):(\d+)(.*)$/i.exec(url);
  if (!m) return undefined;
  return { kind: 'replace', path, from: url, to: `${m[1]}:${expected}${m[3]}`, description: `${flag}: listen on port ${expected}` };
}

const rule = defineRule({
  meta: {
    type: 'problem',
    docs: {
      description:
        'etcd listens on the expected client, peer and metrics ports, and container ports, Service ports, probes and the scrape annotation agree.',
    },
    defaultSeverity: 'error',
    presets: ['recommended'],
    schema: componentOptionsSchema({
      clientPort: portOption('Port of --listen-client-urls.'),
      peerPort: portOption('Port of --listen-peer-urls.'),
      metricsPort: portOption('Port of --listen-metrics-urls (and of the prometheus.io/port annotation).'),
    }),
    defaultOptions,
    messages: {
      ...URL_FLAG_MESSAGES,
      containerPort: 'containerPort {{port}} of container "{{container}}" is not one of the etcd ports ({{ports}})',
      servicePort: 'Service "{{service}}" {{field}} {{port}} is not one of the etcd ports ({{ports}})',
      probePort: '{{probe}} of container "{{container}}" uses port {{port}}, which is not one of the etcd ports ({{ports}})',
      unknownNamedPort: '{{field}} refers to port name "{{port}}", which no containerPort of the pod declares',
      annotationPort: 'Annotation prometheus.io/port is "{{value}}"; it must be the metrics port {{expected}}',
    },
  },
  check(context) {
    const opts = resolveOptions(defaultOptions, context.options);
    const allowed = [opts.clientPort, opts.peerPort, opts.metricsPort];
    const ports = allowed.join(', ');
    for (const sts of findComponentStatefulSets(context.input.resources, context.input.component)) {
      const report = (
        path: FieldPath,
        messageId: Parameters<typeof context.report>[0]['messageId'],
        data: Record<string, string | number>,
        fix?: FixIntent,
      ) => context.report({ resource: sts.resource, path, messageId, data, ...(fix ? { fix } : {}) });
      const { container, containerPath } = sts;
      const etcdName = containerName(container);

      // 1. The listen flags.
      const flags = parseFlags(container, containerPath);
      const expectations: [string, number][] = [
        ['--listen-client-urls', opts.clientPort],
        ['--listen-peer-urls', opts.peerPort],
        ['--listen-metrics-urls', opts.metricsPort],
      ];
      for (const [flag, port] of expectations) {
        for (const p of checkUrlFlagPort(flags, flag, port, etcdName, containerPath))
          report(p.path, p.messageId, p.data, p.messageId === 'wrongPort' ? portFix(p.path, String(p.data.url), port, flag) : undefined);
      }

      // 2. Declared containerPorts of the etcd container (none declared is fine).
      (container.ports ?? []).forEach((p, j) => {
        if (!p || typeof p !== 'object') return;
        if (!allowed.includes(p.containerPort)) {
          report([...containerPath, 'ports', j, 'containerPort'], 'containerPort', {
            port: String(p.containerPort),
            container: etcdName,
            ports,
          });
        }
      });

      // 3. Probes of the etcd container.
      for (const probeName of PROBES) {
        const probe: Probe | undefined = container[probeName];
        if (!probe || typeof probe !== 'object') continue;
        for (const handler of HANDLERS) {
          const action = probe[handler] as { port?: unknown } | undefined;
          if (!action || typeof action !== 'object' || action.port === undefined) continue;
          const path = [...containerPath, probeName, handler, 'port'];
          const port = resolvePort(action.port, [container]);
          if (typeof port === 'string') {
            report(path, 'unknownNamedPort', { field: `${probeName}.${handler}.port`, port });
          } else if (port === undefined || !allowed.includes(port)) {
            report(path, 'probePort', { probe: probeName, container: etcdName, port: String(action.port), ports });
          }
        }
      }

      // 4. Ports of the governing Service, where it declares any.
      const serviceName = sts.sts.spec?.serviceName;
      if (typeof serviceName === 'string' && serviceName !== '') {
        const podContainerList = podContainers(sts.podSpec).map((c) => c.container);
        for (const svcObj of findServices(context.input.resources, serviceName, sts.namespace)) {
          const svc = svcObj as unknown as Service;
          (svc.spec?.ports ?? []).forEach((sp, j) => {
            if (!sp || typeof sp !== 'object') return;
            const base = ['spec', 'ports', j];
            if (!allowed.includes(sp.port)) {
              context.report({
                resource: svcObj,
                path: [...base, 'port'],
                messageId: 'servicePort',
                data: { service: serviceName, field: 'port', port: String(sp.port), ports },
              });
            }
            if (sp.targetPort === undefined) return;
            const target = resolvePort(sp.targetPort, podContainerList);
            if (typeof target === 'string') {
              context.report({
                resource: svcObj,
                path: [...base, 'targetPort'],
                messageId: 'unknownNamedPort',
                data: { field: `Service "${serviceName}" targetPort`, port: target },
              });
            } else if (target === undefined || !allowed.includes(target)) {
              context.report({
                resource: svcObj,
                path: [...base, 'targetPort'],
                messageId: 'servicePort',
                data: { service: serviceName, field: 'targetPort', port: String(sp.targetPort), ports },
              });
            }
          });
        }
      }

      // 5. The scrape annotation names the metrics port, where present.
      const annotation = sts.podAnnotations['prometheus.io/port'];
      if (annotation !== undefined && numericPort(annotation) !== opts.metricsPort) {
        report(
          [...TEMPLATE_METADATA_PATH, 'annotations', 'prometheus.io/port'],
          'annotationPort',
          {
            value: annotation,
            expected: opts.metricsPort,
          },
          {
            kind: 'set',
            path: [...TEMPLATE_METADATA_PATH, 'annotations', 'prometheus.io/port'],
            value: String(opts.metricsPort),
            description: `set annotation prometheus.io/port: "${opts.metricsPort}"`,
          },
        );
      }
    }
  },
});

export default rule;
