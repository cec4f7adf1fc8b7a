// node bench/conformance/summary.mjs [--suite DIR] [--fail-list] [RESULTS.json ...]
//
// Prints http-cache-tests results by kind of test, as Markdown: a table of counts for the given results (default
// results/edge.json) next to the suite's own published results of nginx, Varnish, Traffic Server and Squid
// (<suite>/results/*.json), then the tests the first results file does not pass, required ones first, with the
// suite's message for each. --suite picks a source checkout instead of the pinned npm release; the comparison
// is only fair between results of the same suite version, which is why the peers are read from the suite.
//
// The classification is the suite's own (determineTestResult in lib/display.mjs of the release,
// test-engine/lib/results.mjs of the source): a test whose `depends_on` test did not pass counts as a
// dependency failure, not as a pass or a failure; `Setup` errors, `retry` and harness errors are counted apart.
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const here = path.dirname(new URL(import.meta.url).pathname)
const args = process.argv.slice(2)
let suite = path.join(here, 'node_modules', 'http-cache-tests')
let failList = true
const files = []
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--suite') suite = path.resolve(args[++i])
  else if (args[i] === '--no-fail-list') failList = false
  else files.push(path.resolve(args[i]))
}
if (files.length === 0) files.push(path.join(here, 'results', 'edge.json'))

// the test definitions; the release's CLI adds the Surrogate-Control suite to tests/index.mjs, so do we
const testSuites = (await import(pathToFileURL(path.join(suite, 'tests', 'index.mjs')))).default.slice()
const surrogate = path.join(suite, 'tests', 'surrogate-control.mjs')
if (fs.existsSync(surrogate) && !testSuites.some(s => s.id === 'surrogate-control')) {
  testSuites.push((await import(pathToFileURL(surrogate))).default)
}
const tests = new Map()
for (const s of testSuites) for (const t of s.tests) tests.set(t.id, { ...t, suite: s.name })

// a copy of the suite's determineTestResult (which lives in a browser module that node cannot import)
function classify (results, id, honorDependencies = true) {
  const test = tests.get(id)
  const result = results[id]
  if (result === undefined) return 'untested'
  if (honorDependencies && test.depends_on !== undefined) {
    for (const dep of test.depends_on) {
      if (!['pass', 'yes'].includes(classify(results, dep))) return 'dependency'
    }
  }
  if (result[0] === 'Setup') return result[1] === 'retry' ? 'retry' : 'setup'
  if (result === false || result[0] === 'AbortError') return 'harness'
  const kind = test.kind ?? 'required'
  if (kind === 'required') return result === true ? 'pass' : 'fail'
  if (kind === 'optimal') return result === true ? 'pass' : 'fail'
  if (kind === 'check') return result === true ? 'yes' : 'no'
  throw new Error(`unknown kind ${kind} of ${id}`)
}

const peers = ['nginx', 'varnish', 'trafficserver', 'squid']
  .map(name => path.join(suite, 'results', `${name}.json`))
  .filter(f => fs.existsSync(f))
const columns = [...files, ...peers].map(f => ({
  name: path.basename(f, '.json'),
  results: JSON.parse(fs.readFileSync(f, 'utf8'))
}))

const kinds = ['required', 'optimal', 'check']
const browserOnly = t => t.browser_only === true
function counts (results) {
  const c = {}
  for (const k of kinds) c[k] = { total: 0, pass: 0, fail: 0, yes: 0, no: 0, dependency: 0, setup: 0, retry: 0, harness: 0, untested: 0 }
  for (const [id, t] of tests) {
    if (browserOnly(t)) continue
    const k = t.kind ?? 'required'
    c[k].total++
    c[k][classify(results, id)]++
  }
  return c
}

let version = JSON.parse(fs.readFileSync(path.join(suite, 'package.json'), 'utf8')).version
const commit = path.join(suite, 'COMMIT') // written by run.sh for a source checkout
if (fs.existsSync(commit)) version += ` source at ${fs.readFileSync(commit, 'utf8').trim().slice(0, 12)}`
else version += ' (npm release)'
console.log(`http-cache-tests ${version}, ${path.relative(process.cwd(), suite) || '.'}; ${[...tests.values()].filter(t => !browserOnly(t)).length} tests ` +
  'that apply to a shared cache (browser-only ones left out)\n')
console.log(`| kind | result | ${columns.map(c => c.name).join(' | ')} |`)
console.log(`|---|---|${columns.map(() => '---:').join('|')}|`)
const all = columns.map(c => counts(c.results))
// per kind: passed, failed, and not decided (a test it depends on did not pass, the set-up failed, the cache
// retried a request, or the harness failed), so that pass + fail + not decided + untested = the kind's total
const undecided = ['dependency', 'setup', 'retry', 'harness']
for (const k of kinds) {
  const [yes, no] = k === 'check' ? ['yes', 'no'] : ['pass', 'fail']
  const name = `${k === 'optimal' ? 'optional' : k} (${all[0][k].total})`
  console.log(`| ${name} | ${yes} | ${all.map(c => c[k][yes]).join(' | ')} |`)
  console.log(`| ${name} | ${no} | ${all.map(c => c[k][no]).join(' | ')} |`)
  console.log(`| ${name} | not decided | ${all.map(c => undecided.reduce((n, r) => n + c[k][r], 0)).join(' | ')} |`)
  if (all.some(c => c[k].untested)) console.log(`| ${name} | untested | ${all.map(c => c[k].untested).join(' | ')} |`)
}
console.log('\nnot decided, all kinds: ' + columns.map((c, i) =>
  `${c.name} ${undecided.map(r => `${r} ${kinds.reduce((n, k) => n + all[i][k][r], 0)}`).join(', ')}`).join('; '))

if (failList) {
  const mine = columns[0].results
  for (const [kind, title, wanted] of [
    ['required', 'Required tests not passed', ['fail', 'setup', 'retry', 'harness', 'dependency']],
    ['optimal', 'Optional tests not passed', ['fail', 'setup', 'retry', 'harness', 'dependency']],
    ['check', 'Checks answered "no" (information, neither pass nor fail)', ['no', 'setup', 'retry', 'harness', 'dependency']]
  ]) {
    const rowsOut = []
    for (const [id, t] of tests) {
      if (browserOnly(t) || (t.kind ?? 'required') !== kind) continue
      const cls = classify(mine, id)
      if (!wanted.includes(cls)) continue
      const r = mine[id]
      const why = cls === 'dependency'
        ? `depends on ${t.depends_on.filter(d => !['pass', 'yes'].includes(classify(mine, d))).join(', ')}`
        : Array.isArray(r) ? `${r[0]}: ${r[1]}` : String(r)
      rowsOut.push(`| ${t.suite} | \`${id}\` | ${clean(t.name)} | ${cls} | ${clean(why)} |`)
    }
    console.log(`\n### ${title} by ${columns[0].name} (${rowsOut.length})\n`)
    if (rowsOut.length) {
      console.log('| topic | id | test | result | message |')
      console.log('|---|---|---|---|---|')
      rowsOut.forEach(r => console.log(r))
    }
  }
}

function clean (s) {
  return String(s).replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim()
}
