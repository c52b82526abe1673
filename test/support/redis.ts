/**
 * A real redis-server on 127.0.0.1 and a free port, for the Redis store's tests. Debian's
 * redis-server (apt-get install redis-server; .ci/run installs it). No persistence: the
 * data lives as long as the test file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort } from './ports.js';

export const REDIS_SERVER = '/usr/bin/redis-server';
export const HAVE_REDIS = existsSync(REDIS_SERVER);

export interface RedisServer {
  url: string;
  stop(): Promise<void>;
  /** Starts the server again on the same port (after stop), with its data when persistent. */
  restart(): Promise<void>;
}

/** persistentDir: keep the data in an append-only file there, so a restart finds it again (a real outage). */
export async function startRedis(options: { persistentDir?: string } = {}): Promise<RedisServer> {
  const port = await freePort();
  const persistence = options.persistentDir ? ['--dir', options.persistentDir, '--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence];
  let child = await spawnRedis(args);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
    restart: async () => {
      child = await spawnRedis(args);
    },
  };
}

async function spawnRedis(args: string[]): Promise<ChildProcess> {
  const child: ChildProcess = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${String(code)}: ${out}`));
    });
  });
  return child;
}
