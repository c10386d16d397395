// Build step (run by hand when kubernetes-models is upgraded; the output is committed so the
// simulator starts without parsing anything): reads the type declarations that kubernetes-models
// ships for the kinds the simulator serves and writes their OpenAPI v3 schemas, descriptions and
// required fields included, to src/openapi/definitions.json.
//   node scripts/run.mjs tsx packages/kube-sim/scripts/generate-definitions.ts
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const require = createRequire(import.meta.url);
const models = dirname(require.resolve('kubernetes-models/package.json'));
const machinery = dirname(require.resolve('@kubernetes-models/apimachinery/package.json'));
const output = fileURLToPath(new URL('../src/openapi/definitions.json', import.meta.url));

/** The kinds served, plus the meta types their API answers use. */
const roots = [
  ...['Namespace', 'Pod', 'Service', 'Endpoints', 'ConfigMap', 'Secret', 'ServiceAccount', 'Event'].flatMap((k) => [`v1/${k}`, `v1/${k}List`]),
  ...['Deployment', 'ReplicaSet'].flatMap((k) => [`apps/v1/${k}`, `apps/v1/${k}List`]),
  'autoscaling/v1/Scale',
  ...['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'].flatMap((k) => [
    `rbac.authorization.k8s.io/v1/${k}`,
    `rbac.authorization.k8s.io/v1/${k}List`,
  ]),
  ...['SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview', 'LocalSubjectAccessReview'].map((k) => `authorization.k8s.io/v1/${k}`),
  'authentication.k8s.io/v1/SelfSubjectReview',
].map((file) => join(models, `${file}.d.ts`));
roots.push(...['Status', 'DeleteOptions', 'WatchEvent', 'APIResourceList'].map((k) => join(machinery, `apis/meta/v1/${k}.d.ts`)));

type Schema = Record<string, unknown>;
const definitions: Record<string, Schema> = {};

/**
 * kubernetes-models/v1/Pod.d.ts -> io.k8s.api.core.v1.Pod, rbac.authorization.k8s.io/v1/Role.d.ts ->
 * io.k8s.api.rbac.v1.Role (the names the real API server uses).
 */
function definitionName(file: string): string {
  const base = file.replace(/\.d\.ts$/, '');
  if (base.startsWith(machinery)) return `io.k8s.apimachinery.pkg.${relative(machinery, base).split('/').join('.')}`;
  const parts = relative(models, base).split('/');
  if (parts[0] === 'v1') parts.unshift('core');
  else parts[0] = parts[0].split('.')[0];
  return `io.k8s.api.${parts.join('.')}`;
}

function resolveImport(from: string, specifier: string): string {
  const path = specifier.startsWith('@kubernetes-models/apimachinery/')
    ? join(machinery, specifier.slice('@kubernetes-models/apimachinery/'.length))
    : join(dirname(from), specifier);
  return `${path.replace(/\.js$/, '')}.d.ts`;
}

function description(node: ts.Node, source: ts.SourceFile): string | undefined {
  const text = source.getFullText().slice(node.getFullStart(), node.getStart(source));
  const match = /\/\*\*([\s\S]*?)\*\//.exec(text);
  if (!match) return undefined;
  return match[1]
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, ''))
    .join('\n')
    .trim()
    .replace(/\n\nPossible enum values:[\s\S]*$/, '');
}

function ref(name: string): Schema {
  return { allOf: [{ $ref: `#/components/schemas/${name}` }] };
}

function schemaOf(type: ts.TypeNode, file: string, imports: Map<string, string>): Schema {
  if (ts.isArrayTypeNode(type)) return { type: 'array', items: schemaOf(type.elementType, file, imports) };
  if (ts.isTypeReferenceNode(type)) {
    const name = type.typeName.getText();
    if (name === 'Array' && type.typeArguments) return { type: 'array', items: schemaOf(type.typeArguments[0], file, imports) };
    const target = imports.get(name);
    if (!target) throw new Error(`${file}: unknown type ${name}`);
    return ref(visit(target));
  }
  if (ts.isTypeLiteralNode(type)) {
    const index = type.members.find(ts.isIndexSignatureDeclaration);
    return { type: 'object', additionalProperties: index?.type ? schemaOf(index.type, file, imports) : {} };
  }
  if (ts.isUnionTypeNode(type)) {
    const literals = type.types.filter(ts.isLiteralTypeNode).map((t) => (t.literal as ts.StringLiteral).text);
    if (literals.length === type.types.length) return { type: 'string', enum: literals };
    return {};
  }
  switch (type.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { type: 'string' };
    case ts.SyntaxKind.NumberKeyword:
      return { type: 'integer' };
    case ts.SyntaxKind.BooleanKeyword:
      return { type: 'boolean' };
    case ts.SyntaxKind.LiteralType:
      return { type: 'string' };
    default:
      return { type: 'object' };
  }
}

/** Parses one declaration file into a definition (once) and returns its name. */
function visit(file: string): string {
  const name = definitionName(file);
  if (definitions[name]) return name;
  definitions[name] = {};
  const source = ts.createSourceFile(file, ts.sys.readFile(file) ?? '', ts.ScriptTarget.Latest, true);
  const imports = new Map<string, string>();
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && statement.importClause?.namedBindings && ts.isNamedImports(statement.importClause.namedBindings)) {
      const specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
      if (specifier.startsWith('@kubernetes-models/base')) continue;
      for (const element of statement.importClause.namedBindings.elements) imports.set(element.name.text, resolveImport(file, specifier));
    }
  }
  const alias = source.statements.find(ts.isTypeAliasDeclaration);
  const shape = source.statements.find(ts.isInterfaceDeclaration);
  if (!shape && alias) {
    // Scalar aliases: Time (string), IntOrString (string | number), Quantity (number | string).
    if (name.endsWith('IntOrString')) definitions[name] = { type: 'string', format: 'int-or-string', 'x-kubernetes-int-or-string': true };
    else if (name.endsWith('Quantity')) definitions[name] = { type: 'string', 'x-kubernetes-int-or-string': true };
    else definitions[name] = { type: 'string', format: 'date-time' };
    const text = description(alias, source);
    if (text) definitions[name].description = text;
    return name;
  }
  if (!shape) throw new Error(`${file}: no interface`);
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const member of shape.members) {
    if (!ts.isPropertySignature(member) || !member.type) continue;
    const key = (member.name as ts.StringLiteral).text;
    const typeMeta = key === 'apiVersion' || key === 'kind';
    const property = typeMeta ? { type: 'string' } : schemaOf(member.type, file, imports);
    const text = description(member, source);
    if (text) property.description = text;
    properties[key] = property;
    if (!member.questionToken && !typeMeta) required.push(key);
  }
  // An empty interface (FieldsV1, RawExtension) is free-form JSON, not an object without fields.
  const definition: Schema = Object.keys(properties).length > 0 ? { type: 'object', properties } : { type: 'object' };
  const text = description(shape, source);
  if (text) definition.description = text;
  if (required.length > 0) definition.required = required;
  definitions[name] = definition;
  return name;
}

for (const root of roots) visit(root);
const sorted = Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(output, `${JSON.stringify(sorted)}\n`);
console.log(`${Object.keys(sorted).length} definitions -> ${relative(process.cwd(), output)} (${(JSON.stringify(sorted).length / 1024).toFixed(0)} KiB)`);
