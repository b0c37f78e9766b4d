// What the colours and line styles of the map mean.
import { EDGE_COLORS, ENFORCEMENT_COLORS, POLICY_LEGEND, ROLE_COLORS } from './style';

export function MapLegend({ overlay }: { overlay: 'none' | 'policy' | 'blast' }) {
  return (
    <details className="map-legend">
      <summary>Legend</summary>
      <div className="legend-cols">
        <ul aria-label="Roles">
          {Object.entries(ROLE_COLORS)
            .filter(([r]) => r !== 'scanner')
            .map(([r, c]) => (
              <li key={r}>
                <span className="swatch dot" style={{ background: c }} aria-hidden="true" /> {r}
              </li>
            ))}
        </ul>
        {overlay === 'policy' ? (
          <ul aria-label="Policy">
            {POLICY_LEGEND.map((p) => (
              <li key={p.key}>
                <span className="swatch line" style={{ background: p.color }} aria-hidden="true" /> {p.label}
              </li>
            ))}
          </ul>
        ) : (
          <ul aria-label="Paths">
            <li>
              <span className="swatch line" style={{ background: EDGE_COLORS.normal }} aria-hidden="true" /> dependency (width grows with bytes)
            </li>
            <li>
              <span className="swatch line" style={{ background: EDGE_COLORS.external }} aria-hidden="true" /> to or from an external network
            </li>
            <li>
              <span className="swatch line dashed" style={{ borderColor: EDGE_COLORS.crossEnv }} aria-hidden="true" /> across environments
            </li>
            <li>
              <span className="swatch line" style={{ background: EDGE_COLORS.core }} aria-hidden="true" /> to a shared service
            </li>
            <li>
              <span className="swatch line dotted" style={{ borderColor: EDGE_COLORS.management }} aria-hidden="true" /> management path
            </li>
          </ul>
        )}
        <ul aria-label="Enforcement">
          <li>
            <span className="swatch line" style={{ background: ENFORCEMENT_COLORS.enforced }} aria-hidden="true" /> thick border: application enforced (exports drop what no rule allows)
          </li>
          <li>
            <span className="swatch line dashed" style={{ borderColor: ENFORCEMENT_COLORS.test }} aria-hidden="true" /> dashed border: in test (logged, let through)
          </li>
          <li>plain border: visibility (left open)</li>
        </ul>
        <ul aria-label="Shapes">
          <li>Small circles: workloads; squares: a collapsed group (double-click or “Expand” to open)</li>
          <li>Diamonds: networks and addresses; hexagons: the internet</li>
          <li>Boxes: environments, applications and roles</li>
        </ul>
      </div>
    </details>
  );
}
