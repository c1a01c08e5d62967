// The redaction rules against literal values: what must be masked and what must stay.

import { strict as assert } from 'node:assert';
import { isSecretName, MASK, redactDeep, redactText, redactVars } from '../../../src/core/util/redact';

const GHP = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
const HF = 'hf_' + 'aBcDeFgHiJkLmNoPqRsTuVwXyZ01234567';

describe('redact', () => {
  it('isSecretName matches name parts, not substrings', () => {
    for (const name of [
      'MY_API_KEY',
      'GH_PAT',
      'DB_PASSWORD',
      'AWS_SESSION_TOKEN',
      'HF_TOKEN',
      'WANDB_API_KEY',
      'MLFLOW_TRACKING_PASSWORD',
      'SERVICE_PASS',
      'DB_PASSWD',
      'MYSQL_PWD',
      'PWD',
      'GOOGLE_APPLICATION_CREDENTIALS',
      'AWS_CREDS',
      'AUTH',
      'AUTHORIZATION',
      'OAUTH2_CLIENT',
      'BROWSER_COOKIE',
      'SSH_PRIVATE_KEY_FILE',
      'CLIENT_SECRET',
      'apiKey',
      'dbPassword',
      'githubtoken',
      'ACCESS_KEY2',
      'API_KEYS',
      'X-Amz-Signature',
      'sig',
      'AZURE_STORAGE_CONNECTION_STRING',
      'my.secret.value',
    ]) {
      assert.ok(isSecretName(name), name);
    }
    for (const name of [
      'PATH',
      'PYTHONPATH',
      'KEYBOARD',
      'PYTHON_KEYRING_BACKEND',
      'TOKENIZERS_PARALLELISM',
      'GIT_AUTHOR_NAME',
      'CUDA_VISIBLE_DEVICES',
      'MLFLOW_TRACKING_URI',
      'HF_ENDPOINT',
      'WANDB_BASE_URL',
      'NUMPY_COMPAT',
      'LANG',
      'OMP_NUM_THREADS',
      'VIRTUAL_ENV',
      'keyword',
      'egg',
    ]) {
      assert.ok(!isSecretName(name), name);
    }
  });

  it('masks the user info of every URL, anywhere in a value', () => {
    assert.equal(redactText('https://user:pass@mlflow.example.com:5000/'), 'https://***@mlflow.example.com:5000/');
    assert.equal(redactText('https://token@hub.example.com'), 'https://***@hub.example.com');
    assert.equal(
      redactText('run with MLFLOW_TRACKING_URI=https://u:p@h/x and https://other@h2'),
      'run with MLFLOW_TRACKING_URI=https://***@h/x and https://***@h2',
    );
    // An @ in the password (unencoded) is still inside the user info: the last @ before the host ends it.
    assert.equal(redactText('postgresql://app:p@ss@db.internal:5432/runs'), 'postgresql://***@db.internal:5432/runs');
    assert.equal(
      redactText(`-e git+https://bot:${GHP}@example.invalid/org/pkg.git@0123456789abcdef0123456789abcdef01234567#egg=pkg`),
      '-e git+https://***@example.invalid/org/pkg.git@0123456789abcdef0123456789abcdef01234567#egg=pkg',
    );
    // The @ of a pip revision or of a mail address is not user info.
    for (const kept of [
      '-e git+https://github.com/org/pkg.git@abc123#egg=pkg',
      'pkg @ file:///home/u/pkg',
      'Test User <test@example.com>',
      'git@github.com:org/repo.git',
      'torch==2.4.0+cu121',
    ]) {
      assert.equal(redactText(kept), kept);
    }
  });

  it('masks known token formats, keeping their prefix', () => {
    assert.equal(redactText(`token ${GHP} here`), 'token ghp_*** here');
    assert.equal(redactText('github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz'), 'github_pat_***');
    assert.equal(redactText(HF), 'hf_***');
    assert.equal(redactText('sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z_AbCdEf'), 'sk-***');
    assert.equal(redactText('sk-ant-api03-abcdefghijklmnop0123456789ABCDEFGH'), 'sk-***');
    assert.equal(redactText('AKIAIOSFODNN7EXAMPLE'), 'AKIA***');
    assert.equal(redactText('xoxb-1234567890-abcdefghij'), 'xoxb-***');
    assert.equal(redactText('glpat-abcdefghij0123456789'), 'glpat-***');
    assert.equal(redactText('Authorization: Bearer abc.def.ghi'), 'Authorization: Bearer ***');
    assert.equal(redactText('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'), 'eyJ***');
    assert.equal(
      redactText('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----'),
      '-----BEGIN OPENSSH PRIVATE KEY-----***-----END OPENSSH PRIVATE KEY-----',
    );
    // Look-alikes that are ordinary text.
    for (const kept of [
      'sk-learn-classifier-final',
      'models/sk-learn-model-v2.pkl',
      'hf_transformers_cache',
      'risk-ghp_',
      'task-sk-12',
      'Basic training of the model',
      'AKIA',
    ]) {
      assert.equal(redactText(kept), kept);
    }
  });

  it('masks NAME=value assignments whose name is secret, never pip pins', () => {
    assert.equal(
      redactText('HF_TOKEN=abc WANDB_MODE=offline python train.py --api-key=xyz --lr=0.1'),
      'HF_TOKEN=*** WANDB_MODE=offline python train.py --api-key=*** --lr=0.1',
    );
    assert.equal(redactText('DB_PASSWORD="two words" next'), 'DB_PASSWORD=*** next');
    assert.equal(
      redactText('https://bucket.s3.amazonaws.com/m.pkl?X-Amz-Credential=AK%2F1&X-Amz-Signature=deadbeef&x=1'),
      'https://bucket.s3.amazonaws.com/m.pkl?X-Amz-Credential=***&X-Amz-Signature=***&x=1',
    );
    for (const kept of ['google-auth==2.35.0', 'keyring==25.4.1', 'auth0-python==4.7.2', 'pytest-pass==1.0', 'PATH=/usr/bin'])
      assert.equal(redactText(kept), kept);
  });

  it('redactDeep masks strings everywhere and, by name, values under secret keys', () => {
    const input = { url: 'https://u:p@h', n: 3, ok: true, list: [`x ${HF}`], api_key: 'plain', nested: { password: 42, host: 'h' } };
    assert.deepEqual(redactDeep(input), {
      url: 'https://***@h',
      n: 3,
      ok: true,
      list: ['x hf_***'],
      api_key: 'plain',
      nested: { password: 42, host: 'h' },
    });
    assert.deepEqual(redactDeep(input, true), {
      url: 'https://***@h',
      n: 3,
      ok: true,
      list: ['x hf_***'],
      api_key: MASK,
      nested: { password: MASK, host: 'h' },
    });
    assert.equal(input.url, 'https://u:p@h', 'the input is not changed');
  });

  it('redactVars drops secret names, lists them once, and masks the other values', () => {
    const r = redactVars(
      {
        MLFLOW_TRACKING_URI: 'https://user:pass@mlflow.invalid',
        HF_ENDPOINT: 'https://a:b@hub.invalid',
        WANDB_BASE_URL: 'https://x:y@wandb.invalid',
        HF_TOKEN: HF,
        GH_PAT: 'p',
        PATH: '/bin',
      },
      ['WANDB_API_KEY', 'HF_TOKEN'],
    );
    assert.deepEqual(r.vars, {
      MLFLOW_TRACKING_URI: 'https://***@mlflow.invalid',
      HF_ENDPOINT: 'https://***@hub.invalid',
      WANDB_BASE_URL: 'https://***@wandb.invalid',
      PATH: '/bin',
    });
    assert.deepEqual(r.redacted, ['GH_PAT', 'HF_TOKEN', 'WANDB_API_KEY']);
  });

  it('is idempotent', () => {
    const once = redactText(`HF_TOKEN=${HF} https://u:p@h ${GHP} AKIAIOSFODNN7EXAMPLE`);
    assert.equal(redactText(once), once);
  });
});
