// The web server's compression (cli/web.ts) on the response shape Next.js route handlers produce:
// headers copied with appendHeader, so Content-Type is a one-element array.
import { createServer, type Server } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressResponses } from './web';

const body = JSON.stringify({ nodes: Array.from({ length: 500 }, (_, i) => ({ id: `app-${i}`, x: i, y: i * 2 })) });
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) =>
    compressResponses(req as never, res as never, () => {
      if (req.url === '/image') res.setHeader('Content-Type', 'image/png');
      else res.appendHeader('Content-Type', 'application/json');
      res.write(body.slice(0, 100));
      res.end(body.slice(100));
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const a = server.address() as { port: number };
  base = `http://127.0.0.1:${a.port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

// fetch would decode gzip itself and hide the header: read the raw answer with node:http
async function get(path: string, encoding: string | null): Promise<{ headers: Record<string, string | string[] | undefined>; raw: Buffer }> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { headers: encoding ? { 'accept-encoding': encoding } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, raw: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('response compression', () => {
  it('compresses a JSON answer whose Content-Type was appended, as Next.js route handlers do', async () => {
    const gz = await get('/map', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['content-type']).toBe('application/json');
    expect(gz.raw.length).toBeLessThan(body.length / 3);
    expect(gunzipSync(gz.raw).toString()).toBe(body);
    // what browsers offer over HTTPS: brotli is preferred
    const br = await get('/map', 'gzip, deflate, br, zstd');
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.raw).toString()).toBe(body);
  });

  it('sends the answer as it is to a client that accepts no encoding, and leaves images alone', async () => {
    const plain = await get('/map', null);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.raw.toString()).toBe(body);
    const image = await get('/image', 'gzip');
    expect(image.headers['content-encoding']).toBeUndefined();
  });
});
