'use strict';
// Starts the real `coalition` binary for the browser suite: a temp dir with var/, an SQLite
// database with migrations and the demo data, ephemeral HTTP and LMTP ports. The port is read
// from the "serving http://HOST:PORT" line; stop() sends SIGTERM and expects exit 0.

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const kStartTimeoutMs = 30000;

function environment(directory) {
    return {
        ...process.env,
        COALITION_DATABASE_URL: 'sqlite:' + path.join(directory, 'var', 'coalition.db'),
        COALITION_HTTP_LISTEN: '127.0.0.1:0',
        COALITION_LMTP_LISTEN: '127.0.0.1:0',
        COALITION_MAIL_OUTBOX_DIR: path.join(directory, 'var', 'mail', 'outbox'),
    };
}

// Runs `coalition ARGS…` to completion in `directory`; throws with its output when it fails.
function runCli(binary, directory, args, input = undefined) {
    try {
        execFileSync(binary, args, {
            cwd: directory,
            env: environment(directory),
            stdio: 'pipe',
            timeout: 60000,
            input,
        });
    } catch (error) {
        const output = `${error.stdout || ''}${error.stderr || ''}`;
        const how = error.signal ? `killed by ${error.signal}` : `exit ${error.status}`;
        throw new Error(`coalition ${args.join(' ')} failed (${how}):\n${output}`);
    }
}

class Server {
    constructor(binary) {
        this.binary = binary;
        this.directory = fs.mkdtempSync(path.join(os.tmpdir(), 'coalition-browser-'));
        fs.mkdirSync(path.join(this.directory, 'var'), { recursive: true });
        this.log = '';
        this.process = null;
        this.baseUrl = null;
    }

    // A list with a public archive of one thread (a reply in Arabic), for the list and archive
    // pages: created and posted to through the CLI, as an operator and the MTA would.
    addArchivedList() {
        const address = 'coalition@lists.coalition.example';
        runCli(this.binary, this.directory,
               ['list', 'create', address, '--owner', 'admin@coalition.example', '--archive', 'public']);
        const members = path.join(this.directory, 'members.txt');
        fs.writeFileSync(members, 'admin@coalition.example\npolicy@cira.example\n');
        runCli(this.binary, this.directory, ['list', 'add-members', address, '--file', members, '--no-welcome']);
        const post = (from, id, subject, extra, body) =>
            `From: ${from}\r\nTo: ${address}\r\nSubject: ${subject}\r\nMessage-ID: <${id}>\r\n` +
            `Date: Mon, 05 Oct 2026 10:00:00 +0000\r\n${extra}MIME-Version: 1.0\r\n` +
            `Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${body}`;
        runCli(this.binary, this.directory, ['inject', 'coalition'],
               post('admin@coalition.example', 'a11y-1@coalition.example', 'IGF sessions',
                    '', 'Who attends which session?\r\n\r\n-- \r\nSecretariat\r\n'));
        runCli(this.binary, this.directory, ['inject', 'coalition'],
               post('policy@cira.example', 'a11y-2@cira.example', 'Re: IGF sessions',
                    'In-Reply-To: <a11y-1@coalition.example>\r\n',
                    '> Who attends which session?\r\n\r\nسنحضر الجلسة الرئيسية.\r\n'));
    }

    // Migrates, loads the demo data, starts `serve`; resolves once the port is known.
    async start() {
        runCli(this.binary, this.directory, ['migrate']);
        runCli(this.binary, this.directory, ['demo', 'load', '--no-statement']);
        this.addArchivedList();
        this.process = spawn(this.binary, ['serve'], {
            cwd: this.directory,
            env: environment(this.directory),
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        const started = new Promise((resolve, reject) => {
            const timer = setTimeout(
                () => reject(new Error(`server did not start in time:\n${this.log}`)),
                kStartTimeoutMs,
            );
            const onData = (chunk) => {
                this.log += chunk.toString();
                const match = this.log.match(/serving (http:\/\/[0-9.]+:\d+)/);
                if (match && !this.baseUrl) {
                    this.baseUrl = match[1];
                    clearTimeout(timer);
                    resolve(this.baseUrl);
                }
            };
            this.process.stdout.on('data', onData);
            this.process.stderr.on('data', onData);
            this.process.on('exit', (code, signal) => {
                clearTimeout(timer);
                if (!this.baseUrl) {
                    reject(new Error(`server exited (${code ?? signal}) before serving:\n${this.log}`));
                }
            });
        });
        return started;
    }

    // Runs `coalition ARGS…` against this server's directory and database (before start(), e.g.
    // `statement publish`); throws with its output when it fails.
    run(args) {
        runCli(this.binary, this.directory, args);
    }

    // SIGTERM, then waits; resolves with the exit code (null when it had to be killed).
    async stop() {
        if (!this.process || this.process.exitCode !== null || this.process.signalCode !== null) {
            return this.process ? this.process.exitCode : null;
        }
        const exited = new Promise((resolve) => this.process.once('exit', (code) => resolve(code)));
        this.process.kill('SIGTERM');
        const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 15000));
        const outcome = await Promise.race([exited, timeout]);
        if (outcome === 'timeout') {
            this.process.kill('SIGKILL');
            await exited;
            return null;
        }
        return outcome;
    }

    cleanUp() {
        fs.rmSync(this.directory, { recursive: true, force: true });
    }
}

module.exports = { Server };
