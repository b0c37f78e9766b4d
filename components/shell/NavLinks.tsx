'use client';
// Links of the header with the current page marked (aria-current), for sighted and screen-reader users alike.
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { isActive, type NavItem } from './nav';

export function NavLinks({ items, label, className }: { items: Array<Pick<NavItem, 'href' | 'label'> & { match?: string }>; label: string; className?: string }) {
  const pathname = usePathname() ?? '/';
  return (
    <nav aria-label={label} className={className}>
      <ul>
        {items.map((item) => {
          const active = isActive({ ...item, permission: 'map:read', match: item.match ? new RegExp(item.match) : undefined }, pathname);
          return (
            <li key={item.href}>
              <Link href={item.href} aria-current={active ? 'page' : undefined}>
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
