// A route handler over real HTTP, for tests of clients that talk to it (kept apart from
// support.ts so that tests of lib/ do not load Next.js).
import { createServer } from 'node:http';
import { NextRequest } from 'next/server';
import { PEER_HEADER } from '../lib/auth/address';

type RouteHandlerLike = (req: NextRequest, route: { params: Promise<Record<string, string>> }) => Promise<Response>;

/**
 * A route handler answering at `path` over real HTTP on loopback, as `bulkhead serve` serves it:
 * the peer header written from the socket (replacing any sent), the answer streamed as it comes,
 * the request aborted when the client goes away.
 */
export async function serveRoute(path: string, handler: RouteHandlerLike): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    req.headers[PEER_HEADER] = req.socket.remoteAddress ?? '';
    if (req.url !== path) return void res.writeHead(404).end();
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
      const gone = new AbortController();
      res.on('close', () => gone.abort());
      const request = new NextRequest(new URL(path, `http://${req.headers.host}`), { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined, signal: gone.signal });
      const answer = await handler(request, { params: Promise.resolve({}) });
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      if (answer.body) for await (const chunk of answer.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
      res.end();
    })().catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  return {
    url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`,
    close: () => new Promise<void>((done) => {
      server.close(() => done());
      server.closeAllConnections();
    }),
  };
}
