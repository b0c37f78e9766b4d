'use client';
// Page state in the URL (window, filters, selection), so that a link shows the next person
// exactly what the sender saw. Updates replace the history entry, except where a change is a
// step people expect Back to undo (opening a detail): those push.
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { DISCOVERY_PRESET, resolveWindowParams, type Preset, type WindowSpec } from './window';

export type UrlPatch = Record<string, string | number | boolean | null | undefined | string[]>;

export function useUrlState() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const get = useCallback((k: string) => params?.get(k) ?? null, [params]);
  const list = useCallback(
    (k: string) =>
      (params?.get(k) ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    [params],
  );
  const flag = useCallback((k: string, dflt: boolean) => {
    const v = params?.get(k);
    return v === null || v === undefined ? dflt : v === '1' || v === 'true';
  }, [params]);
  const set = useCallback(
    (patch: UrlPatch, opts: { push?: boolean } = {}) => {
      const next = new URLSearchParams(params?.toString() ?? '');
      for (const [k, v] of Object.entries(patch)) {
        if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) next.delete(k);
        else if (Array.isArray(v)) next.set(k, v.join(','));
        else if (typeof v === 'boolean') next.set(k, v ? '1' : '0');
        else next.set(k, String(v));
      }
      const s = next.toString();
      const url = s ? `${pathname}?${s}` : pathname;
      if (opts.push) router.push(url, { scroll: false });
      else router.replace(url, { scroll: false });
    },
    [params, pathname, router],
  );
  return { params, get, list, flag, set };
}

/** The page's time window from the URL. */
export function useWindow(fallback: Preset = DISCOVERY_PRESET): WindowSpec {
  const params = useSearchParams();
  const w = params?.get('window') ?? null;
  const from = params?.get('from') ?? null;
  const to = params?.get('to') ?? null;
  // Presets resolve against the current hour; recomputing on every render would change the
  // query key each hour boundary only, which is what we want.
  return useMemo(() => resolveWindowParams({ window: w, from, to }, fallback), [w, from, to, fallback]);
}
