'use client';
// The discovery section's places.
import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';

const TABS = [
  ['/discovery', 'Coverage and convergence'],
  ['/discovery/exporters', 'Exporters'],
  ['/discovery/imports', 'Imports'],
] as const;

export function DiscoveryTabs() {
  const path = usePathname();
  const params = useSearchParams();
  const keep = new URLSearchParams();
  for (const k of ['window', 'from', 'to']) {
    const v = params?.get(k);
    if (v) keep.set(k, v);
  }
  const qs = keep.size ? `?${keep}` : '';
  return (
    <nav className="tabs" aria-label="Discovery">
      {TABS.map(([href, label]) => (
        <Link key={href} href={`${href}${qs}`} aria-current={path === href ? 'page' : undefined}>
          {label}
        </Link>
      ))}
    </nav>
  );
}
