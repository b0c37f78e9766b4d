// Every server action checks authorization on the server. Server actions are public HTTP
// endpoints (any page can post to them), so each one must start from actionAuth(formData,
// permission), which checks the session, the form's CSRF token and the permission. This test
// reads every server action in app/ and components/ (files marked 'use server', and functions
// marked so inline) and fails on one that does not call it. Signing in and out are the two
// actions meant for people without a (valid) session; they are named here with their reason.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const EXEMPT: Record<string, string> = {
  'app/signin/actions.ts#signIn': 'signing in is what people without a session do; throttled and audited in lib/auth/signin.ts',
  'app/signout/actions.ts#signOut': 'checks the CSRF token of the session it ends; without a session it only clears cookies',
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'node_modules' || name.startsWith('.') ? [] : sources(p);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : [];
  });
}

const isUseServer = (s: ts.Statement | undefined) => !!s && ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression) && s.expression.text === 'use server';

/** Server actions of a file: [name, body text]. */
function actionsOf(file: string): Array<[string, string]> {
  const text = readFileSync(file, 'utf8');
  if (!text.includes('use server')) return [];
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: Array<[string, string]> = [];
  const wholeFile = isUseServer(sf.statements[0]);
  const visit = (node: ts.Node) => {
    if ((ts.isFunctionDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node)) && node.body) {
      const body = node.body;
      const inline = ts.isBlock(body) && isUseServer(body.statements[0]);
      const exported = wholeFile && ts.isFunctionDeclaration(node) && node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      if (inline || exported) {
        const name = (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name ? node.name.getText(sf) : `(anonymous at line ${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1})`;
        found.push([name, body.getText(sf)]);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('server actions', () => {
  it('every one checks session, CSRF token and permission with actionAuth (or is a named exception)', () => {
    const actions = ['app', 'components'].flatMap((d) => sources(join(root, d))).flatMap((f) => actionsOf(f).map(([name, body]) => ({ id: `${relative(root, f)}#${name}`, body })));
    expect(actions.length).toBeGreaterThan(5);
    const unchecked = actions.filter((a) => !EXEMPT[a.id] && !/\bactionAuth\(/.test(a.body)).map((a) => a.id);
    expect(unchecked, 'server actions that never call actionAuth(formData, permission)').toEqual([]);
    for (const id of Object.keys(EXEMPT)) expect(actions.map((a) => a.id), `exception ${id} still exists`).toContain(id);
  });
});
