// Checks that imports between folders run only downward (the layers declared in scripts/layers.mjs) and
// form no cycle, and prints the folder graph.
// `node scripts/check-layers.mjs` fails (exit 1) on an upward import, a cycle, or a stale graph in
// docs/architecture.md; `--write` rewrites that section from the code. npm test runs the check.
import { readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

import { AREAS, CORE_ORDER } from './layers.mjs';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const DOC = join(ROOT, 'docs', 'architecture.md');
const BEGIN = '<!-- layers:begin (written by node scripts/check-layers.mjs --write) -->';
const END = '<!-- layers:end -->';

function sources(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'node_modules' && name !== 'build') sources(p, out);
    } else if (/\.(ts|mts|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

// The folder a repository path belongs to: "core/<folder>" inside the engine, else its area; undefined outside them.
function folderOf(rel) {
  const parts = rel.split(sep);
  if (parts[0] === 'src' && parts[1] === 'core')
    return parts.length > 3 ? `core/${parts[2]}` : `core/${parts[2].replace(/\.(test\.)?[mc]?[tj]s$/, '').replace(/\.json$/, '')}`;
  if (parts[0] === 'src' && parts.length > 2) return parts[1];
  if (parts[0] === 'test' && parts.length > 2) return `test/${parts[1]}`;
  if (parts[0] === 'webview' || parts[0] === 'bench') return parts[0];
  return undefined;
}
const areaOf = (folder) => (folder.startsWith('core/') ? 'core' : folder);

// A test is checked as if it sat at the top of its area: it may use any module of the area and the shared
// fixtures (src/core/testing), but never a higher area (an engine test never imports the CLI or the editor).
const isTest = (rel) => /\.test\.ts$/.test(rel);

function importsOf(file) {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((f) => f.fileName);
}

function target(fromFile, spec) {
  if (spec === 'vscode') return 'vscode';
  if (!spec.startsWith('.')) return undefined; // node: built-ins and packages
  return folderOf(relative(ROOT, resolve(dirname(fromFile), spec)));
}

const rank = new Map(CORE_ORDER.flatMap((line, i) => line.map((f) => [`core/${f}`, i])));

function collect() {
  const edges = new Map(); // folder -> Map(folder -> first file that makes the edge)
  const errors = [];
  const files = ['src', 'webview', 'bench', 'test'].flatMap((d) => sources(join(ROOT, d)));
  for (const file of files) {
    const rel = relative(ROOT, file);
    const from = folderOf(rel);
    if (!from) continue;
    if (from.startsWith('core/') && !rank.has(from)) errors.push(`${rel}: folder ${from} is not in CORE_ORDER (scripts/check-layers.mjs): place it`);
    for (const spec of importsOf(file)) {
      const to = target(file, spec);
      if (!to || to === from) continue;
      const bad = violation(from, to, isTest(rel));
      if (bad) errors.push(`${rel}: imports ${spec} (${from} -> ${to}): ${bad}`);
      if (isTest(rel)) continue; // the graph (and its cycles) is the shipped code's
      if (!edges.has(from)) edges.set(from, new Map());
      if (!edges.get(from).has(to)) edges.get(from).set(to, rel);
    }
  }
  for (const name of rank.keys()) {
    const dir = join(ROOT, 'src', name);
    if (!existsSync(dir) && !existsSync(`${dir}.ts`)) errors.push(`scripts/layers.mjs names ${name}, which is neither a folder nor a file of src/core`);
  }
  errors.push(...cycles(edges));
  return { edges, errors };
}

function violation(from, to, test) {
  const fa = areaOf(from);
  const ta = areaOf(to);
  if (fa !== ta) return AREAS[fa]?.includes(ta) ? undefined : `${fa} may import only ${AREAS[fa]?.join(', ') || 'itself'}`;
  if (fa !== 'core' || test) return undefined;
  if (!rank.has(to)) return `${to} is not in CORE_ORDER`;
  return rank.get(to) <= rank.get(from) ? undefined : `${to} sits above ${from} in CORE_ORDER (an upward import)`;
}

function cycles(edges) {
  const out = [];
  const state = new Map();
  const stack = [];
  const visit = (n) => {
    state.set(n, 1);
    stack.push(n);
    for (const m of edges.get(n)?.keys() ?? []) {
      if (state.get(m) === 1) out.push(`cycle: ${[...stack.slice(stack.indexOf(m)), m].join(' -> ')}`);
      else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, 2);
  };
  for (const n of [...edges.keys()].sort()) if (!state.has(n)) visit(n);
  return out;
}

function render(edges) {
  const order = (f) => (rank.has(f) ? rank.get(f) : f.startsWith('core') ? 99 : 100);
  const names = [...edges.keys()].sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  return names.map((f) => `${f} -> ${[...edges.get(f).keys()].sort((a, b) => order(a) - order(b) || a.localeCompare(b)).join(', ')}`).join('\n');
}

function docSection(graph) {
  return `${BEGIN}\n\`\`\`text\n${graph}\n\`\`\`\n${END}`;
}

const { edges, errors } = collect();
const graph = render(edges);
console.log(graph);
if (existsSync(DOC)) {
  const doc = readFileSync(DOC, 'utf8');
  const at = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (at < 0 || end < at) errors.push(`docs/architecture.md has no "${BEGIN}" ... "${END}" section`);
  else {
    const fresh = doc.slice(0, at) + docSection(graph) + doc.slice(end + END.length);
    if (process.argv.includes('--write')) writeFileSync(DOC, fresh);
    else if (fresh !== doc) errors.push('docs/architecture.md: the folder graph is stale; run node scripts/check-layers.mjs --write');
  }
} else errors.push('docs/architecture.md is missing');
for (const e of errors) console.error(`check-layers: ${e}`);
process.exit(errors.length ? 1 : 0);
