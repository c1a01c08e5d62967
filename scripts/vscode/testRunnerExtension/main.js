// Test-only extension (staged next to ML Lineage by scripts/vscode/stageExtension.mjs, never
// shipped): runs the compiled mocha suites inside the extension host, so `require('vscode')`
// in them is the real API, and writes the results where the launcher waits for them.
// config.json (next to this file): { mochaPath, files[], resultsFile, logFile, timeoutMs,
// grep?, env? }.
'use strict';
const fs = require('fs');
const path = require('path');

const config = JSON.parse(fs.readFileSync(path.join(__dirname, 'config.json'), 'utf8'));

function writeAtomically(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file + '.tmp', text);
  fs.renameSync(file + '.tmp', file);
}

/** A mocha reporter that keeps a spec-like text log and a JSON summary (the launcher reads both). */
function makeReporter(Mocha) {
  const { EVENT_RUN_END, EVENT_TEST_FAIL, EVENT_TEST_PASS, EVENT_TEST_PENDING, EVENT_SUITE_BEGIN, EVENT_SUITE_END } =
    Mocha.Runner.constants;
  return function LineageReporter(runner) {
    Mocha.reporters.Base.call(this, runner);
    const lines = [];
    const results = { passes: [], failures: [], pending: [] };
    let depth = 0;
    const indent = () => '  '.repeat(depth);
    const log = (line) => {
      lines.push(line);
      fs.appendFileSync(config.logFile, line + '\n');
    };
    const brief = (test) => ({ title: test.title, fullTitle: test.fullTitle(), file: test.file, duration: test.duration });
    runner.on(EVENT_SUITE_BEGIN, (suite) => {
      if (suite.title) log(`${indent()}${suite.title}`);
      if (suite.title) depth++;
    });
    runner.on(EVENT_SUITE_END, (suite) => {
      if (suite.title) depth--;
    });
    runner.on(EVENT_TEST_PASS, (test) => {
      results.passes.push(brief(test));
      log(`${indent()}✔ ${test.title} (${test.duration} ms)`);
    });
    runner.on(EVENT_TEST_PENDING, (test) => {
      results.pending.push(brief(test));
      log(`${indent()}- ${test.title} (pending)`);
    });
    runner.on(EVENT_TEST_FAIL, (test, error) => {
      results.failures.push({ ...brief(test), error: { message: String(error && error.message), stack: String(error && error.stack) } });
      log(`${indent()}✖ ${test.title}: ${error && error.message}`);
    });
    runner.once(EVENT_RUN_END, () => {
      log(`${results.passes.length} passing, ${results.failures.length} failing, ${results.pending.length} pending`);
      writeAtomically(
        config.resultsFile,
        JSON.stringify({ stats: this.stats, ...results, vscode: require('vscode').version, node: process.version }, null, 2),
      );
    });
  };
}

async function run() {
  fs.mkdirSync(path.dirname(config.logFile), { recursive: true });
  fs.writeFileSync(
    config.logFile,
    `in-host mocha, VS Code ${require('vscode').version}, Node ${process.version} (ABI ${process.versions.modules})\n`,
  );
  try {
    for (const [key, value] of Object.entries(config.env || {})) process.env[key] = value;
    const Mocha = require(config.mochaPath);
    const mocha = new Mocha({ ui: 'bdd', timeout: config.timeoutMs || 60000, color: false, reporter: makeReporter(Mocha) });
    if (config.grep) mocha.grep(config.grep);
    for (const file of config.files) mocha.addFile(file);
    // Synchronous require of the files (not loadFilesAsync): VS Code hands out the `vscode`
    // module by intercepting CommonJS require, which an ESM import would bypass.
    mocha.run();
  } catch (error) {
    fs.appendFileSync(config.logFile, `runner error: ${error && error.stack}\n`);
    writeAtomically(
      config.resultsFile,
      JSON.stringify(
        {
          stats: { passes: 0, failures: 1 },
          passes: [],
          pending: [],
          failures: [{ fullTitle: 'test runner', error: { message: String(error && error.message), stack: String(error && error.stack) } }],
        },
        null,
        2,
      ),
    );
  }
}

exports.activate = function activate(context) {
  // Each extension logs in <exthost logs>/<extension id>/: tell the suites where that is, so
  // they can read ML Lineage's LogOutputChannel (which driver, which timings).
  if (context && context.logUri) process.env.LINEAGE_TEST_EXTHOST_LOGS = path.dirname(context.logUri.fsPath);
  // Let activation finish first; the suites activate ML Lineage themselves.
  setTimeout(() => {
    void run();
  }, 0);
};

exports.deactivate = function deactivate() {};
