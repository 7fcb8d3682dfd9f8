// What a workspace package's code imports, read from its sources with the TypeScript parser: the
// module specifiers of `import … from`, `export … from`, `import()`, `require()` and
// `….resolve('pkg/…')` (a package located through createRequire) in every non-test file under src/
// and bin/, reduced to package names. Node built-ins and relative paths are not packages; strings
// and comments that merely look like imports do not count.
import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const SOURCE = /\.(ts|mts|js|mjs)$/;
const TEST = /(\.test\.[mc]?[jt]s$)|(^|\/)test-[^/]*$/;
const BUILTINS = new Set(builtinModules);

/** Non-test source files of a package folder (src/ and bin/), relative to it. */
export function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'node_modules' && name !== 'test' && name !== 'fixtures') walk(path);
      } else if (SOURCE.test(name) && !name.endsWith('.d.ts') && !TEST.test(relative(dir, path))) {
        files.push(relative(dir, path));
      }
    }
  };
  for (const top of ['src', 'bin']) if (existsSync(join(dir, top))) walk(join(dir, top));
  return files.sort();
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`), or null for built-ins and paths. */
export function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:') || specifier.includes(':')) return null;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return BUILTINS.has(name) ? null : name;
}

/** The module specifiers `code` imports, requires or resolves, and every other string literal in it. */
export function moduleSpecifiers(code: string): { specifiers: string[]; strings: string[] } {
  const source = ts.createSourceFile('module.ts', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: string[] = [];
  const strings: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node)) strings.push(node.text);
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.arguments.length >= 1 && ts.isStringLiteralLike(node.arguments[0]!)) {
      const callee = node.expression;
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      const isResolve = ts.isPropertyAccessExpression(callee) && callee.name.text === 'resolve' && (ts.isCallExpression(callee.expression) || (ts.isIdentifier(callee.expression) && callee.expression.text === 'require'));
      if (isImport || isRequire || isResolve) found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { specifiers: found, strings };
}

/** The package names imported by `code`. */
export function importedPackages(code: string): Set<string> {
  const names = new Set<string>();
  for (const specifier of moduleSpecifiers(code).specifiers) {
    const name = packageOf(specifier);
    if (name) names.add(name);
  }
  return names;
}

/** What a workspace package's non-test sources use: packages they import, and every string literal (names of packages loaded by a computed name). */
export function packagesUsedBy(dir: string, ownName: string): { imported: Set<string>; strings: Set<string> } {
  const imported = new Set<string>();
  const strings = new Set<string>();
  for (const file of sourceFiles(dir)) {
    const code = readFileSync(join(dir, file), 'utf8');
    for (const name of importedPackages(code)) imported.add(name);
    for (const text of moduleSpecifiers(code).strings) strings.add(text);
  }
  imported.delete(ownName);
  return { imported, strings };
}
