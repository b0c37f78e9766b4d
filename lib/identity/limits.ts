// What a workload's name, its labels and its addresses may be, at every door (inventory files,
// the JSON API, the CLI, label edits, rule selectors): one vocabulary, so that a value accepted
// at one door is never refused, or worse, accepted and then broken, at another (a 100,000-
// character name once passed the import and then broke the nftables export).
import { z } from 'zod';

/** The longest name: a DNS name's maximum, which every hostname, VM and instance name fits. */
export const NAME_MAX = 253;
/** Label keys as Kubernetes writes them (the selectors every export writes). */
export const LABEL_KEY_MAX = 63;
export const LABEL_VALUE_MAX = 253;

// control characters (C0, DEL, C1) and the line and paragraph separators
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Why a workload name cannot be used (naming the limit), or null. */
export function nameProblem(name: string): string | null {
  if (!name) return 'name: empty';
  if (name.length > NAME_MAX) return `name: ${name.length} characters, more than ${NAME_MAX} (the longest DNS name)`;
  if (CONTROL.test(name)) return 'name: holds a control character';
  return null;
}

export const labelKeySchema = z
  .string()
  .min(1)
  .max(LABEL_KEY_MAX)
  .regex(/^[A-Za-z0-9]([A-Za-z0-9._/-]*[A-Za-z0-9])?$/, 'a label key: letters, digits, ".", "_", "-", "/", starting and ending with a letter or digit');
export const labelValueSchema = z
  .string()
  .trim()
  .min(1)
  .max(LABEL_VALUE_MAX)
  .refine((v) => !CONTROL.test(v), 'a label value holds no control characters');

/** Why a label cannot be used (naming the limit), or null. */
export function labelProblem(key: string, value: string): string | null {
  const k = labelKeySchema.safeParse(key);
  if (!k.success) return `label key "${key.slice(0, 80)}": ${key.length > LABEL_KEY_MAX ? `${key.length} characters, more than ${LABEL_KEY_MAX}` : k.error.issues[0]!.message}`;
  const v = labelValueSchema.safeParse(value);
  if (!v.success) return `label ${key}: ${value.length > LABEL_VALUE_MAX ? `value of ${value.length} characters, more than ${LABEL_VALUE_MAX}` : v.error.issues[0]!.message}`;
  return null;
}
