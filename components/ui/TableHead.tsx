// The header row of a data table: column headers scoped for screen readers, numbers
// right-aligned like the cells below them.
import type { ReactNode } from 'react';

export interface Column {
  label: ReactNode;
  /** a column of numbers: right-aligned */
  num?: boolean;
}

/** A right-aligned column of numbers. */
export const numCol = (label: ReactNode): Column => ({ label, num: true });

export function TableHead({ columns }: { columns: ReadonlyArray<string | Column> }) {
  return (
    <thead>
      <tr>
        {columns.map((c, i) => {
          const col = typeof c === 'string' ? { label: c } : c;
          return (
            <th key={i} scope="col" className={col.num ? 'num' : undefined}>
              {col.label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
