// POST /api/v1/cli: a `bulkhead` command forwarded by a CLI (cli/forward.ts), run against this
// process's open stores by the runner `bulkhead serve` registered (cli/forwarded.ts); its output,
// messages, progress and exit code stream back as newline-delimited JSON events.
// Body: { argv: [string], cwd: string, operator?: string, stdin?: string }.
import { localOperator } from '../../../../lib/auth/principal';
import { MAX_FORWARD_BYTES, parseForwardRequest, type ForwardEvent } from '../../../../lib/forwarding';
import { commandRoute } from '../../_lib/route';

export const dynamic = 'force-dynamic';

const text = (status: number, message: string) => new Response(`${message}\n`, { status, headers: { 'cache-control': 'no-store' } });

/** The body as text, or null when it is larger than the limit (read no further). */
async function readBody(req: Request, limit: number): Promise<string | null> {
  if (!req.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export const POST = commandRoute(async ({ rt, req, principal, ip }) => {
  const raw = await readBody(req, MAX_FORWARD_BYTES);
  if (raw === null) return text(413, 'request too large');
  const body = parseForwardRequest(raw);
  if (!body) return text(400, 'expected {"argv": [string], "cwd": string}');
  const server = rt.commands;
  if (!server) return text(503, 'commands run through `bulkhead serve`; this server was started another way');
  // The local operator names itself (informational: the secret, not the name, is what counts).
  const actor = principal ?? (body.operator?.startsWith('local operator') ? { ...localOperator(), name: body.operator } : localOperator('through the server'));

  const abort = new AbortController();
  req.signal.addEventListener('abort', () => abort.abort());
  const encoder = new TextEncoder();
  let open = true;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const emit = (ev: ForwardEvent) => {
        if (open) controller.enqueue(encoder.encode(`${JSON.stringify(ev)}\n`));
      };
      void server
        .run({ argv: body.argv, cwd: body.cwd, stdin: body.stdin, actor, clientIp: ip, signal: abort.signal }, emit)
        .then(
          (code) => emit({ t: 'exit', code }),
          // Without an exit event the client says the connection closed early and points to this log.
          (e: unknown) => rt.log.error({ err: (e as Error).message }, 'forwarded command failed'),
        )
        .finally(() => {
          if (!open) return;
          open = false;
          controller.close();
        });
    },
    cancel() {
      open = false;
      abort.abort();
    },
  });
  // no-transform: compression would hold the events back until a buffer fills, and the CLI shows
  // progress as it comes.
  return new Response(stream, { status: 200, headers: { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store, no-transform' } });
});
