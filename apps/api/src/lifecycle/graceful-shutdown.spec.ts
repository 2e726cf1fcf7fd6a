import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { shutDownGracefully } from './graceful-shutdown';
import { Lifecycle } from './lifecycle';

const silent = pino({ level: 'silent' });

/** A server whose POST answers when the body is complete, echoing its length. */
async function echoServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    let n = 0;
    req.on('data', (chunk: Buffer) => (n += chunk.length));
    req.on('end', () => res.end(JSON.stringify({ received: n })));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Starts a POST and sends half its body; `finish()` sends the rest. */
function slowPost(port: number): { answer: Promise<{ status: number; body: string }>; finish: () => void } {
  let finish = () => {};
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ port, host: '127.0.0.1', method: 'POST', path: '/', headers: { 'content-length': 10 } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.write('12345');
    finish = () => req.end('67890');
  });
  return { answer, finish };
}

describe('shutDownGracefully', () => {
  it('stops accepting, marks draining, and lets a request in flight finish', async () => {
    const { server, port } = await echoServer();
    const lifecycle = new Lifecycle();
    const slow = slowPost(port);
    await new Promise((r) => setTimeout(r, 50));

    const stopped = shutDownGracefully(server, { lifecycle, graceMs: 5000, logger: silent });
    expect(lifecycle.draining).toBe(true);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();

    slow.finish();
    await expect(slow.answer).resolves.toEqual({ status: 200, body: '{"received":10}' });
    await expect(stopped).resolves.toEqual({ forced: false });
    expect(server.listening).toBe(false);
  });

  // Fake timers drive the grace period: what is asserted is the order of events, not wall-clock time.
  const fakeTimers = () => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  const ioTurns = async (n = 20) => {
    for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
  };
  afterEach(() => jest.useRealTimers());

  it('cuts the connections still open when the grace period is over, not before', async () => {
    const { server, port } = await echoServer();
    const slow = slowPost(port);
    let outcome = 'open';
    slow.answer.then(
      () => (outcome = 'answered'),
      () => (outcome = 'cut'),
    );
    await new Promise((r) => setTimeout(r, 50));
    fakeTimers();
    const stopped = shutDownGracefully(server, { lifecycle: new Lifecycle(), graceMs: 200, logger: silent });
    jest.advanceTimersByTime(199);
    await ioTurns();
    expect(outcome).toBe('open');
    jest.advanceTimersByTime(1);
    await ioTurns();
    await expect(stopped).resolves.toEqual({ forced: true });
    await ioTurns();
    expect(outcome).toBe('cut');
  });

  it('closes idle keep-alive connections at once, without waiting for the grace period', async () => {
    const { server, port } = await echoServer();
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      request({ port, host: '127.0.0.1', agent, method: 'POST', path: '/' }, (res) => {
        res.resume();
        res.on('end', resolve);
      })
        .on('error', reject)
        .end();
    });
    fakeTimers();
    // No timer is advanced: the 5 s deadline never fires, so closing must not need it.
    await expect(shutDownGracefully(server, { lifecycle: new Lifecycle(), graceMs: 5000, logger: silent })).resolves.toEqual({ forced: false });
    agent.destroy();
  });
});
