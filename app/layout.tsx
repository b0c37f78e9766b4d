import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { Providers } from '../components/Providers';
import { Header } from '../components/shell/Header';
import { SignOutButton } from './signout/SignOutButton';
import { requestAuth } from './_lib/auth';
import './globals.css';

export const metadata: Metadata = {
  title: 'Bulkhead',
  description: 'Flow discovery and microsegmentation planning',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: the Content-Security-Policy nonce (proxy.ts) is new each
  // time, and a prerendered page's scripts would carry none and be blocked.
  await connection();
  const a = await requestAuth();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#content">
          Skip to content
        </a>
        <Header principal={a.principal} signOut={<SignOutButton csrf={a.csrf} />} />
        <div id="content" tabIndex={-1}>
          <Providers>{children}</Providers>
        </div>
      </body>
    </html>
  );
}
