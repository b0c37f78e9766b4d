// Calling the JSON API from the browser: one place that adds the CSRF header to state-changing
// requests (the signed double-submit cookie, app/api/_lib/route.ts), turns error bodies into an
// ApiError with the server's message, and sends people whose session ended back to sign-in.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function cookie(name: string): string | null {
  if (typeof document === 'undefined') return null;
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

/** The CSRF token: the cookie is named with the __Host- prefix over HTTPS. */
export function csrfToken(): string | null {
  return cookie('__Host-bulkhead_csrf') ?? cookie('bulkhead_csrf');
}

export type Params = Record<string, string | number | boolean | null | undefined | string[]>;

export function withParams(path: string, params?: Params): string {
  if (!params) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      if (v.length) q.set(k, v.join(','));
    } else q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

async function handle<T>(res: Response): Promise<T> {
  if (res.status === 401 && typeof window !== 'undefined') {
    const next = `${window.location.pathname}${window.location.search}`;
    window.location.assign(`/signin?ended=1&next=${encodeURIComponent(next)}`);
  }
  const type = res.headers.get('content-type') ?? '';
  const body = type.includes('json') ? await res.json().catch(() => null) : await res.text();
  if (!res.ok) {
    const message = body && typeof body === 'object' && 'error' in body ? String((body as { error: unknown }).error) : `${res.status} ${res.statusText}`;
    throw new ApiError(res.status, message, body && typeof body === 'object' ? (body as { details?: unknown }).details : undefined);
  }
  return body as T;
}

export async function apiGet<T>(path: string, params?: Params, signal?: AbortSignal): Promise<T> {
  const res = await fetch(withParams(path, params), { headers: { accept: 'application/json' }, signal, credentials: 'same-origin' });
  return handle<T>(res);
}

export async function apiSend<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const csrf = csrfToken();
  if (csrf) headers['x-csrf-token'] = csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  return handle<T>(res);
}

/** A file download from an API route (exports): the body and the name the server suggests. */
export async function apiDownload(path: string, init?: { method?: 'GET' | 'POST'; body?: unknown }): Promise<{ blob: Blob; filename: string | null; text: () => Promise<string> }> {
  const headers: Record<string, string> = {};
  if (init?.method === 'POST') {
    const csrf = csrfToken();
    if (csrf) headers['x-csrf-token'] = csrf;
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(path, { method: init?.method ?? 'GET', headers, body: init?.body === undefined ? undefined : JSON.stringify(init.body), credentials: 'same-origin' });
  if (!res.ok) await handle(res);
  const blob = await res.blob();
  const cd = res.headers.get('content-disposition') ?? '';
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(cd);
  return { blob, filename: m ? decodeURIComponent(m[1]!) : null, text: () => blob.text() };
}
