import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { shippedConfigPath } from '../../src/config/load.js';
import { startHarness, type Harness } from '../support/harness.js';
import { envNamesReadByCode, SYSTEM_VARIABLES } from './env-names.js';

/**
 * The deployment files (compose, Dockerfile, every platform of docs/DEPLOY.md) must agree with
 * the code: the port the image listens on, health paths that answer, the data directory, and
 * only environment variables the gateway reads.
 */
const ROOT = process.cwd();
const PORT = 3000;
const DATA = '/app/data';
const text = (p: string) => readFileSync(join(ROOT, p), 'utf8');
type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const yaml = (p: string) => parseYaml(text(p)) as Any;
const yamlDocs = (p: string) => parseAllDocuments(text(p)).map((d) => d.toJS() as Any);

const readByCode = envNamesReadByCode(ROOT);
const known = readByCode;
const usedNames = new Map<string, Set<string>>();
const healthPaths = new Set<string>();
function uses(file: string, names: Iterable<string>): void {
  const set = usedNames.get(file) ?? new Set<string>();
  for (const n of names) set.add(n);
  usedNames.set(file, set);
}
const envList = (list: { name: string }[] | undefined) => (list ?? []).map((e) => e.name);

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness.close());

describe('deployment files agree with the code', () => {
  it('the image: port, data volume, health check, non-root', () => {
    const docker = text('Dockerfile');
    expect(JSON.parse(readFileSync(shippedConfigPath(), 'utf8')).port).toBe(PORT);
    expect(docker).toMatch(new RegExp(`^EXPOSE ${PORT}$`, 'm'));
    expect(docker).toMatch(new RegExp(`^VOLUME ${DATA}$`, 'm'));
    expect(docker).toMatch(new RegExp(`DATA_DIR=${DATA}\\b`));
    expect(docker).toMatch(/^USER node$/m);
    expect(docker).toMatch(/^ARG BASE_IMAGE=node:\d+-bookworm-slim$/m);
    expect(docker).toMatch(/^HEALTHCHECK [^\n]*\n[^\n]*\/healthz/m);
    healthPaths.add('/healthz');
    uses('Dockerfile', ['DATA_DIR']);
  });

  it('compose files: port, named volume or data path, health check, no syntax newer than Compose 1.29 knows', () => {
    for (const file of ['docker-compose.yml', 'docker-compose.replicas.yml']) {
      const svc = yaml(file).services.droid2api as Any;
      expect(svc.ports.some((p: string) => p.endsWith(`:${PORT}`)), file).toBe(true);
      expect(svc.healthcheck.test.join(' ')).toContain(`127.0.0.1:${PORT}/healthz`);
      expect(svc.restart).toBe('unless-stopped');
      // env_file entries with path/required need Compose >= 2.24.
      expect(svc.env_file.every((e: unknown) => typeof e === 'string'), file).toBe(true);
      expect(svc.environment.REQUIRE_GATEWAY_KEY).toBe('true');
      uses(file, Object.keys(svc.environment));
    }
    const main = yaml('docker-compose.yml');
    expect(main.services.droid2api.volumes).toContain(`droid2api-data:${DATA}`);
    expect(Object.keys(main.volumes)).toContain('droid2api-data');
  });

  it('.env.example: every variable the code reads, each with a comment, gateway keys first', () => {
    const lines = text('.env.example').split('\n');
    const names = lines.map((l) => /^#? ?([A-Z][A-Z0-9_]+)=/.exec(l)?.[1]).filter((n): n is string => n !== undefined);
    uses('.env.example', names);
    expect(names.slice(0, 2)).toEqual(['GATEWAY_API_KEY', 'ADMIN_KEY']);
    for (const n of readByCode) {
      if (SYSTEM_VARIABLES.has(n) || n.endsWith('_FILE')) continue;
      expect(names, `${n} is read by the code but missing from .env.example`).toContain(n);
    }
    lines.forEach((line, i) => {
      if (/^#? ?[A-Z][A-Z0-9_]+=/.test(line)) expect(lines[i - 1], `no comment above ${line}`).toMatch(/^# \S/);
    });
  });

  it('render.yaml: Docker, port, health check path, disk at the data path, secrets not in the file', () => {
    const svc = yaml('render.yaml').services[0] as Any;
    expect(svc.runtime).toBe('docker');
    expect(svc.healthCheckPath).toBe('/healthz');
    healthPaths.add(svc.healthCheckPath);
    expect(svc.disk.mountPath).toBe(DATA);
    const env = svc.envVars as { key: string; value?: string; sync?: boolean }[];
    expect(env.find((e) => e.key === 'PORT')?.value).toBe(String(PORT));
    for (const secret of ['GATEWAY_API_KEY', 'ADMIN_KEY', 'FACTORY_API_KEY']) expect(env.find((e) => e.key === secret)).toEqual({ key: secret, sync: false });
    uses('render.yaml', env.map((e) => e.key));
  });

  it('fly.toml: internal port, checks on the health paths, a volume at the data path', () => {
    const fly = parseToml(text('fly.toml')) as Any;
    expect(fly.http_service.internal_port).toBe(PORT);
    expect(fly.mounts[0].destination).toBe(DATA);
    expect(fly.checks.healthz).toMatchObject({ type: 'http', port: PORT, path: '/healthz' });
    for (const c of [fly.checks.healthz, ...fly.http_service.checks]) healthPaths.add(c.path);
    expect(fly.env.PORT).toBe(String(PORT));
    uses('fly.toml', Object.keys(fly.env));
  });

  it('railway.json: Dockerfile builder and health check', () => {
    const rw = JSON.parse(text('railway.json')) as Any;
    expect(rw.build.builder).toBe('DOCKERFILE');
    expect(rw.deploy.healthcheckPath).toBe('/healthz');
    healthPaths.add(rw.deploy.healthcheckPath);
  });

  it('Cloud Run: Knative service, port, probes, secrets mounted as _FILE', () => {
    const svc = yaml('deploy/cloudrun/service.yaml');
    expect(svc.apiVersion).toBe('serving.knative.dev/v1');
    const c = svc.spec.template.spec.containers[0] as Any;
    expect(c.ports[0].containerPort).toBe(PORT);
    for (const probe of [c.startupProbe, c.livenessProbe]) {
      expect(probe.httpGet.port).toBe(PORT);
      healthPaths.add(probe.httpGet.path);
    }
    expect(c.livenessProbe.httpGet.path).toBe('/healthz');
    const mounts = (c.volumeMounts as { mountPath: string }[]).map((m) => m.mountPath);
    for (const e of c.env as { name: string; value: string }[]) {
      if (e.name.endsWith('_FILE')) expect(mounts.some((m) => e.value.startsWith(`${m}/`)), e.name).toBe(true);
    }
    uses('deploy/cloudrun/service.yaml', envList(c.env));
  });

  it('ECS task definition: port, health check, awslogs, secrets from Secrets Manager, data on EFS', () => {
    const td = JSON.parse(text('deploy/ecs/task-definition.json')) as Any;
    const c = td.containerDefinitions[0] as Any;
    expect(c.portMappings[0].containerPort).toBe(PORT);
    expect(c.healthCheck.command.join(' ')).toContain(`127.0.0.1:${PORT}/healthz`);
    expect(c.logConfiguration.logDriver).toBe('awslogs');
    expect(c.mountPoints[0].containerPath).toBe(DATA);
    expect(td.volumes[0].efsVolumeConfiguration).toBeDefined();
    for (const s of c.secrets as { valueFrom: string }[]) expect(s.valueFrom).toMatch(/^arn:aws:secretsmanager:/);
    uses('deploy/ecs/task-definition.json', [...envList(c.environment), ...envList(c.secrets)]);
  });

  it('Kubernetes: probes on /healthz and /readyz, non-root read-only root filesystem, data path, secret files', () => {
    const docs = readdirSync(join(ROOT, 'deploy/kubernetes')).flatMap((f) => yamlDocs(`deploy/kubernetes/${f}`));
    const kinds = docs.map((d) => `${d.kind}/${d.metadata.name}`);
    for (const k of ['Deployment/droid2api', 'Service/droid2api', 'Secret/droid2api', 'PersistentVolumeClaim/droid2api-data', 'Deployment/droid2api-redis']) expect(kinds).toContain(k);
    const pod = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'droid2api')?.spec.template.spec as Any;
    const c = pod.containers[0] as Any;
    expect(c.ports[0].containerPort).toBe(PORT);
    expect(c.livenessProbe.httpGet.path).toBe('/healthz');
    expect(c.readinessProbe.httpGet.path).toBe('/readyz');
    for (const p of [c.livenessProbe, c.readinessProbe, c.startupProbe]) healthPaths.add(p.httpGet.path);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(c.volumeMounts.find((m: Any) => m.name === 'data').mountPath).toBe(DATA);
    const secret = docs.find((d) => d.kind === 'Secret') as Any;
    for (const e of c.env as { name: string; value: string }[]) {
      if (e.name.endsWith('_FILE')) expect(Object.keys(secret.stringData)).toContain(e.value.split('/').pop());
    }
    const svc = docs.find((d) => d.kind === 'Service' && d.metadata.name === 'droid2api') as Any;
    expect(svc.spec.ports[0].targetPort).toBe('http');
    uses('deploy/kubernetes/deployment.yaml', envList(c.env));
  });

  it('every health path the files use answers 200 on the gateway', async () => {
    expect([...healthPaths].sort()).toEqual(['/healthz', '/readyz']);
    for (const path of healthPaths) expect((await fetch(`${harness.url}${path}`)).status, path).toBe(200);
  });

  it('every environment variable the files set is one the gateway reads', () => {
    expect(usedNames.size).toBeGreaterThanOrEqual(9);
    for (const [file, names] of usedNames) {
      const unknown = [...names].filter((n) => !known.has(n));
      expect(unknown, `${file} sets variables the gateway never reads`).toEqual([]);
    }
  });
});
