// Policy exports: every format is generated from the baseline document (./baseline.ts), the one
// neutral form of a policy. docs/exports.md says what each target cannot express.
import { exportAwsTerraform } from './aws';
import { serializeBaseline, type BaselineDoc, type BaselineFormat } from './baseline';
import { exportCalico } from './calico';
import { exportCilium } from './cilium';
import type { ExportOptions, ExportResult } from './common';
import { inferredAsAddresses, warningsByOrigin } from './inferred';
import { exportKubernetes, type KubernetesOptions } from './kubernetes';
import { exportNftables } from './nftables';
import { exportNsx } from './nsx';

export * from './baseline';
export type { ExportFile, ExportOptions, ExportResult } from './common';
export type { KubernetesOptions } from './kubernetes';

export const EXPORT_FORMATS = ['baseline', 'kubernetes', 'cilium', 'calico', 'calico-staged', 'aws', 'nsx', 'nftables'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const FORMAT_DESCRIPTIONS: Record<ExportFormat, string> = {
  baseline: 'Bulkhead baseline, YAML or JSON by the file extension (docs/baseline.schema.json); importable again',
  kubernetes: 'Kubernetes NetworkPolicy (networking.k8s.io/v1), one per group of enforced pods in its namespace, multi-document YAML',
  cilium: 'CiliumNetworkPolicy (cilium.io/v2), one per group of enforced pods in its namespace, multi-document YAML',
  calico: 'Calico GlobalNetworkPolicy (projectcalico.org/v3), multi-document YAML',
  'calico-staged': 'Calico StagedGlobalNetworkPolicy (StagedNetworkPolicy with --namespace): a dry run Calico reports on without enforcing',
  aws: 'AWS security groups as Terraform JSON (*.tf.json): a group per role/application, SG-to-SG references',
  nsx: 'VMware NSX distributed firewall: one Policy API hierarchical body (PATCH /policy/api/v1/infra)',
  nftables: 'nftables, one ruleset per host (a directory of HOST.nft files), checked with nft -c',
};

/** Whether a format writes one file per host (a directory) rather than one file. */
export const writesDirectory = (f: ExportFormat) => f === 'nftables';

/**
 * One format of a document. Kubernetes and Cilium select pods by their own labels and nftables
 * writes addresses; the label-based formats (Calico, AWS, NSX) get applications discovery inferred
 * and nobody confirmed as their members' addresses (./inferred.ts), never as a label.
 */
export function exportPolicy(doc: BaselineDoc, format: ExportFormat, opts: ExportOptions & Pick<KubernetesOptions, 'clusterDns'> & { baselineFormat?: BaselineFormat; domain?: string } = {}): ExportResult {
  if (format === 'calico' || format === 'calico-staged' || format === 'aws' || format === 'nsx') {
    const plain = inferredAsAddresses(doc);
    const r = exportLabelled(plain.doc, format, opts);
    return { ...r, warnings: [...plain.warnings, ...warningsByOrigin(r.warnings, plain.origin)] };
  }
  return exportLabelled(doc, format, opts);
}

function exportLabelled(doc: BaselineDoc, format: ExportFormat, opts: ExportOptions & Pick<KubernetesOptions, 'clusterDns'> & { baselineFormat?: BaselineFormat; domain?: string }): ExportResult {
  switch (format) {
    case 'baseline': {
      const fmt = opts.baselineFormat ?? 'yaml';
      return { format, files: [{ name: `baseline.${fmt}`, content: serializeBaseline(doc, fmt) }], exported: doc.rules.length, warnings: [] };
    }
    case 'kubernetes':
      return exportKubernetes(doc, opts);
    case 'cilium':
      return exportCilium(doc, opts);
    case 'calico':
      return exportCalico(doc, opts);
    case 'calico-staged':
      return exportCalico(doc, { ...opts, staged: true });
    case 'aws':
      return exportAwsTerraform(doc, opts);
    case 'nsx':
      return exportNsx(doc, opts);
    case 'nftables':
      return exportNftables(doc, opts);
  }
}
