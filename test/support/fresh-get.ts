import { get } from 'node:http';

/**
 * A GET over a connection of its own (no keep-alive): a WORKERS primary hands each new
 * connection to the next worker, so successive calls reach every worker in turn.
 */
export function freshGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    }).on('error', reject);
  });
}
