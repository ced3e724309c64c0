import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/** Files under `dir` (relative to the repository root) whose relative path matches, sorted, with `/` separators. */
export function findFiles(dir: string, matches: (relativePath: string) => boolean): string[] {
  const found: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const relative = path.relative(process.cwd(), full).split(path.sep).join("/");
        if (matches(relative)) found.push(relative);
      }
    }
  };
  walk(path.resolve(dir));
  return found.sort();
}

/** One thing a module exports, with the source text that defines it. */
export type ExportedBinding = { name: string; source: string };

/**
 * Reads a module's exports from its source, without running it (route handlers and server actions
 * import the database and Next.js internals). `export *` shows as the name "*", so a table that
 * lists exports by name cannot silently miss what it re-exports.
 */
export function exportedBindings(file: string): ExportedBinding[] {
  const text = readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const bindings: ExportedBinding[] = [];
  const isExported = (node: ts.Node) =>
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
  const isDefault = (node: ts.Node) =>
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.DefaultKeyword);

  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement) && isExported(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const names = ts.isIdentifier(declaration.name)
          ? [declaration.name.text]
          : declaration.name.elements.flatMap((element) =>
              ts.isBindingElement(element) && ts.isIdentifier(element.name) ? [element.name.text] : [],
            );
        for (const name of names) bindings.push({ name, source: declaration.getText(source) });
      }
    } else if (
      (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) &&
      isExported(statement)
    ) {
      const name = isDefault(statement) ? "default" : (statement.name?.text ?? "default");
      bindings.push({ name, source: statement.getText(source) });
    } else if (ts.isExportAssignment(statement)) {
      bindings.push({ name: "default", source: statement.getText(source) });
    } else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) {
      if (!statement.exportClause) bindings.push({ name: "*", source: statement.getText(source) });
      else if (ts.isNamedExports(statement.exportClause)) {
        for (const specifier of statement.exportClause.elements) {
          if (!specifier.isTypeOnly)
            bindings.push({ name: specifier.name.text, source: statement.getText(source) });
        }
      } else bindings.push({ name: statement.exportClause.name.text, source: statement.getText(source) });
    }
  }
  return bindings;
}

/** The URL pattern Next.js serves an app/ file at: route groups dropped, dynamic segments kept. */
export function routePattern(file: string): string {
  const segments = path.posix
    .dirname(file)
    .split("/")
    .slice(1)
    .filter((segment) => !/^\(.*\)$/.test(segment) && !segment.startsWith("@"));
  return `/${segments.join("/")}`;
}
