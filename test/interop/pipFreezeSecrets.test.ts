// The real `pip freeze` of an editable install whose Git remote carries a token, recorded by
// `lineage repro`: the token must reach neither the index file nor `lineage env` nor the
// lineage card (text, --md, --json). pip prints such an install as
// `-e git+<remote url>@<sha>#egg=<name>`, remote credentials and all (checked first).

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitFixture } from '../helpers/gitFixture';
import { describeRun, expectOk, runCli } from '../helpers/runCli';
import { interopTool } from './tools';

const TOKEN = 'ghp_' + 'T0k3nT0k3nT0k3nT0k3nT0k3nT0k3nT0k3n1';
const REMOTE = `https://bot:${TOKEN}@example.invalid/org/toypkg.git`;
const SECRETS = [TOKEN, TOKEN.slice(4), 's3cret-pass', 'hubpass', 'wbpass', 'plain-hf-token', 'db-pw'];

// A PEP 660 backend in a few lines, inside the package: an editable install with neither
// setuptools' bdist_wheel nor the `wheel` package, and no network.
const BACKEND = `import base64, hashlib, os, zipfile
NAME, VERSION = "toypkg", "0.1"
DIST = NAME + "-" + VERSION + ".dist-info"
def _line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return "%s,sha256=%s,%d" % (path, digest, len(data))
def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    name = NAME + "-" + VERSION + "-py3-none-any.whl"
    files = {
        NAME + ".pth": (os.path.abspath(".") + "\\n").encode(),
        DIST + "/METADATA": ("Metadata-Version: 2.1\\nName: %s\\nVersion: %s\\n" % (NAME, VERSION)).encode(),
        DIST + "/WHEEL": b"Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
    }
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as z:
        for path, data in files.items():
            z.writestr(path, data)
        z.writestr(DIST + "/RECORD", "\\n".join([_line(p, d) for p, d in files.items()] + [DIST + "/RECORD,,"]) + "\\n")
    return name
build_wheel = build_editable
`;

function assertClean(text: string, where: string): void {
  for (const s of SECRETS) assert.ok(!text.includes(s), `${where} holds "${s}":\n${text.slice(0, 4000)}`);
}

describe('no secret from pip freeze or the environment reaches the index or the output', function () {
  this.timeout(300000);
  let tmp: string;
  let repo: GitFixture;
  let store: string;
  let freezeLine: string;

  before(() => {
    tmp = realpathSync(mkdtempSync(join(tmpdir(), 'lineage-pipfreeze-')));
    const pkg = join(tmp, 'toypkg');
    mkdirSync(join(pkg, 'toypkg'), { recursive: true });
    writeFileSync(join(pkg, 'toypkg', '__init__.py'), '');
    writeFileSync(join(pkg, 'tinybackend.py'), BACKEND);
    writeFileSync(
      join(pkg, 'pyproject.toml'),
      '[build-system]\nrequires = []\nbuild-backend = "tinybackend"\nbackend-path = ["."]\n\n[project]\nname = "toypkg"\nversion = "0.1"\n',
    );
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', pkg, '-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {
        encoding: 'utf8',
      }).trim();
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'toy package');
    git('remote', 'add', 'origin', REMOTE);
    const sha = git('rev-parse', 'HEAD');

    const venv = join(tmp, 'venv');
    execFileSync(interopTool('python'), ['-m', 'venv', venv]);
    const python = join(venv, 'bin', 'python');
    const quiet = { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1' };
    execFileSync(python, ['-m', 'pip', 'install', '-q', '--no-build-isolation', '--no-index', '-e', pkg], { env: quiet, stdio: 'pipe' });
    const freeze = execFileSync(python, ['-m', 'pip', 'freeze', '--all'], { encoding: 'utf8', env: quiet });
    // The premise: pip itself prints the remote with its credentials.
    assert.ok(freeze.includes(`-e git+${REMOTE}@${sha}#egg=toypkg`), freeze);
    freezeLine = `-e git+https://***@example.invalid/org/toypkg.git@${sha}#egg=toypkg`;

    repo = GitFixture.create();
    store = join(tmp, 'index.sqlite');
    repo.commit('pipeline', {
      '.dvc/config': '',
      '.dvc/.gitignore': '/cache\n/tmp\n',
      'dvc.yaml': `stages:\n  train:\n    cmd: ${python} train.py\n    deps:\n    - train.py\n    outs:\n    - model.txt\n`,
      'train.py': 'import toypkg\nopen("model.txt", "w").write("weights\\n")\n',
      'artifacts.yaml': 'toy:\n  type: model\n  path: model.txt\n',
    });
    const leaky = {
      ...process.env,
      MLFLOW_TRACKING_URI: 'https://user:s3cret-pass@mlflow.invalid',
      HF_ENDPOINT: 'https://me:hubpass@hub.invalid',
      WANDB_BASE_URL: 'https://wb:wbpass@wandb.invalid',
      HF_TOKEN: 'plain-hf-token',
      MLFLOW_TRACKING_PASS: 'db-pw',
      PYTHON_GH_PAT: TOKEN,
    };
    expectOk(runCli(['repro'], { repo: repo.dir, store, env: leaky }));
    repo.commit('trained');
    repo.git('tag', '-a', 'toy@v1.0.0', '-m', 'Registering artifact toy version v1.0.0');
  });
  after(() => {
    repo?.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('lineage env shows the pip line and the URLs masked, secret variables by name only', () => {
    const text = expectOk(runCli(['env', '--packages'], { repo: repo.dir, store }));
    assert.ok(text.includes(freezeLine), text);
    assert.match(text, /MLFLOW_TRACKING_URI=https:\/\/\*\*\*@mlflow\.invalid/);
    assert.match(text, /HF_ENDPOINT=https:\/\/\*\*\*@hub\.invalid/);
    assert.match(text, /WANDB_BASE_URL=https:\/\/\*\*\*@wandb\.invalid/);
    assert.match(text, /redacted: {2}HF_TOKEN, MLFLOW_TRACKING_PASS, PYTHON_GH_PAT/);
    assertClean(text, 'lineage env');
    const json = expectOk(runCli(['env', '--json'], { repo: repo.dir, store }));
    assert.ok(json.includes(freezeLine), json);
    assertClean(json, 'lineage env --json');
  });

  it('the lineage card (text, --md, --json) holds no secret', () => {
    for (const flags of [[], ['--md'], ['--json']]) {
      const r = runCli(['lineage', 'toy', ...flags], { repo: repo.dir, store });
      const out = expectOk(r);
      // Markdown escapes the mask's asterisks.
      const mask = flags[0] === '--md' ? '\\*\\*\\*' : '***';
      assert.ok(out.includes(`https://${mask}@mlflow.invalid`), describeRun(r));
      // The text card counts packages; --md and --json list them.
      if (flags.length) assert.ok(out.includes(`git+https://${mask}@example.invalid/org/toypkg.git@`), describeRun(r));
      assertClean(out, `lineage lineage toy ${flags.join(' ')}`);
    }
  });

  it('the index file holds the masked record and no secret', () => {
    let bytes = readFileSync(store).toString('latin1');
    if (existsSync(`${store}-wal`)) bytes += readFileSync(`${store}-wal`).toString('latin1');
    assert.ok(bytes.includes(freezeLine), 'the pip line is in the index, masked');
    assertClean(bytes, 'the index file');
  });
});
