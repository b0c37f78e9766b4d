'use client';
// The map's next step follows its selection (the `sel` URL parameter the map writes), so it
// lives beside the map rather than inside it.
import { useSearchParams } from 'next/navigation';
import { mapNext } from '../../lib/read/next-step';
import { NextStep } from './NextStep';

export function MapNextStep() {
  const sel = useSearchParams()?.get('sel') ?? null;
  return <NextStep step={mapNext(sel)} />;
}
