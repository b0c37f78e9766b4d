// The layers of docs/architecture.md ("## Layers"), checked on every `npm test` (stage "import
// boundaries", or `npm run check:layers`). The rules name directories, not files, so they hold
// while code moves between and within them. Tests (*.test.ts, *.spec.ts) are exempt from the
// layer rules: they assemble layers to exercise them end to end (a CLI test serves the API
// route the CLI talks to). Nothing is exempt from the cycle rule.
const TESTS = '\\.(test|spec)\\.tsx?$';
// What is not code of ours: npm packages, Node's own modules, package.json (lib/version.ts reads it).
const OUTSIDE = ['(^|/)node_modules/', '^package\\.json$'];

/** A layer whose files may import only the given directories of ours (and npm/Node modules). */
const onlyImports = (name, from, allowed, comment, besides = []) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from, pathNot: [TESTS, ...besides] },
  to: { dependencyTypesNot: ['core'], couldNotResolve: false, pathNot: [...allowed, ...OUTSIDE] },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle (static, dynamic or type-only) ties modules that should layer: break it by moving what both need to one side.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    onlyImports('lib-imports-lib', '^lib/', ['^lib/'], 'lib/ is the one contract for the API, the pages and the CLI: it imports nothing of theirs.'),
    {
      name: 'lib-no-web-or-sockets',
      comment: 'lib/ knows nothing of HTTP serving, React or sockets: those belong to app/, components/, cli/ and collectors/.',
      severity: 'error',
      from: { path: '^lib/', pathNot: TESTS },
      to: {
        path: [
          '(^|/)node_modules/(next|react|react-dom|@tanstack/react-query|recharts|cytoscape|compression)/',
          '^(node:)?(http|https|http2|dgram|tls)$',
        ],
      },
    },
    onlyImports('collectors-import-lib', '^collectors/', ['^collectors/', '^lib/'], 'collectors/ decode and import flows into lib/.'),
    onlyImports('cli-imports-lib-and-collectors', '^cli/', ['^cli/', '^lib/', '^collectors/'], 'cli/ is a thin shell over lib/ and collectors/; it reaches the web app only over HTTP.'),
    onlyImports(
      'app-imports-lib-and-components',
      '^(app/|proxy\\.ts$)',
      ['^app/', '^lib/', '^components/'],
      "app/ (and proxy.ts, Next's request proxy) renders components/ and calls lib/.",
    ),
    onlyImports('components-import-lib', '^components/', ['^components/', '^lib/'], 'components/ are the React views; what only app/ has (server actions) comes in as props.'),
    onlyImports('zoo-imports-only-testing-exporters', '^eval/zoo/', ['^eval/zoo/', '^collectors/testing/'], "The estate zoo writes the files users import; it must not reuse Bulkhead's own readers."),
    onlyImports('eval-imports-lib-and-zoo', '^eval/', ['^eval/', '^lib/'], 'The scorer drives the bulkhead command and reads lib/ for estates and metrics.', ['^eval/zoo/']),
  ],
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    exclude: { path: '^(dist|\\.next|lib/db/generated)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    // type-only imports count: a layer that needs another's types depends on it all the same
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
