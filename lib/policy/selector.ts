// Selectors and ports: the schemas and the types derived from them. Apart from model.ts so that
// format.ts (which model.ts uses to describe rules) can name these types without an import cycle.
import { z } from 'zod';
import { labelKeySchema, labelValueSchema } from '../identity/limits';
import { parseCidr } from '../flow/cidr';

export const PROTOCOLS = ['tcp', 'udp', 'icmp', 'any'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const cidrText = z
  .string()
  .trim()
  .superRefine((s, ctx) => {
    if (!s.includes('/')) ctx.addIssue({ code: 'custom', message: `"${s}" is not a CIDR (write a.b.c.d/n; a single address is a.b.c.d/32)` });
    else {
      try {
        parseCidr(s);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
      }
    }
  });

export const labelSelectorSchema = z.object({ labels: z.record(labelKeySchema, labelValueSchema) }).strict();
export const cidrSelectorSchema = z.object({ cidr: cidrText, except: z.array(cidrText).max(256).optional() }).strict();
export const anySelectorSchema = z.object({ any: z.literal(true) }).strict();
export const selectorSchema = z.union([labelSelectorSchema, cidrSelectorSchema, anySelectorSchema]);

export type LabelSelector = z.infer<typeof labelSelectorSchema>;
export type CidrSelector = z.infer<typeof cidrSelectorSchema>;
export type Selector = z.infer<typeof selectorSchema>;

export const portSpecSchema = z
  .object({
    protocol: z.enum(PROTOCOLS),
    port: z.number().int().min(1).max(65535).optional(),
    endPort: z.number().int().min(1).max(65535).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if ((p.protocol === 'icmp' || p.protocol === 'any') && (p.port !== undefined || p.endPort !== undefined)) {
      ctx.addIssue({ code: 'custom', message: `${p.protocol} has no ports` });
    }
    if (p.endPort !== undefined && p.port === undefined) ctx.addIssue({ code: 'custom', message: 'endPort needs port (the start of the range)' });
    if (p.endPort !== undefined && p.port !== undefined && p.endPort < p.port) ctx.addIssue({ code: 'custom', message: `endPort ${p.endPort} is below port ${p.port}` });
  });
export type PortSpec = z.infer<typeof portSpecSchema>;
