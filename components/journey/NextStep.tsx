// The end of a page: the step that follows (lib/read/next-step.ts decides it from the state), as
// links, the first one the step itself. One landmark name, "Next step", on every page, so people
// (and the browser tests) find it the same way everywhere.
import Link from 'next/link';
import type { NextStep as Step } from '../../lib/read/next-step';

export function NextStep({ step }: { step: Step }) {
  return (
    <nav className="card" aria-label="Next step">
      <h2>Next step</h2>
      <p>{step.say}</p>
      <NextStepLinks step={step} />
    </nav>
  );
}

/** The links alone, for a page that says its next step in a section of its own (the overview). */
export function NextStepLinks({ step }: { step: Step }) {
  return (
    <p className="actions">
      {step.links.map((l, i) => (
        <Link key={l.href} className={i === 0 ? 'btn' : 'btn btn-secondary'} href={l.href}>
          {l.label}
        </Link>
      ))}
    </p>
  );
}
